using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Robustness;
using MLNetJacobian.Trainers;
using MLNetJacobian.Models;
using MLNetJacobian.Tests.Models;

namespace MLNetJacobian.Tests.Robustness;

/// <summary>
/// The main user flow: a JacobianRegularized pipeline (with or without NormalizeMinMax in front) is attacked
/// white-box in the raw pixel space (0..16) of the embedded digits, its folded gradient agrees with ML.NET's own
/// Score column, and models the fold cannot reach (non-affine normalizer, a model loaded from a zip) fall back to
/// a black box with a notice that says why.
/// </summary>
public sealed class JacobianRegularizedWhiteBoxTests
{
    private const int Rows = 150;

    private static readonly Lazy<(MLContext Context, IDataView Data)> RawDigits = new(RawDigitsView.Create);

    private static readonly Lazy<ITransformer> Normalized = new(() => Fit(normalizer: true, learningRate: 0.1f));

    // Raw pixels reach 16: a small step keeps SGD stable and the logits moderate (a saturated float softmax has
    // exactly zero gradient, which the sanity checks flag).
    private static readonly Lazy<ITransformer> Unnormalized = new(() => Fit(normalizer: false, learningRate: 0.002f));

    private static ITransformer Fit(bool normalizer, float learningRate)
    {
        var (context, data) = RawDigits.Value;
        IEstimator<ITransformer> front = context.Transforms.Conversion.MapValueToKey("Label", "Digit");
        if (normalizer) front = front.Append(context.Transforms.NormalizeMinMax("Features"));
        return front
            .Append(context.MulticlassClassification.Trainers.JacobianRegularized(new JacobianRegularizedTrainer.Options
            {
                HiddenLayers = [24],
                NumberOfEpochs = 8,
                LearningRate = learningRate,
                JacobianWeight = 0.01,
                Seed = 3,
                NumberOfThreads = 1,
            }))
            .Append(context.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
    }

    private static RobustnessOptions RawPixelOptions() => new()
    {
        LowerBound = 0,
        UpperBound = 16,
        Epsilons = [1f, 2f, 4f],
        Attacks =
        [
            new UniformNoiseAttack(draws: 2), PgdAttack.Fgsm(PerturbationNorm.LInfinity), new PgdAttack(PerturbationNorm.LInfinity, steps: 10),
            new SquareAttack(maxQueries: 50),
        ],
        MaxExamples = Rows,
        BisectionSteps = 0,
        SanityExampleCount = 30,
        SanityTolerance = 0.05, // one example of the 30 (3.3%) may flip between 10 and 20 PGD steps from its random start
        Seed = 5,
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EvaluateRobustness_JacobianRegularizedPipeline_AttackedWhiteBoxWithGradientAttacks(bool normalizer)
    {
        var (context, data) = RawDigits.Value;
        ITransformer model = normalizer ? Normalized.Value : Unnormalized.Value;
        RobustnessReport report = context.MulticlassClassification.EvaluateRobustness(model, data, RawPixelOptions());

        Assert.Contains(report.Notices, n => n.Contains("white-box", StringComparison.Ordinal) && n.Contains("Jacobian-regularized network 64-24-10", StringComparison.Ordinal));
        Assert.Equal(normalizer, report.Notices.Any(n => n.Contains("affine normalizer -> Jacobian-regularized", StringComparison.Ordinal)));
        Assert.DoesNotContain(report.Notices, n => n.Contains("black box", StringComparison.Ordinal) || n.Contains("skipped", StringComparison.Ordinal));
        Assert.InRange(report.CleanAccuracy, 0.8, 1.0);
        RobustnessReport.AttackCurve pgd = report.GetAttack("PGD-10 L-inf");
        Assert.True(pgd.RequiresGradient);
        Assert.Contains(report.Attacks, a => a.Name == "FGSM L-inf");
        RobustnessReport.AttackCurve square = report.GetAttack("Square-50 L-inf");
        RobustnessReport.AttackCurve noise = report.Attacks.Single(a => a.Name.StartsWith("Uniform", StringComparison.Ordinal));
        for (int s = 0; s < pgd.Points.Count; s++)
        {
            // Exact gradients: PGD must do at least as well as query-limited Square and random noise at every epsilon.
            Assert.True(pgd.Points[s].RobustAccuracy <= square.Points[s].RobustAccuracy, $"PGD {pgd.Points[s].RobustAccuracy} vs Square {square.Points[s].RobustAccuracy} at {pgd.Points[s].Strength}.");
            Assert.True(pgd.Points[s].RobustAccuracy <= noise.Points[s].RobustAccuracy, $"PGD {pgd.Points[s].RobustAccuracy} vs noise {noise.Points[s].RobustAccuracy} at {pgd.Points[s].Strength}.");
        }

        Assert.True(pgd.Points[^1].RobustAccuracy < pgd.Points[0].RobustAccuracy, "PGD at 4 grey levels must fool more than at 1.");
        Assert.All(report.SanityChecks.Where(c => !c.Name.StartsWith("L-inf epsilon of half", StringComparison.Ordinal)), c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WhiteBoxGradient_JacobianRegularizedPipeline_MatchesFiniteDifferencesOfScoreColumn(bool normalizer)
    {
        // The folded network's cross-entropy gradient in raw pixels against central differences of -log Score[y]
        // computed by ML.NET itself (ONNX scoring) on the whole pipeline, normalizer included.
        var (_, data) = RawDigits.Value;
        ITransformer model = normalizer ? Normalized.Value : Unnormalized.Value;
        var blackBox = new TransformerModel(model, data.Schema, "Features");
        var digits = MLNetJacobian.Data.DigitsDataset.Load();
        const int row = 7;
        float[] x = digits.Row(row).ToArray();
        int label = digits.Labels[row];
        var notices = new List<string>();
        var whiteBox = Assert.IsType<NetworkModel<float>>(WhiteBoxModel.Choose(blackBox, x, 1, notices));
        var gradient = new float[64];
        whiteBox.ComputeLossGradient(x, [ClassIndexOf(model, data, label)], 1, ILogitLoss.CrossEntropy, new float[10], new float[1], gradient);

        int classIndex = ClassIndexOf(model, data, label);
        double Loss(float[] input)
        {
            var scores = new float[10];
            blackBox.ComputeOutputs(input, 1, scores);
            return -Math.Log(scores[classIndex]);
        }

        const float h = 0.05f; // a twentieth of a grey level: ReLU kinks are rarely crossed, float scores give ~1e-7 / 0.1 noise.
        int checkedPixels = 0, agreeing = 0;
        double largestGradient = gradient.Max(v => Math.Abs(v));
        for (int j = 0; j < 64; j++)
        {
            if (x[j] < h || x[j] > 16 - h) continue;
            float[] plus = (float[])x.Clone(), minus = (float[])x.Clone();
            plus[j] += h;
            minus[j] -= h;
            double numeric = (Loss(plus) - Loss(minus)) / (2 * h);
            // float32 ONNX scores: ~1e-6 relative on the loss over 2h = 0.1, plus 2% for the curvature inside the step.
            if (Math.Abs(numeric - gradient[j]) <= 1e-4 + 1e-3 * largestGradient + 0.02 * Math.Abs(numeric)) agreeing++;
            checkedPixels++;
        }

        Assert.True(checkedPixels > 20, $"Only {checkedPixels} interior pixels.");
        // A ReLU kink inside [x - h, x + h] can spoil a pixel's difference quotient; allow one in twenty.
        Assert.True(agreeing >= checkedPixels - checkedPixels / 20, $"{agreeing} of {checkedPixels} pixels agree with finite differences.");
    }

    [Fact]
    public void WhiteBoxGradient_NormalizerInFrontOfConvolution_AppliedInFrontAndMatchesFiniteDifferences()
    {
        // A convolution cannot absorb NormalizeMinMax's per-pixel map (its zero padding is in the normalized space), so the
        // map is applied in front of the network (AffineInputModel): outputs reproduce ML.NET's Score column (checked by
        // Choose), and the raw-pixel gradient agrees with central differences of -log Score[y] from ONNX scoring.
        var (context, data) = RawDigits.Value;
        ITransformer model = context.Transforms.Conversion.MapValueToKey("Label", "Digit")
            .Append(context.Transforms.NormalizeMinMax("Features"))
            .Append(context.MulticlassClassification.Trainers.JacobianRegularized(new JacobianRegularizedTrainer.Options
            {
                Layers = MLNetJacobian.Network.NetworkLayers.Parse("conv 3 3 pad 1, tanh, avgpool 2, dense 12, tanh"),
                ImageShape = new MLNetJacobian.Network.ImageShape(1, 8, 8),
                NumberOfEpochs = 3,
                LearningRate = 0.05,
                JacobianWeight = 0.01,
                Seed = 3,
                NumberOfThreads = 1,
            }))
            .Fit(data);
        var blackBox = new TransformerModel(model, data.Schema, "Features");
        var digits = MLNetJacobian.Data.DigitsDataset.Load();
        const int row = 11;
        float[] x = digits.Row(row).ToArray();
        var notices = new List<string>();
        var whiteBox = Assert.IsType<AffineInputModel>(WhiteBoxModel.Choose(blackBox, [.. Enumerable.Range(0, 64).SelectMany(i => digits.Row(i).ToArray())], 64, notices));
        Assert.Contains(notices, n => n.Contains("white-box", StringComparison.Ordinal) && n.Contains("affine normalizer", StringComparison.Ordinal));
        int classIndex = ClassIndexOf(model, data, digits.Labels[row]);
        var gradient = new float[64];
        whiteBox.ComputeLossGradient(x, [classIndex], 1, ILogitLoss.CrossEntropy, new float[10], new float[1], gradient);

        double Loss(float[] input)
        {
            var scores = new float[10];
            blackBox.ComputeOutputs(input, 1, scores);
            return -Math.Log(scores[classIndex]);
        }

        const float h = 0.05f;
        double largest = gradient.Max(v => Math.Abs(v)), worst = 0;
        int checkedPixels = 0;
        for (int j = 0; j < 64; j++)
        {
            if (x[j] < h || x[j] > 16 - h) continue;
            float[] plus = (float[])x.Clone(), minus = (float[])x.Clone();
            plus[j] += h;
            minus[j] -= h;
            double numeric = (Loss(plus) - Loss(minus)) / (2 * h);
            // tanh is smooth: float32 scores give ~1e-6 / 0.1 of noise, the curvature inside the step ~1% of the value.
            worst = Math.Max(worst, Math.Abs(numeric - gradient[j]) / (1e-4 + 1e-3 * largest + 0.01 * Math.Abs(numeric)));
            checkedPixels++;
        }

        Assert.True(checkedPixels > 20, $"Only {checkedPixels} interior pixels.");
        Assert.True(largest > 0, "The gradient is zero.");
        Assert.True(worst <= 1, $"The gradient disagrees with finite differences by {worst:F2} times the tolerance.");
    }

    [Fact]
    public void EvaluateRobustness_NonAffineNormalizerInFront_BlackBoxWithNotice()
    {
        var (context, data) = RawDigits.Value;
        ITransformer model = context.Transforms.Conversion.MapValueToKey("Label", "Digit")
            .Append(context.Transforms.NormalizeLogMeanVariance("Features"))
            .Append(context.MulticlassClassification.Trainers.JacobianRegularized(hiddenLayers: [8], numberOfEpochs: 1))
            .Fit(data);
        var blackBox = new TransformerModel(model, data.Schema, "Features");
        var notices = new List<string>();
        IModel chosen = WhiteBoxModel.Choose(blackBox, [.. MLNetJacobian.Data.DigitsDataset.Load().Row(0)], 1, notices);
        Assert.Same(blackBox, chosen);
        Assert.Contains(notices, n => n.Contains("black box", StringComparison.Ordinal) && n.Contains("not affine", StringComparison.Ordinal));
    }

    [Fact]
    public void EvaluateRobustness_ModelLoadedFromZip_BlackBoxWithLoadedNotice()
    {
        var (context, data) = RawDigits.Value;
        using var stream = new MemoryStream();
        context.Model.Save(Normalized.Value, data.Schema, stream);
        stream.Position = 0;
        ITransformer loaded = context.Model.Load(stream, out _);
        var blackBox = new TransformerModel(loaded, data.Schema, "Features");
        var notices = new List<string>();
        IModel chosen = WhiteBoxModel.Choose(blackBox, [.. MLNetJacobian.Data.DigitsDataset.Load().Row(0)], 1, notices);
        Assert.Same(blackBox, chosen);
        Assert.Contains(notices, n => n.Contains("loaded from a zip", StringComparison.Ordinal) && n.Contains("OnnxTransformer", StringComparison.Ordinal));
    }

    /// <summary>The Score slot of a digit: the key the pipeline's MapValueToKey gives it, minus one.</summary>
    private static int ClassIndexOf(ITransformer model, IDataView data, int digit)
    {
        IDataView scored = model.Transform(data);
        VBuffer<ReadOnlyMemory<char>> names = default;
        scored.Schema["Score"].GetSlotNames(ref names);
        string wanted = digit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        int index = names.DenseValues().Select(n => n.ToString()).ToList().IndexOf(wanted);
        Assert.True(index >= 0, $"No Score slot named {wanted}.");
        return index;
    }
}
