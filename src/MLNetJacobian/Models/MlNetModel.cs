using Microsoft.ML;

namespace MLNetJacobian.Models;

/// <summary>
/// A fitted ML.NET model as an <see cref="IModel"/> for this library's analysis tools: white-box (differentiable, exact
/// Jacobians) when its weights are public and reproduce its Score column (this library's networks, ML.NET's linear
/// predictors, behind affine normalizers), a black box otherwise; the same choice the robustness evaluators make.
/// </summary>
public static class MlNetModel
{
    /// <summary>Wraps <paramref name="model"/>, applied to data of <paramref name="data"/>'s schema.</summary>
    /// <param name="model">The fitted model (the whole pipeline).</param>
    /// <param name="data">Data with the feature column (its first 64 rows check that the weights reproduce the scores).</param>
    /// <param name="notice">How the model is seen (white-box through which weights, or why a black box).</param>
    /// <param name="featureColumnName">The input column (a known-size vector of Single).</param>
    /// <param name="scoreColumnName">The model's score column.</param>
    /// <param name="useWeights">False to always return the black box.</param>
    /// <exception cref="ArgumentException">A column is missing or has an unusable type, or the data is empty.</exception>
    public static IModel Create(ITransformer model, IDataView data, out string notice, string featureColumnName = "Features", string scoreColumnName = "Score",
        bool useWeights = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var blackBox = new TransformerModel(model, data.Schema, featureColumnName, scoreColumnName);
        if (!useWeights)
        {
            notice = "Black box (scores only): weights not used.";
            return blackBox;
        }

        var examples = DataViewExamples.FromDataView(data, blackBox.FeatureCount, featureColumnName, null, 64);
        if (examples.Count == 0) throw new ArgumentException("The data view is empty: at least one row is needed to check the model's weights.", nameof(data));
        var notices = new List<string>();
        IModel chosen = WhiteBoxModel.Choose(blackBox, examples.Features, examples.Count, notices);
        notice = string.Join(" ", notices);
        return chosen;
    }
}
