namespace MLNetJacobian.Robustness;

/// <summary>What happened to one example.</summary>
/// <param name="Index">The row in the evaluated data.</param>
/// <param name="Label">The true class.</param>
/// <param name="CleanPrediction">The predicted class of the clean input.</param>
/// <param name="SmallestFlippingEpsilon">Per norm, the smallest grid epsilon at which some attack misclassified the
/// example (null: none did, or the example was misclassified clean).</param>
/// <param name="MinimalPerturbation">The bisection's upper bound on the smallest flipping radius (null: not found or
/// not searched).</param>
/// <param name="Attacks">Every attack at every strength on this example (empty when it was misclassified clean, so not attacked).</param>
public sealed record ExampleOutcome(int Index, int Label, int CleanPrediction, IReadOnlyDictionary<string, double?> SmallestFlippingEpsilon, double? MinimalPerturbation,
    IReadOnlyList<ExampleAttackOutcome> Attacks);
