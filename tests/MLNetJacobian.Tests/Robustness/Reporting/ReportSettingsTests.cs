using Microsoft.ML;
using MLNetJacobian.Models;
using MLNetJacobian.Robustness;

namespace MLNetJacobian.Tests.Robustness;

/// <summary>
/// What the report says about the evaluation it ran: epsilons and noise scaled to the bounds, the seed used, results
/// per example, attack names that tell settings apart, and checks that read what an attack is, not its type.
/// </summary>
public sealed class ReportSettingsTests
{
    private const int Rows = 40;

    /// <summary>The softmax model on raw 0..16 pixels (its weights divided by 16), and the first rows in raw pixels.</summary>
    private static (LinearModel Model, float[] Features, int[] Labels) RawPixels()
    {
        LinearModel unit = RobustnessTestModels.Softmax;
        LinearModel raw = unit.PrependAffine(Enumerable.Repeat(1f / 16, unit.FeatureCount).ToArray(), [], "softmax on 0..16 pixels");
        (float[] x, int[] y) = RobustnessTestModels.FirstDigits(Rows);
        return (raw, x.Select(v => v * 16).ToArray(), y);
    }

    private static RobustnessOptions Quick(IReadOnlyList<Attack> attacks) => new()
    {
        Attacks = attacks,
        RunSanityChecks = false,
        BisectionSteps = 0,
        ThreadCount = 1,
        Seed = 5,
    };

    [Fact]
    public void Evaluate_BoundsZeroToSixteenWithDefaults_ScalesEpsilonsAndNoiseToTheRangeAndSaysSo()
    {
        (LinearModel model, float[] x, int[] y) = RawPixels();
        RobustnessReport report = RobustnessEvaluator.Evaluate(model, x, y,
            Quick([PgdAttack.Fgsm(PerturbationNorm.LInfinity), new GaussianNoiseAttack(draws: 1)]) with { LowerBound = 0, UpperBound = 16 });

        Assert.Equal([0.8f, 1.6f, 3.2f, 4.8f], report.Configuration.Epsilons);
        Assert.Contains("default", report.Configuration.EpsilonSource, StringComparison.Ordinal);
        Assert.Equal([0.8f, 1.6f, 3.2f, 4.8f], report.GetAttack("FGSM L-inf").Points.Select(p => p.Strength));
        Assert.Equal([1.6f, 3.2f, 4.8f, 8f], report.GetAttack("Gaussian noise x1").Points.Select(p => p.Strength));
        Assert.Contains("1.6, 3.2, 4.8, 8 (default: 0.1, 0.2, 0.3, 0.5 x the input range 16)", report.Configuration.AttackStrengths["Gaussian noise x1"], StringComparison.Ordinal);
        // Noise of a tenth of the range and more must hurt a linear model on raw pixels (with 0.1..0.5 absolute it barely did).
        Assert.True(report.GetAttack("Gaussian noise x1").Points[^1].RobustAccuracy < report.CleanAccuracy - 0.1);
    }

    [Fact]
    public void Evaluate_GivenEpsilons_UsedAsGivenAndReportedAsGiven()
    {
        (LinearModel model, float[] x, int[] y) = RawPixels();
        RobustnessReport report = RobustnessEvaluator.Evaluate(model, x, y,
            Quick([PgdAttack.Fgsm(PerturbationNorm.LInfinity)]) with { LowerBound = 0, UpperBound = 16, Epsilons = [0.5f, 1f] });

        Assert.Equal([0.5f, 1f], report.Configuration.Epsilons);
        Assert.Equal("given", report.Configuration.EpsilonSource);
    }

    [Fact]
    public void EvaluateRobustness_SeedFromMLContext_ReportsTheSeedUsedAndReproduces()
    {
        (LinearModel model, float[] x, int[] y) = RawPixels();
        RobustnessReport Run()
        {
            var context = new MLContext(seed: 1);
            IDataView data = context.Data.LoadFromEnumerable(Enumerable.Range(0, Rows).Select(i => new Row { Features = x.AsSpan(i * 64, 64).ToArray(), Label = y[i] }).ToList());
            return context.MulticlassClassification.EvaluateRobustness(model, data,
                Quick([new UniformNoiseAttack(draws: 1), new SquareAttack(maxQueries: 20)]) with { Seed = null, LowerBound = 0, UpperBound = 16 });
        }

        RobustnessReport first = Run(), second = Run();

        Assert.Equal("drawn from the MLContext's random source", first.Configuration.SeedSource);
        Assert.Equal(first.Configuration.Seed, second.Configuration.Seed);
        Assert.Contains($"seed {first.Configuration.Seed} (drawn from the MLContext's random source)", first.ToString(), StringComparison.Ordinal);
        Assert.Equal(first.Attacks.SelectMany(a => a.Points).Select(p => p.FooledCount), second.Attacks.SelectMany(a => a.Points).Select(p => p.FooledCount));
        // Rerunning with the reported seed gives the same figures.
        RobustnessReport again = RobustnessEvaluator.Evaluate(model, x, y,
            Quick([new UniformNoiseAttack(draws: 1), new SquareAttack(maxQueries: 20)]) with { Seed = first.Configuration.Seed, LowerBound = 0, UpperBound = 16 });
        Assert.Equal(first.Attacks.SelectMany(a => a.Points).Select(p => p.FooledCount), again.Attacks.SelectMany(a => a.Points).Select(p => p.FooledCount));
    }

