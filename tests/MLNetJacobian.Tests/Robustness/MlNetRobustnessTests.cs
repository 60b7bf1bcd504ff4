using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Robustness;
using MLNetJacobian.Models;
using MLNetJacobian.Tests.Models;

namespace MLNetJacobian.Tests.Robustness;

/// <summary>
/// The ML.NET face: a LbfgsMaximumEntropy pipeline behind NormalizeMinMax attacked white-box in the raw pixel space
/// (0..16), LightGbm attacked black-box, and clear errors for bad input.
/// </summary>
public sealed class MlNetRobustnessTests
{
    private const int Rows = 150;

    private static readonly Lazy<(MLContext Context, IDataView Data)> RawDigits = new(RawDigitsView.Create);

    private static readonly Lazy<ITransformer> MaximumEntropy = new(() =>
    {
        var (context, data) = RawDigits.Value;
        return context.Transforms.Conversion.MapValueToKey("Label", "Digit")
            .Append(context.Transforms.NormalizeMinMax("Features"))
            .Append(context.MulticlassClassification.Trainers.LbfgsMaximumEntropy())
            .Fit(data);
    });

    private static readonly Lazy<ITransformer> LightGbm = new(() =>
    {
        var (context, data) = RawDigits.Value;
        return context.Transforms.Conversion.MapValueToKey("Label", "Digit")
            .Append(context.MulticlassClassification.Trainers.LightGbm(numberOfLeaves: 8, numberOfIterations: 20))
            .Fit(data);
    });

    private static RobustnessOptions RawPixelOptions(IReadOnlyList<Attack> attacks) => new()
    {
        LowerBound = 0,
        UpperBound = 16,
        Epsilons = [1f, 2f, 4f],
        Attacks = attacks,
        MaxExamples = Rows,
        BisectionSteps = 3,
        MinimalPerturbationAttack = new SquareAttack(maxQueries: 40),
        SanityExampleCount = 30,
        Seed = 5,
    };

    [Fact]
    public void EvaluateRobustness_MaximumEntropyBehindNormalizer_AttackedWhiteBoxInRawSpace()
    {
        var (context, data) = RawDigits.Value;
        RobustnessReport report = context.MulticlassClassification.EvaluateRobustness(MaximumEntropy.Value, data,
            RawPixelOptions([PgdAttack.Fgsm(PerturbationNorm.LInfinity), new PgdAttack(PerturbationNorm.LInfinity, steps: 10), new SquareAttack(maxQueries: 50)]));
        Assert.Contains(report.Notices, n => n.Contains("white-box", StringComparison.Ordinal) && n.Contains("MaximumEntropy", StringComparison.Ordinal));
        Assert.Equal(Rows, report.ExampleCount);
        Assert.InRange(report.CleanAccuracy, 0.9, 1.0);
        RobustnessReport.AttackCurve pgd = report.GetAttack("PGD-10 L-inf");
        Assert.True(pgd.RequiresGradient);
        Assert.True(pgd.Points[^1].RobustAccuracy < pgd.Points[0].RobustAccuracy, "PGD at 4 grey levels must fool more than at 1.");
        Assert.All(report.SanityChecks.Where(c => c.Name.StartsWith("Every perturbed", StringComparison.Ordinal) || c.Name.StartsWith("Epsilon 0", StringComparison.Ordinal)),
            c => Assert.True(c.Passed, c.Detail));
    }

    [Fact]
    public void WhiteBoxGradient_ThroughNormalizer_MatchesFiniteDifferencesOfScoreColumn()
    {
        // The folded model's cross-entropy gradient in raw pixels against central differences of -log Score[y]
        // computed by ML.NET itself on the whole pipeline (normalizer included).
        var (_, data) = RawDigits.Value;
        var blackBox = new TransformerModel(MaximumEntropy.Value, data.Schema, "Features");
        var digits = MLNetJacobian.Data.DigitsDataset.Load();
        float[] x = digits.Row(7).ToArray();
        int label = digits.Labels[7];
        var notices = new List<string>();
        var whiteBox = Assert.IsAssignableFrom<IDifferentiableModel>(WhiteBoxModel.Choose(blackBox, x, 1, notices));
        var gradient = new float[64];
        whiteBox.ComputeLossGradient(x, [label], 1, ILogitLoss.CrossEntropy, new float[10], new float[1], gradient);

        double Loss(float[] input)
        {
            var scores = new float[10];
            blackBox.ComputeOutputs(input, 1, scores);
            return -Math.Log(scores[label]);
        }

        const float h = 0.25f; // a quarter grey level; the loss is smooth, float scores give ~1e-7 noise / 0.5.
        int checkedPixels = 0;
        for (int j = 0; j < 64; j++)
        {
            if (x[j] < h || x[j] > 16 - h) continue;
            float[] plus = (float[])x.Clone(), minus = (float[])x.Clone();
            plus[j] += h;
            minus[j] -= h;
            double numeric = (Loss(plus) - Loss(minus)) / (2 * h);
            // Central differences err by h^2/6 * third derivative; 2e-3 absolute plus 2% covers it at these scales.
            Assert.True(Math.Abs(numeric - gradient[j]) <= 2e-3 + 0.02 * Math.Abs(numeric), $"Pixel {j}: finite difference {numeric}, gradient {gradient[j]}.");
            checkedPixels++;
        }

        Assert.True(checkedPixels > 20);
    }

