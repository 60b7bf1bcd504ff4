using System.Globalization;
using MLNetJacobian.Cli.Modeling;
using MLNetJacobian.Robustness;
using Spectre.Console;

namespace MLNetJacobian.Cli.Output;

/// <summary>
/// Models side by side: clean accuracy, accuracy under each attack at one headline strength, the per-example worst
/// case, the mean <c>||J||_F</c> and the training time.
/// </summary>
internal static class SummaryTable
{
    /// <summary>The table.</summary>
    /// <param name="evaluations">The models.</param>
    /// <param name="epsilon">The headline attack strength (L-inf radius).</param>
    /// <param name="sigma">The headline noise scale.</param>
    /// <param name="title">The title.</param>
    public static Table Build(IReadOnlyList<ModelEvaluation> evaluations, double epsilon, double sigma, string title)
    {
        List<string> attacks = evaluations.SelectMany(e => e.Robustness.Attacks).Select(a => a.Name).Distinct().ToList();
        var table = new Table().Title(Markup.Escape(title)).RoundedBorder();
        table.AddColumn("model");
        table.AddColumn(new TableColumn("clean").RightAligned());
        int? draws = evaluations.SelectMany(e => e.Noise ?? []).Select(p => (int?)p.Draws).FirstOrDefault();
        foreach (string attack in attacks)
        {
            if (draws is int k && IsGaussian(attack))
            {
                // Gaussian noise: the one-draw accuracy is the headline, worst-of-K beside it, each named as such.
                table.AddColumn(new TableColumn(Markup.Escape($"Gaussian sigma {Strength(sigma)}, one draw (mean ± s.e., {k} draws)")).RightAligned());
                table.AddColumn(new TableColumn(Markup.Escape($"Gaussian sigma {Strength(sigma)}, worst of {k}")).RightAligned());
                continue;
            }

            table.AddColumn(new TableColumn(Markup.Escape(Header(attack, evaluations, epsilon, sigma))).RightAligned());
        }

        table.AddColumn(new TableColumn(Markup.Escape($"worst L-inf {Strength(epsilon)}")).RightAligned());
        // Exact logit Jacobians and finite differences of the probabilities are different quantities: one column each.
        bool anyExact = evaluations.Any(e => e.MeanJacobianNorm is not null && e.JacobianKind == JacobianNorms.ExactLogits);
        bool anyDifferences = evaluations.Any(e => e.MeanJacobianNorm is not null && e.JacobianKind != JacobianNorms.ExactLogits);
        if (anyExact || !anyDifferences) table.AddColumn(new TableColumn("mean ||J||_F logits (exact)").RightAligned());
        if (anyDifferences) table.AddColumn(new TableColumn("mean ||J||_F probabilities (finite diff.)").RightAligned());
        table.AddColumn(new TableColumn("train").RightAligned());
        foreach (ModelEvaluation evaluation in evaluations)
        {
            RobustnessReport report = evaluation.Robustness;
            var cells = new List<string> { Markup.Escape(evaluation.Model.Name), ConsoleTables.Percent(report.CleanAccuracy) };
            foreach (string attack in attacks)
            {
                if (draws is not null && IsGaussian(attack))
                {
                    NoisePoint? noise = NoiseDraws.At(evaluation.Noise ?? [], sigma);
                    string marker = noise is null || Math.Abs(noise.Sigma - sigma) < 1e-6 ? "" : $" @{Strength(noise.Sigma)}";
                    cells.Add(noise is null ? "-" : Markup.Escape(noise.OneDrawText + marker));
                    cells.Add(noise is null ? "-" : ConsoleTables.Percent(noise.WorstOfDrawsAccuracy) + marker);
                    continue;
                }

                RobustnessReport.AttackCurve? curve = report.Attacks.FirstOrDefault(a => a.Name == attack);
                cells.Add(curve is null ? "skipped" : At(curve.Points.Select(p => (p.Strength, p.RobustAccuracy)), curve.Norm is null ? sigma : epsilon));
            }

            RobustnessReport.WorstCaseCurve? worst = report.WorstCase.FirstOrDefault(w => w.Norm == PerturbationNorm.LInfinity.Name);
            cells.Add(worst is null ? "-" : At(worst.Points.Select(p => (p.Epsilon, p.RobustAccuracy)), epsilon));
            bool exact = evaluation.JacobianKind == JacobianNorms.ExactLogits;
            string norm = evaluation.MeanJacobianNorm is double value ? value.ToString("G4", CultureInfo.InvariantCulture) : "-";
            if (anyExact || !anyDifferences) cells.Add(exact ? norm : "-");
            if (anyDifferences) cells.Add(exact ? "-" : norm);
            cells.Add(evaluation.Model.TrainingTime is TimeSpan time ? ConsoleTables.Seconds(time) : "-");
            table.AddRow(cells.ToArray());
        }

        string jacobianNote = anyDifferences
            ? "; ||J||_F of the logits where exact (this library's networks, linear models), else of the Score probabilities by central differences (not comparable)"
            : "; ||J||_F of the logits, exact";
        table.Caption(Markup.Escape($"accuracy over the attacked rows (AutoAttack convention: clean mistakes count as not robust); 'skipped': a gradient attack on a model without gradients{jacobianNote}"));
        return table;
    }

    /// <summary>The robust accuracy at <paramref name="strength"/>, or at the nearest measured strength (marked).</summary>
    public static string At(IEnumerable<(double Strength, double Accuracy)> points, double strength)
    {
        var list = points.ToList();
        if (list.Count == 0) return "-";
        (double Strength, double Accuracy) nearest = list.MinBy(p => Math.Abs(p.Strength - strength));
        string value = ConsoleTables.Percent(nearest.Accuracy);
        return Math.Abs(nearest.Strength - strength) < 1e-6 ? value : $"{value} @{Strength(nearest.Strength)}";
    }

    private static string Header(string attack, IReadOnlyList<ModelEvaluation> evaluations, double epsilon, double sigma)
    {
        RobustnessReport.AttackCurve curve = evaluations.SelectMany(e => e.Robustness.Attacks).First(a => a.Name == attack);
        return curve.Norm is null ? $"{attack} sigma {Strength(sigma)}" : $"{attack} {Strength(epsilon)}";
    }

    private static bool IsGaussian(string attack) => attack.StartsWith("Gaussian noise", StringComparison.Ordinal);

    private static string Strength(double value) => value.ToString("G3", CultureInfo.InvariantCulture);
}
