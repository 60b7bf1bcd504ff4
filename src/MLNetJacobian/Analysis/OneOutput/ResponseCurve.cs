namespace MLNetJacobian.Analysis;

/// <summary>Several models' predictions as one feature moves and the others stay at an example's values (<see cref="OneOutputAnalysis.ResponseCurve"/>).</summary>
/// <param name="Feature">The slot index moved.</param>
/// <param name="FeatureName">Its name.</param>
/// <param name="ExampleValue">The example's value of the feature.</param>
/// <param name="Values">The feature's values, increasing.</param>
/// <param name="Series">One per model.</param>
public sealed record ResponseCurve(int Feature, string FeatureName, double ExampleValue, IReadOnlyList<double> Values, IReadOnlyList<ResponseCurve.ModelSeries> Series)
{
    /// <summary>One model's predictions along a response curve.</summary>
    /// <param name="Name">The model's display name.</param>
    /// <param name="Predictions">f at each value of the feature (the others held at the example's values).</param>
    /// <param name="AtExample">f at the example itself.</param>
    public sealed record ModelSeries(string Name, IReadOnlyList<double> Predictions, double AtExample);
}

