namespace MLNetJacobian.Robustness;

/// <summary>The per-example minimal-perturbation search: bisection over epsilon between the grid points.</summary>
/// <param name="Attack">The attack run at each bisection radius.</param>
/// <param name="Norm">Its norm.</param>
/// <param name="BisectionSteps">Bisection steps per example.</param>
/// <param name="Median">Median over the clean-correct examples of the smallest radius found (examples never flipped
/// count as infinite); null when more than half were never flipped within the grid.</param>
/// <param name="MeanOfFound">Mean over the examples that were flipped; null when none.</param>
/// <param name="FoundCount">Examples with a flipping radius found.</param>
/// <param name="SearchedCount">Clean-correct examples.</param>
public sealed record MinimalPerturbationSummary(string Attack, string Norm, int BisectionSteps, double? Median, double? MeanOfFound, int FoundCount, int SearchedCount);
