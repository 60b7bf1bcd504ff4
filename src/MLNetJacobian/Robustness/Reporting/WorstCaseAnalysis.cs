using static MLNetJacobian.Robustness.RobustnessReport;

namespace MLNetJacobian.Robustness;

/// <summary>The per-example worst case over the attacks of each norm.</summary>
/// <remarks>
/// Example <c>i</c> is robust at radius <c>eps</c> when no attack of the norm misclassified it at any radius
/// <c>eps' &lt;= eps</c> (an adversarial input within <c>eps'</c> is also within <c>eps</c>). Accuracy is the mean over
/// all examples, the clean-misclassified ones counting as not robust.
/// </remarks>
internal static class WorstCaseAnalysis
{
    public static IReadOnlyList<WorstCaseCurve> Compute(IReadOnlyList<AttackRecord> records, int attacked, int n)
    {
        var curves = new List<WorstCaseCurve>();
        foreach (var group in records.Where(r => r.Attack.Norm is not null).GroupBy(r => r.Attack.Norm!.Name))
        {
            float[] grid = group.SelectMany(r => r.Strengths).Distinct().Order().ToArray();
            var points = new List<WorstCasePoint>();
            foreach (float eps in grid)
            {
                int robust = 0;
                for (int k = 0; k < attacked; k++)
                {
                    if (!FooledWithin(group, k, eps)) robust++;
                }

                points.Add(new WorstCasePoint(eps, (double)robust / n));
            }

            curves.Add(new WorstCaseCurve(group.Key, group.Select(r => r.Attack.Name).ToArray(), points));
        }

        return curves;
    }

    /// <summary>Whether any of the attacks misclassified attacked example <paramref name="k"/> at a radius up to <paramref name="eps"/>.</summary>
    public static bool FooledWithin(IEnumerable<AttackRecord> records, int k, float eps)
    {
        foreach (AttackRecord record in records)
        {
            for (int s = 0; s < record.Strengths.Length && record.Strengths[s] <= eps; s++)
            {
                if (record.Fooled(s, k)) return true;
            }
        }

        return false;
    }
}