    [Fact]
    public void EvaluateRobustness_LightGbm_BlackBoxAttacksRunAndGradientAttacksSkipped()
    {
        var (context, data) = RawDigits.Value;
        RobustnessReport report = context.MulticlassClassification.EvaluateRobustness(LightGbm.Value, data,
            RawPixelOptions([new UniformNoiseAttack(draws: 2), PgdAttack.Fgsm(PerturbationNorm.LInfinity), new SquareAttack(maxQueries: 40)]));
        Assert.Contains(report.Notices, n => n.Contains("black box", StringComparison.Ordinal));
        Assert.Contains(report.Notices, n => n.Contains("Gradient attacks skipped (FGSM L-inf)", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Attacks, a => a.Name == "FGSM L-inf");
        RobustnessReport.AttackCurve square = report.GetAttack("Square-40 L-inf");
        Assert.All(square.Points, p => Assert.InRange(p.QueriesPerExample, 1, 40));
        Assert.True(square.Points[^1].RobustAccuracy <= report.CleanAccuracy);
    }

    [Fact]
    public void EvaluateRobustness_MissingFeatureColumn_ThrowsNamingColumn()
    {
        var (context, data) = RawDigits.Value;
        var error = Assert.Throws<ArgumentException>(() => context.MulticlassClassification.EvaluateRobustness(MaximumEntropy.Value, data,
            new RobustnessOptions { FeatureColumnName = "Pixels", UpperBound = 16 }));
        Assert.Contains("feature column 'Pixels' is not in the data", error.Message);
    }

    [Fact]
    public void EvaluateRobustness_MissingLabelColumn_ThrowsNamingColumn()
    {
        var (context, data) = RawDigits.Value;
        var error = Assert.Throws<ArgumentException>(() => context.MulticlassClassification.EvaluateRobustness(MaximumEntropy.Value, data,
            new RobustnessOptions { LabelColumnName = "Class", UpperBound = 16 }));
        Assert.Contains("label column 'Class' is not in the data", error.Message);
    }

    [Fact]
    public void EvaluateRobustness_ModelWithoutScore_ThrowsNamingScore()
    {
        var (context, data) = RawDigits.Value;
        ITransformer normalizerOnly = context.Transforms.NormalizeMinMax("Features").Fit(data);
        var error = Assert.Throws<ArgumentException>(() => context.MulticlassClassification.EvaluateRobustness(normalizerOnly, data,
            new RobustnessOptions { UpperBound = 16 }));
        Assert.Contains("no 'Score' column", error.Message);
    }

    [Fact]
    public void EvaluateRobustness_EmptyDataView_ThrowsEmpty()
    {
        var (context, data) = RawDigits.Value;
        IDataView empty = context.Data.FilterRowsByColumn(data, "Digit", lowerBound: 100, upperBound: 200);
        var error = Assert.Throws<ArgumentException>(() => context.MulticlassClassification.EvaluateRobustness(MaximumEntropy.Value, empty,
            new RobustnessOptions { UpperBound = 16 }));
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void EvaluateRobustness_RawPixelsWithUnitBounds_ThrowsNamingBounds()
    {
        var (context, data) = RawDigits.Value;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => context.MulticlassClassification.EvaluateRobustness(MaximumEntropy.Value, data,
            new RobustnessOptions { MaxExamples = 5 }));
        Assert.Contains("outside the bounds [0, 1]", error.Message);
    }
}