    [Fact]
    public void Evaluate_PerExampleResults_OneEntryPerAttackAndStrengthAgreeingWithTheCurves()
    {
        (float[] x, int[] y) = RobustnessTestModels.FirstDigits(Rows);
        RobustnessReport report = RobustnessEvaluator.Evaluate(RobustnessTestModels.Softmax, x, y,
            Quick([PgdAttack.Fgsm(PerturbationNorm.LInfinity), new GaussianNoiseAttack(draws: 1) { Strengths = [0.3f] }]) with
            {
                Epsilons = [0.05f, 0.2f],
                IncludeAdversarialInputs = true,
            });

        foreach (RobustnessReport.ExampleOutcome example in report.Examples)
        {
            bool attacked = example.CleanPrediction == example.Label;
            Assert.Equal(attacked ? 3 : 0, example.Attacks.Count);
            foreach (RobustnessReport.ExampleAttackOutcome outcome in example.Attacks)
            {
                Assert.Equal(outcome.Fooled, outcome.AdversarialPrediction != example.Label);
                float[] input = Assert.IsType<float[]>(outcome.AdversarialInput);
                Assert.All(input, v => Assert.InRange(v, 0f, 1f));
                ReadOnlySpan<float> clean = x.AsSpan(example.Index * 64, 64);
                PerturbationNorm norm = outcome.Norm == "L-inf" ? PerturbationNorm.LInfinity : PerturbationNorm.L2;
                Assert.Equal(norm.Distance(input, clean), outcome.PerturbationNorm, 5);
                if (outcome.Norm == "L-inf") Assert.True(outcome.PerturbationNorm <= outcome.Strength * (1 + 1e-5) + 1e-6);
            }
        }

        foreach (RobustnessReport.AttackCurve curve in report.Attacks)
        {
            foreach (RobustnessReport.AttackPoint point in curve.Points)
            {
                int fooled = report.Examples.SelectMany(e => e.Attacks).Count(o => o.Attack == curve.Name && o.Strength == point.Strength && o.Fooled);
                Assert.Equal(point.FooledCount, fooled);
            }
        }
    }

    [Fact]
    public void AttackNames_SettingsThatDiffer_GiveDifferentNamesAndDefaultsKeepTheirs()
    {
        Assert.Equal("PGD-40 L-inf", new PgdAttack(PerturbationNorm.LInfinity).Name);
        Assert.Equal("FGSM L-inf", PgdAttack.Fgsm(PerturbationNorm.LInfinity).Name);
        Assert.Equal("APGD-CE L-inf", new ApgdAttack(ILogitLoss.CrossEntropy).Name);
        Assert.Equal("Square-5000 L-inf", new SquareAttack().Name);
        Attack[] variants =
        [
            new PgdAttack(PerturbationNorm.LInfinity, steps: 10),
            new PgdAttack(PerturbationNorm.LInfinity, steps: 10) { AbsoluteStepSize = 0.01f },
            new PgdAttack(PerturbationNorm.LInfinity, steps: 10) { AbsoluteStepSize = 0.02f },
            new PgdAttack(PerturbationNorm.LInfinity, steps: 10, relativeStepSize: 0.1f),
            new PgdAttack(PerturbationNorm.LInfinity, steps: 10, randomStart: false),
            new PgdAttack(PerturbationNorm.LInfinity, steps: 10) { Loss = ILogitLoss.DifferenceOfLogitsRatio },
            new PgdAttack(PerturbationNorm.LInfinity, steps: 10) { ReturnFirstAdversarial = false },
            new ApgdAttack(ILogitLoss.CrossEntropy, iterations: 50),
            new ApgdAttack(ILogitLoss.CrossEntropy, restarts: 2),
            new ApgdAttack(ILogitLoss.CrossEntropy) { ReturnFirstAdversarial = false },
            new SquareAttack(initialFraction: 0.3f),
            new SquareAttack() { ImageHeight = 8, ImageWidth = 8 },
        ];

        Assert.Equal(variants.Length, variants.Select(a => a.Name).Distinct().Count());
    }

