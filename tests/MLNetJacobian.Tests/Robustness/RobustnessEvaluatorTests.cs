using System.Text.Json;
using MLNetJacobian.Robustness;
using MLNetJacobian.Models;

namespace MLNetJacobian.Tests.Robustness;

/// <summary>The evaluator on in-memory data: figures, conventions, sanity checks, reproducibility and files.</summary>
public sealed class RobustnessEvaluatorTests
{
    private const int Rows = 200;

    private static RobustnessOptions SmallOptions(int threads = 2, int seed = 3) => new()
    {
        Epsilons = [0.05f, 0.1f, 0.2f],
        Attacks =
        [
            new UniformNoiseAttack(draws: 2),
            new GaussianNoiseAttack(draws: 2) { Strengths = [0.1f, 0.3f] },
            PgdAttack.Fgsm(PerturbationNorm.LInfinity),
            new PgdAttack(PerturbationNorm.LInfinity, steps: 10),
            new ApgdAttack(ILogitLoss.DifferenceOfLogitsRatio, iterations: 20),
            new SquareAttack(maxQueries: 100),
        ],
        Seed = seed,
        ThreadCount = threads,
        BatchSize = 64,
        BisectionSteps = 4,
        SanityExampleCount = 50,
    };

    private static readonly Lazy<RobustnessReport> SharedReport = new(() => Evaluate(SmallOptions()));

    private static RobustnessReport Evaluate(RobustnessOptions options, IModel? model = null)
    {
        (float[] x, int[] y) = RobustnessTestModels.FirstDigits(Rows);
        return RobustnessEvaluator.Evaluate(model ?? RobustnessTestModels.Softmax, x, y, options);
    }

    [Fact]
    public void Evaluate_TrainedSoftmax_RobustAccuracyNeverAboveCleanAndWorstCaseBelowEveryAttack()
    {
        RobustnessReport report = SharedReport.Value;
        Assert.InRange(report.CleanAccuracy, 0.85, 1.0);
        Assert.Equal(6, report.Attacks.Count);
        foreach (RobustnessReport.AttackPoint point in report.Attacks.SelectMany(a => a.Points)) Assert.True(point.RobustAccuracy <= report.CleanAccuracy);
        RobustnessReport.WorstCaseCurve worst = Assert.Single(report.WorstCase);
        Assert.Equal("L-inf", worst.Norm);
        foreach (RobustnessReport.WorstCasePoint point in worst.Points)
        {
            foreach (RobustnessReport.AttackCurve curve in report.Attacks.Where(a => a.Norm == "L-inf"))
            {
                if (curve.Points.FirstOrDefault(p => p.Strength == point.Epsilon) is { } attackPoint) Assert.True(point.RobustAccuracy <= attackPoint.RobustAccuracy);
            }
        }

        // An undefended linear model on [0, 1] pixels: PGD at 0.2 leaves little (about 19%), and beats random noise.
        Assert.True(report.GetAttack("PGD-10 L-inf").Points[^1].RobustAccuracy < 0.3);
        Assert.True(report.GetAttack("PGD-10 L-inf").Points[^1].RobustAccuracy < report.GetAttack("Uniform noise x2 L-inf").Points[^1].RobustAccuracy);
    }

