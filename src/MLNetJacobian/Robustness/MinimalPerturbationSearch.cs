using static MLNetJacobian.Robustness.RobustnessReport;

namespace MLNetJacobian.Robustness;

/// <summary>
/// Per-example bisection over epsilon: between the largest grid radius where every attack failed and the smallest
/// where one succeeded, halve the interval <c>BisectionSteps</c> times with one attack. The result is an upper
/// bound on the smallest flipping radius (an adversarial input is known to exist there).
/// </summary>
internal static class MinimalPerturbationSearch
{
    public static MinimalPerturbationSummary? Run(AttackExecution execution, RobustnessOptions options, bool differentiable,
        IReadOnlyList<AttackRecord> records, int[] correct, double?[] minimal, List<string> notices)
    {
        Attack attack = options.MinimalPerturbationAttack
            ?? (differentiable ? new PgdAttack(PerturbationNorm.LInfinity, steps: 20, relativeStepSize: 2.5f / 20) : new SquareAttack(maxQueries: 1000));
        if (attack.RequiresGradient && !differentiable)
        {
            notices.Add($"Minimal-perturbation search skipped: {attack.Name} needs gradients the model does not provide.");
            return null;
        }

        if (attack.Norm is null)
        {
            notices.Add($"Minimal-perturbation search skipped: {attack.Name} has no epsilon ball to bisect.");
            return null;
        }

        string norm = attack.Norm.Name;
        var group = records.Where(r => r.Attack.Norm?.Name == norm).ToList();
        if (group.Count == 0)
        {
            notices.Add($"Minimal-perturbation search skipped: no attack of norm {norm} ran, so no flipping radius is known to start from.");
            return null;
        }

        float[] grid = group.SelectMany(r => r.Strengths).Distinct().Order().ToArray();
        int attacked = correct.Length;
        var low = new float[attacked];
        var high = new float[attacked];
        var searching = new List<int>();
        for (int k = 0; k < attacked; k++)
        {
            float previous = 0f;
            foreach (float eps in grid)
            {
                if (WorstCaseAnalysis.FooledWithin(group, k, eps))
                {
                    low[k] = previous;
                    high[k] = eps;
                    searching.Add(k);
                    break;
                }

                previous = eps;
            }
        }

        var indices = searching.Select(k => correct[k]).ToArray();
        var middles = new float[searching.Count];
        for (int step = 0; step < options.BisectionSteps && searching.Count > 0; step++)
        {
            for (int m = 0; m < searching.Count; m++) middles[m] = 0.5f * (low[searching[m]] + high[searching[m]]);
            AttackOutcome outcome = execution.Run(attack, indices, middles, SeedMixer.Derive(options.Seed ?? 0, -1, step));
            for (int m = 0; m < searching.Count; m++)
            {
                int k = searching[m];
                if (outcome.Fooled[m]) high[k] = middles[m];
                else low[k] = middles[m];
            }
        }

        foreach (int k in searching) minimal[k] = high[k];
        double[] sorted = Enumerable.Range(0, attacked).Select(k => minimal[k] ?? double.PositiveInfinity).Order().ToArray();
        double? median = null;
        if (attacked > 0)
        {
            double middle = attacked % 2 == 1 ? sorted[attacked / 2] : 0.5 * (sorted[attacked / 2 - 1] + sorted[attacked / 2]);
            median = double.IsFinite(middle) ? middle : null;
        }

        double? mean = searching.Count > 0 ? searching.Average(k => (double)high[k]) : null;
        return new MinimalPerturbationSummary(attack.Name, norm, options.BisectionSteps, median, mean, searching.Count, attacked);
    }
}