    [Fact]
    public void SanityChecks_NewIterativeGradientAttackType_CheckedByWhatItIsNotByItsType()
    {
        (float[] x, int[] y) = RobustnessTestModels.FirstDigits(Rows);
        var custom = new DelegatingAttack(new PgdAttack(PerturbationNorm.LInfinity, steps: 10));
        RobustnessReport report = RobustnessEvaluator.Evaluate(RobustnessTestModels.Softmax, x, y, new RobustnessOptions
        {
            Attacks = [PgdAttack.Fgsm(PerturbationNorm.LInfinity), custom],
            Epsilons = [0.1f],
            ThreadCount = 1,
            BisectionSteps = 0,
            SanityExampleCount = 20,
            Seed = 2,
        });

        Assert.Contains(report.SanityChecks, c => c.Name == "custom PGD at least as strong as FGSM L-inf per example");
        Assert.Contains(report.SanityChecks, c => c.Name == "Doubling the steps of custom PGD leaves robust accuracy unchanged");
        Assert.Contains(report.SanityChecks, c => c.Name == "L-inf epsilon of half the input range brings accuracy to chance" && c.Detail.StartsWith("custom PGD", StringComparison.Ordinal));
    }

    [Fact]
    public void SanityChecks_NewUnclippedNoiseAttackType_BoundsCheckReadsClipsToBounds()
    {
        (float[] x, int[] y) = RobustnessTestModels.FirstDigits(Rows);
        RobustnessReport Run(bool declaresUnclipped) => RobustnessEvaluator.Evaluate(RobustnessTestModels.Softmax, x, y, new RobustnessOptions
        {
            Attacks = [new UnclippedNoise(declaresUnclipped) { Strengths = [0.5f] }],
            ThreadCount = 1,
            BisectionSteps = 0,
            SanityExampleCount = 20,
            Seed = 2,
        });

        const string name = "Every perturbed input lies inside the epsilon ball and the bounds";
        // Sigma 0.5 on [0, 1] pixels leaves the box: a new attack type that says it does not clip is not flagged ...
        Assert.True(Assert.Single(Run(declaresUnclipped: true).SanityChecks, c => c.Name == name).Passed);
        // ... and the same inputs from an attack that claims to clip are (the check reads the attack, not its type).
        Assert.False(Assert.Single(Run(declaresUnclipped: false).SanityChecks, c => c.Name == name).Passed);
    }

    [Fact]
    public void SanityCheckResult_PassedWithinTolerance_ShownAsWithinToleranceNotOk()
    {
        Assert.Equal("ok", new SanityCheckResult("a", true, "").Status);
        Assert.Equal("within tolerance", new SanityCheckResult("a", true, "", WithinTolerance: true).Status);
        Assert.Equal("WARNING", new SanityCheckResult("a", false, "", WithinTolerance: true).Status);
    }

    /// <summary>An attack type the checks have never seen: it runs a PGD and says what it is.</summary>
    private sealed class DelegatingAttack(PgdAttack inner) : Attack
    {
        public override string Name => "custom PGD";

        public override PerturbationNorm? Norm => inner.Norm;

        public override AttackKind Kind => AttackKind.Gradient;

        public override int? GradientSteps => inner.Steps;

        public override IReadOnlyDictionary<string, string> Settings => inner.Settings;

        public override Attack? WithDoubledEffort() => inner.WithDoubledEffort();

        public override bool ShouldBeAtLeastAsStrongAs(Attack other) => inner.ShouldBeAtLeastAsStrongAs(other);

        public override AttackWorker CreateWorker(IModel model, InputBounds bounds, int maxRows) => inner.CreateWorker(model, bounds, maxRows);
    }

    /// <summary>A noise attack type the checks have never seen, whose inputs leave the box.</summary>
    private sealed class UnclippedNoise(bool declaresUnclipped) : Attack
    {
        private readonly GaussianNoiseAttack _inner = new(draws: 1) { Clip = false };

        public override string Name => "custom unclipped noise";

        public override PerturbationNorm? Norm => null;

        public override AttackKind Kind => AttackKind.Noise;

        public override bool ClipsToBounds => !declaresUnclipped;

        public override IReadOnlyDictionary<string, string> Settings => _inner.Settings;

        public override AttackWorker CreateWorker(IModel model, InputBounds bounds, int maxRows) => _inner.CreateWorker(model, bounds, maxRows);
    }

    private sealed class Row
    {
        [Microsoft.ML.Data.VectorType(64)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