    [Fact]
    public void Evaluate_TrainedSoftmax_SanityChecksRunAndCoreOnesPass()
    {
        RobustnessReport report = SharedReport.Value;
        string[] mustPass =
        [
            "Predictions are deterministic", "Robust accuracy never exceeds clean accuracy", "Epsilon 0 reproduces clean accuracy",
            "Every perturbed input lies inside the epsilon ball and the bounds", "Input gradients are finite and non-zero",
            "L-inf epsilon of half the input range brings accuracy to chance",
        ];
        foreach (string name in mustPass)
        {
            SanityCheckResult check = Assert.Single(report.SanityChecks, c => c.Name == name);
            Assert.True(check.Passed, check.Detail);
        }

        Assert.Contains(report.SanityChecks, c => c.Name.StartsWith("PGD-10 L-inf at least as strong as FGSM", StringComparison.Ordinal));
        Assert.Contains(report.SanityChecks, c => c.Name == "Doubling the steps of PGD-10 L-inf leaves robust accuracy unchanged");
        Assert.Contains(report.SanityChecks, c => c.Name.StartsWith("Noise and black-box attacks not stronger", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_TrainedSoftmax_MinimalPerturbationMedianInsideGrid()
    {
        RobustnessReport.MinimalPerturbationSummary minimal = SharedReport.Value.MinimalPerturbation!;
        Assert.Equal("PGD-20 L-inf", minimal.Attack);
        Assert.NotNull(minimal.Median);
        Assert.InRange(minimal.Median!.Value, 0.0, 0.2);
        RobustnessReport.ExampleOutcome flipped = SharedReport.Value.Examples.First(e => e.MinimalPerturbation is not null);
        Assert.True(flipped.MinimalPerturbation <= flipped.SmallestFlippingEpsilon["L-inf"]);
    }

    [Fact]
    public void Evaluate_SameSeedDifferentThreadCounts_SameFigures()
    {
        RobustnessReport two = SharedReport.Value;
        RobustnessReport one = Evaluate(SmallOptions(threads: 1));
        Assert.Equal(Figures(two), Figures(one));
        Assert.Equal(two.MinimalPerturbation!.Median, one.MinimalPerturbation!.Median);
    }

    [Fact]
    public void Evaluate_BlackBoxModel_SkipsGradientAttacksWithNotice()
    {
        RobustnessReport report = Evaluate(SmallOptions(), new AttackInvariantTests.ScoresOnly(RobustnessTestModels.Softmax));
        Assert.DoesNotContain(report.Attacks, a => a.RequiresGradient);
        Assert.Contains(report.Attacks, a => a.Name == "Square-100 L-inf");
        Assert.Contains(report.Notices, n => n.Contains("Gradient attacks skipped", StringComparison.Ordinal) && n.Contains("FGSM L-inf", StringComparison.Ordinal));
        Assert.Equal("Square-1000 L-inf", report.MinimalPerturbation!.Attack);
    }

    [Fact]
    public void ToString_Report_ShowsTableNoticesAndChecks()
    {
        string text = SharedReport.Value.ToString();
        Assert.Contains("Clean accuracy:", text);
        Assert.Contains("Robust accuracy, L-inf, by epsilon:", text);
        Assert.Contains("worst case (per example)", text);
        Assert.Contains("Robust accuracy under noise, by noise scale (sigma):", text);
        Assert.Contains("Sanity checks", text);
        Assert.Contains("ALL evaluated examples", text);
    }

    [Fact]
    public void SaveJson_ExistingFile_ReplacedByDefaultAndKeptWithOverwriteFalse()
    {
        string directory = Directory.CreateTempSubdirectory("robustness-json").FullName;
        try
        {
            string path = Path.Combine(directory, "report.json");
            SharedReport.Value.SaveJson(path);
            using (JsonDocument json = JsonDocument.Parse(File.ReadAllText(path)))
            {
                Assert.Equal(SharedReport.Value.CleanAccuracy, json.RootElement.GetProperty("cleanAccuracy").GetDouble());
                Assert.Equal(3, json.RootElement.GetProperty("configuration").GetProperty("seed").GetInt32());
                Assert.Equal(4, json.RootElement.GetProperty("configuration").GetProperty("bisectionSteps").GetInt32());
                Assert.Equal(SharedReport.Value.Attacks[0].Points[0].RobustAccuracy,
                    json.RootElement.GetProperty("attacks")[0].GetProperty("points")[0].GetProperty("robustAccuracy").GetDouble());
                Assert.Equal(Rows, json.RootElement.GetProperty("examples").GetArrayLength());
            }

            // The library's rule (as mlContext.Model.Save): a second save replaces the file; overwrite: false refuses it.
            File.WriteAllText(path, "older report");
            SharedReport.Value.SaveJson(path);
            Assert.StartsWith("{", File.ReadAllText(path), StringComparison.Ordinal);
            File.WriteAllText(path, "user's file");
            var error = Assert.Throws<IOException>(() => SharedReport.Value.SaveJson(path, overwrite: false));
            Assert.Contains("overwrite", error.Message);
            Assert.Equal("user's file", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Evaluate_BoundsReversed_ThrowsNamingBounds()
    {
        var error = Assert.Throws<ArgumentException>(() => Evaluate(new RobustnessOptions { LowerBound = 1, UpperBound = 0 }));
        Assert.Contains("LowerBound (1) must be below UpperBound (0)", error.Message);
    }

    [Fact]
    public void Evaluate_NegativeEpsilon_ThrowsNamingEpsilons()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Evaluate(new RobustnessOptions { Epsilons = [0.1f, -0.2f] }));
        Assert.Equal("Epsilons", error.ParamName);
        Assert.Contains("-0.2", error.Message);
    }

    [Fact]
    public void Evaluate_InputsOutsideBounds_ThrowsNamingRowAndFeature()
    {
        (float[] x, int[] y) = RobustnessTestModels.FirstDigits(10);
        x[3 * 64 + 5] = 16f;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RobustnessEvaluator.Evaluate(RobustnessTestModels.Softmax, x, y));
        Assert.Contains("Feature 5 of row 3 is 16", error.Message);
    }

    [Fact]
    public void Evaluate_NoExamples_ThrowsEmpty()
    {
        var error = Assert.Throws<ArgumentException>(() => RobustnessEvaluator.Evaluate(RobustnessTestModels.Softmax, [], Array.Empty<int>()));
        Assert.Contains("empty", error.Message);
    }

    private static double[] Figures(RobustnessReport report) =>
        [report.CleanAccuracy, .. report.Attacks.SelectMany(a => a.Points.Select(p => p.RobustAccuracy)), .. report.WorstCase.SelectMany(w => w.Points.Select(p => p.RobustAccuracy))];
}
