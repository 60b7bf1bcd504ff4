using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Models;
using MLNetJacobian.Robustness;

namespace MLNetJacobian.Tests.Robustness;

/// <summary>
/// Binary and regression robustness through ML.NET's catalogs on tabular data: exact figures for linear models
/// (FGSM on a linear model is the optimal L-inf attack, so its effect is known in closed form), feature subsets and
/// per-feature scales, the black-box search on trees, and the errors for bad input.
/// </summary>
public sealed class TabularRobustnessTests
{
    private const int FeatureCount = 5;
    private static readonly string[] Names = ["A", "B", "C", "D", "E"];

    /// <summary>Breast cancer (30 features of very different scales, Boolean label), the first 400 rows to train and the next 150 to test.</summary>
    private static readonly Lazy<(MLContext Context, IDataView Train, IDataView Test)> BreastCancer = new(() =>
    {
        var context = new MLContext(seed: 1);
        var columns = new[]
        {
            new TextLoader.Column("Features", DataKind.Single, 0, 29),
            new TextLoader.Column("Malignant", DataKind.Single, 30),
        };
        IDataView raw = context.Data.LoadFromTextFile(SharedData.PathOf("tabular", "breast-cancer.csv"), columns, separatorChar: ',', hasHeader: true);
        IDataView all = context.Transforms.Conversion.ConvertType("Label", "Malignant", DataKind.Boolean).Fit(raw).Transform(raw);
        return (context, context.Data.TakeRows(all, 400), context.Data.SkipRows(all, 400));
    });

    private static readonly Lazy<ITransformer> Logistic = new(() =>
    {
        var (context, train, _) = BreastCancer.Value;
        return context.Transforms.NormalizeMeanVariance("Features")
            .Append(context.BinaryClassification.Trainers.LbfgsLogisticRegression())
            .Fit(train);
    });

    /// <summary>Synthetic regression: five named features of scales 1, 10, 100, 0.1 and 1; y linear in them plus noise.</summary>
    private static readonly Lazy<(MLContext Context, IDataView Train, IDataView Test)> Synthetic = new(() =>
    {
        var context = new MLContext(seed: 2);
        var random = new Random(7);
        float[] scales = [1f, 10f, 100f, 0.1f, 1f];
        Row Draw()
        {
            float[] x = scales.Select(s => s * (float)NormalSample(random)).ToArray();
            float y = 2f * x[0] + 0.3f * x[1] - 0.05f * x[2] + 10f * x[3] + 0.5f * (float)NormalSample(random);
            return new Row { A = x[0], B = x[1], C = x[2], D = x[3], E = x[4], Label = y };
        }

        var concat = context.Transforms.Concatenate("Features", Names);
        IDataView Load(int n)
        {
            IDataView view = context.Data.LoadFromEnumerable(Enumerable.Range(0, n).Select(_ => Draw()).ToList());
            return concat.Fit(view).Transform(view);
        }

        return (context, Load(400), Load(200));
    });

    private static readonly Lazy<ITransformer> Sdca = new(() =>
    {
        var (context, train, _) = Synthetic.Value;
        return context.Transforms.NormalizeMeanVariance("Features")
            .Append(context.Regression.Trainers.Sdca(maximumNumberOfIterations: 50))
            .Fit(train);
    });

    private sealed class Row
    {
        public float A { get; set; }

        public float B { get; set; }

        public float C { get; set; }

        public float D { get; set; }

        public float E { get; set; }

        public float Label { get; set; }
    }

    private static double NormalSample(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Rows of the feature column and the clean outputs of a model on them.</summary>
    private static (float[] X, float[] Outputs, int Rows) Score(ITransformer model, IDataView data, int d)
    {
        var examples = DataViewExamples.FromDataView(data, d, "Features", null, null);
        var box = new TransformerModel(model, data.Schema);
        var outputs = new float[examples.Count];
        box.ComputeOutputs(examples.Features, examples.Count, outputs);
        return (examples.Features, outputs, examples.Count);
    }

    /// <summary>
    /// The weights of a model that is linear in its raw features, by differences at the origin with a step of each
    /// feature's scale (exact for an affine model up to float rounding, which a step of the feature's size keeps relative).
    /// </summary>
    private static double[] LinearWeights(ITransformer model, DataViewSchema schema, float[] steps)
    {
        int d = steps.Length;
        var box = new TransformerModel(model, schema);
        var rows = new float[(d + 1) * d];
        for (int j = 0; j < d; j++) rows[(j + 1) * d + j] = steps[j];
        var outputs = new float[d + 1];
        box.ComputeOutputs(rows, d + 1, outputs);
        return Enumerable.Range(0, d).Select(j => ((double)outputs[j + 1] - outputs[0]) / steps[j]).ToArray();
    }

    private static float[] StandardDeviations(IDataView data, int d)
    {
        var examples = DataViewExamples.FromDataView(data, d, "Features", null, null);
        var result = new float[d];
        for (int j = 0; j < d; j++)
        {
            double[] column = Enumerable.Range(0, examples.Count).Select(i => (double)examples.Features[i * d + j]).ToArray();
            double mean = column.Average();
            result[j] = (float)Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / column.Length);
        }

        return result;
    }

    [Fact]
    public void Binary_LogisticRegressionBehindNormalizer_FgsmAccuracyMatchesClosedForm()
    {
        var (context, train, test) = BreastCancer.Value;
        int[] moved = [0, 1, 2, 3, 20, 21, 22, 23];
        var options = new RobustnessOptions
        {
            LowerBound = float.NegativeInfinity,
            UpperBound = float.PositiveInfinity,
            PerturbedSlots = moved,
            FeatureScaleData = train,
            Epsilons = [0.1f, 0.3f, 0.6f],
            Attacks = [PgdAttack.Fgsm(PerturbationNorm.LInfinity), new PgdAttack(PerturbationNorm.LInfinity, steps: 10), new SquareAttack(maxQueries: 200)],
            BisectionSteps = 0,
            SanityExampleCount = 60,
            Seed = 4,
        };
        RobustnessReport report = context.BinaryClassification.EvaluateRobustness(Logistic.Value, test, options);

        Assert.Contains(report.Notices, n => n.Contains("white-box", StringComparison.Ordinal) && n.Contains("LinearBinary", StringComparison.Ordinal));
        Assert.Equal(2, report.ClassCount);
        Assert.Equal(169, report.ExampleCount);
        Assert.InRange(report.CleanAuc!.Value, 0.95, 1.0);

        // A linear logit z = w.x + b: FGSM, the best L-inf attack on it, of radius eps (in scale units, on the moved slots)
        // lowers the signed logit by exactly eps * sum_j |w_j| s_j, so a correct example survives iff |z| exceeds that
        // (up to float rounding: the examples within 1e-4 of the threshold may go either way).
        float[] s = StandardDeviations(train, 30);
        double[] w = LinearWeights(Logistic.Value, test.Schema, s);
        double reach = moved.Sum(j => Math.Abs(w[j]) * s[j]);
        var (_, z, n) = Score(Logistic.Value, test, 30);
        bool[] labels = test.GetColumn<bool>("Label").ToArray();
        RobustnessReport.AttackCurve fgsm = report.GetAttack("FGSM L-inf");
        for (int e = 0; e < 3; e++)
        {
            double eps = options.Epsilons[e];
            int expected = Enumerable.Range(0, n).Count(i => (z[i] > 0) == labels[i] && Math.Abs(z[i]) > eps * reach * (1 + 1e-4));
            int ambiguous = Enumerable.Range(0, n).Count(i => Math.Abs(Math.Abs(z[i]) - eps * reach) <= 1e-4 * eps * reach);
            Assert.InRange(fgsm.Points[e].RobustAccuracy * n, expected, expected + ambiguous);
            Assert.True(report.GetAttack("PGD-10 L-inf").Points[e].RobustAccuracy <= fgsm.Points[e].RobustAccuracy + 1e-12);
            Assert.InRange(fgsm.Points[e].Auc!.Value, 0.0, 1.0);
        }

        Assert.True(fgsm.Points[^1].RobustAccuracy < fgsm.Points[0].RobustAccuracy);
        foreach (string name in new[] { "Predictions are deterministic", "Epsilon 0 reproduces clean accuracy", "Every perturbed input lies inside the epsilon ball and the bounds" })
        {
            SanityCheckResult check = Assert.Single(report.SanityChecks, c => c.Name == name);
            Assert.True(check.Passed, check.Detail);
        }

        string text = report.ToString();
        Assert.Contains("clean AUC", text, StringComparison.Ordinal);
        Assert.Contains("8 of 30 features move", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_FixedSlotsKeepTheirValuesInEveryAdversarialInput()
    {
        var (context, train, test) = BreastCancer.Value;
        int[] moved = [0, 7, 27];
        RobustnessReport report = context.BinaryClassification.EvaluateRobustness(Logistic.Value, test, new RobustnessOptions
        {
            LowerBound = 0,
            UpperBound = float.PositiveInfinity,
            PerturbedSlots = moved,
            FeatureScaleData = train,
            Epsilons = [0.5f, 2f],
            Attacks = [new UniformNoiseAttack(draws: 1), new PgdAttack(PerturbationNorm.L2, steps: 5), new SquareAttack(maxQueries: 30)],
            IncludeAdversarialInputs = true,
            RunSanityChecks = false,
            BisectionSteps = 0,
            MaxExamples = 40,
            Seed = 1,
        });
        var (x, _, _) = Score(Logistic.Value, test, 30);
        int checkedInputs = 0;
        foreach (RobustnessReport.ExampleOutcome example in report.Examples)
        {
            foreach (RobustnessReport.ExampleAttackOutcome attack in example.Attacks)
            {
                IReadOnlyList<float> input = attack.AdversarialInput!;
                for (int j = 0; j < 30; j++)
                {
                    float clean = x[example.Index * 30 + j];
                    if (!moved.Contains(j)) Assert.Equal(clean, input[j]);
                    Assert.True(input[j] >= 0f, "The lower bound 0 holds in raw units.");
                }

                checkedInputs++;
            }
        }

        Assert.True(checkedInputs > 100);
    }

    [Fact]
    public void Regression_SdcaBehindNormalizer_ChangeAndErrorMatchClosedForm()
    {
        var (context, train, test) = Synthetic.Value;
        var options = new RegressionRobustnessOptions
        {
            PerturbedFeatures = ["A", "C", "D"],
            FeatureScaleData = train,
            Epsilons = [0.1f, 0.5f],
            Attacks = [PgdAttack.Fgsm(PerturbationNorm.LInfinity), new PgdAttack(PerturbationNorm.LInfinity, steps: 10), new SquareAttack(maxQueries: 100)],
            SanityExampleCount = 50,
            Seed = 3,
        };
        RegressionRobustnessReport report = context.Regression.EvaluateRobustness(Sdca.Value, test, options);
        Assert.Contains(report.Notices, n => n.Contains("white-box", StringComparison.Ordinal) && n.Contains("LinearRegression", StringComparison.Ordinal));

        // f(x) = w.x + b: the largest change in the eps box (scale units, moved features) is eps * sum |w_j| s_j for every
        // example, and the error objective adds exactly that to each |residual|.
        float[] s = StandardDeviations(train, FeatureCount);
        double[] w = LinearWeights(Sdca.Value, test.Schema, s);
        double reach = new[] { 0, 2, 3 }.Sum(j => Math.Abs(w[j]) * s[j]);
        var (_, f, n) = Score(Sdca.Value, test, FeatureCount);
        float[] y = test.GetColumn<float>("Label").ToArray();
        double cleanMae = Enumerable.Range(0, n).Average(i => Math.Abs(f[i] - y[i]));
        Assert.Equal(cleanMae, report.CleanMae, 1e-3 * (1 + cleanMae));
        foreach (string attack in new[] { "FGSM L-inf", "PGD-10 L-inf", "Square-100 L-inf" })
        {
            RegressionRobustnessReport.AttackCurve change = report.GetAttack(attack, RegressionObjective.PredictionChange);
            RegressionRobustnessReport.AttackCurve error = report.GetAttack(attack, RegressionObjective.Error);
            for (int e = 0; e < 2; e++)
            {
                double best = options.Epsilons[e] * reach;
                // The change |a.delta| is largest at the two corners +-sign(a) of the box: every attack reaches one for every example
                // (Square among 2^3 corners well within 100 queries).
                Assert.True(Math.Abs(change.Points[e].Change.Mean - best) <= 2e-3 * best, $"{attack} at {options.Epsilons[e]}: mean change {change.Points[e].Change.Mean}, optimum {best}.");
                Assert.True(Math.Abs(change.Points[e].Change.Maximum - best) <= 2e-3 * best, $"{attack} at {options.Epsilons[e]}: largest change {change.Points[e].Change.Maximum}, optimum {best}.");
                // |f(x') - y| = |r + delta| over delta in [-best, best]: the maximum |r| + best pushes away from the label, which FGSM
                // (from x, along sign(r)) does exactly. A search from a random start can end on the other side, at the local
                // maximum best - |r| when |r| < best: it reaches one of the two.
                double lowest = Enumerable.Range(0, n).Average(i => Math.Abs(f[i] - y[i]) >= best ? Math.Abs(f[i] - y[i]) + best : best - Math.Abs(f[i] - y[i]));
                double mae = error.Points[e].Mae;
                if (attack == "FGSM L-inf") Assert.True(Math.Abs(mae - cleanMae - best) <= 2e-3 * (cleanMae + best), $"{attack} at {options.Epsilons[e]}: MAE {mae}, optimum {cleanMae + best}.");
                Assert.InRange(mae, lowest * (1 - 2e-3), (cleanMae + best) * (1 + 2e-3));
            }
        }

        string[] mustPass = ["Predictions are deterministic", "Epsilon 0 leaves predictions unchanged", "Every perturbed input lies inside the epsilon ball and the bounds",
            "Input gradients are finite and non-zero"];
        foreach (string name in mustPass)
        {
            SanityCheckResult check = Assert.Single(report.SanityChecks, c => c.Name == name);
            Assert.True(check.Passed, check.Detail);
        }
    }

    [Fact]
    public void Regression_GaussianNoise_MeanChangeMatchesHalfNormalWithinFourStandardErrors()
    {
        var (context, train, test) = Synthetic.Value;
        float sigma = 0.5f;
        RegressionRobustnessReport report = context.Regression.EvaluateRobustness(Sdca.Value, test, new RegressionRobustnessOptions
        {
            FeatureScaleData = train,
            Epsilons = [0.1f],
            Attacks = [new GaussianNoiseAttack(draws: 1) { Strengths = [sigma] }],
            RunSanityChecks = false,
            Seed = 11,
        });
        // f(x + sigma s.n) - f(x) = sigma sum_j w_j s_j n_j ~ N(0, sigma^2 ||w.s||^2): |change| has mean sigma ||w.s|| sqrt(2/pi)
        // and standard deviation sigma ||w.s|| sqrt(1 - 2/pi); the mean of n independent draws has that over sqrt(n).
        float[] s = StandardDeviations(train, FeatureCount);
        double[] w = LinearWeights(Sdca.Value, test.Schema, s);
        double norm = Math.Sqrt(Enumerable.Range(0, FeatureCount).Sum(j => w[j] * w[j] * s[j] * s[j]));
        RegressionRobustnessReport.AttackCurve noise = Assert.Single(report.Attacks);
        Assert.Null(noise.Objective);
        int n = report.ExampleCount;
        double expected = sigma * norm * Math.Sqrt(2 / Math.PI), standardError = sigma * norm * Math.Sqrt(1 - 2 / Math.PI) / Math.Sqrt(n);
        Assert.InRange(noise.Points[0].Change.Mean, expected - 4 * standardError, expected + 4 * standardError);
    }

    [Fact]
    public void Regression_FastTree_BlackBoxSearchOnlyWithNotice_AndComparisonTable()
    {
        var (context, train, test) = Synthetic.Value;
        ITransformer tree = context.Regression.Trainers.FastTree(numberOfLeaves: 8, numberOfTrees: 20).Fit(train);
        var options = new RegressionRobustnessOptions
        {
            FeatureScaleData = train,
            Epsilons = [0.2f],
            Attacks = [PgdAttack.Fgsm(PerturbationNorm.LInfinity), new SquareAttack(maxQueries: 60)],
            MaxExamples = 60,
            SanityExampleCount = 20,
            Seed = 5,
        };
        RegressionRobustnessReport treeReport = context.Regression.EvaluateRobustness(tree, test, options);
        RegressionRobustnessReport linearReport = context.Regression.EvaluateRobustness(Sdca.Value, test, options);
        Assert.Contains(treeReport.Notices, n => n.StartsWith("Attacked as a black box", StringComparison.Ordinal));
        Assert.Contains(treeReport.Notices, n => n.StartsWith("Gradient attacks skipped (FGSM L-inf)", StringComparison.Ordinal));
        Assert.All(treeReport.Attacks, a => Assert.Equal(AttackKind.BlackBox, a.Kind));
        Assert.True(treeReport.GetAttack("Square-60 L-inf").Points[0].Change.Mean > 0);

        string table = RegressionRobustnessReport.CompareText([("tree", treeReport), ("linear", linearReport)]);
        Assert.Contains("FGSM L-inf", table, StringComparison.Ordinal);
        Assert.Contains("Square-60 L-inf", table, StringComparison.Ordinal);
        string path = Path.Combine(Path.GetTempPath(), $"tabular-{Guid.NewGuid():N}.json");
        try
        {
            treeReport.SaveJson(path);
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
            Assert.Equal("regression", json.RootElement.GetProperty("task").GetString());
            Assert.Equal(2, json.RootElement.GetProperty("attacks").GetArrayLength());
            // The change is the library's distribution summary, camelCase; the shared configuration has no bisection for regression.
            JsonElement change = json.RootElement.GetProperty("attacks")[0].GetProperty("points")[0].GetProperty("change");
            Assert.Equal(treeReport.Attacks[0].Points[0].Change.Mean, change.GetProperty("mean").GetDouble());
            Assert.Equal(treeReport.Attacks[0].Points[0].Change.Maximum, change.GetProperty("maximum").GetDouble());
            Assert.True(change.TryGetProperty("median", out _) && change.TryGetProperty("percentile95", out _));
            JsonElement configuration = json.RootElement.GetProperty("configuration");
            Assert.Equal(5, configuration.GetProperty("seed").GetInt32());
            Assert.Equal(treeReport.Configuration.PerturbationSpace, configuration.GetProperty("perturbationSpace").GetString());
            Assert.False(configuration.TryGetProperty("bisectionSteps", out _));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Regression_PoissonWhiteBoxThroughItsExpLink_FgsmChangeMatchesClosedForm()
    {
        var context = new MLContext(seed: 3);
        var random = new Random(5);
        var rows = Enumerable.Range(0, 300).Select(_ =>
        {
            float a = (float)NormalSample(random), b = 10 * (float)NormalSample(random);
            return new Row { A = a, B = b, C = 0, D = 0, E = 0, Label = (float)Math.Round(Math.Exp(0.4 * a + 0.03 * b + 0.2 * NormalSample(random)) * 3) };
        }).ToList();
        IDataView data = context.Transforms.Concatenate("Features", Names).Fit(context.Data.LoadFromEnumerable(rows)).Transform(context.Data.LoadFromEnumerable(rows));
        ITransformer poisson = context.Regression.Trainers.LbfgsPoissonRegression().Fit(data);
        float eps = 0.2f;
        RegressionRobustnessReport report = context.Regression.EvaluateRobustness(poisson, data, new RegressionRobustnessOptions
        {
            PerturbedFeatures = ["A", "B"],
            FeatureScales = [1f, 10f, 1f, 1f, 1f],
            Epsilons = [eps],
            Attacks = [PgdAttack.Fgsm(PerturbationNorm.LInfinity)],
            Objectives = [RegressionObjective.PredictionChange],
            MaxExamples = 100,
            RunSanityChecks = false,
            Seed = 2,
        });
        Assert.Contains(report.Notices, n => n.Contains("white-box", StringComparison.Ordinal) && n.Contains("PoissonRegression", StringComparison.Ordinal));

        // f = exp(w.x + b): FGSM moves w.x by eps (|w_A| 1 + |w_B| 10), so each prediction grows by f (exp(that) - 1).
        // w_j = log(f(h e_j) / f(0)) / h, from the secants LinearWeights measures with steps h = the scales.
        float[] scales = [1f, 10f, 1f, 1f, 1f];
        var (_, f, _) = Score(poisson, data, FeatureCount);
        double[] secants = LinearWeights(poisson, data.Schema, scales);
        double atOrigin = Score(poisson, context.Data.LoadFromEnumerable(new[] { new VectorRow() }), FeatureCount).Outputs[0];
        double[] w = Enumerable.Range(0, 2).Select(j => Math.Log((atOrigin + secants[j] * scales[j]) / atOrigin) / scales[j]).ToArray();
        double reach = eps * (Math.Abs(w[0]) * scales[0] + Math.Abs(w[1]) * scales[1]);
        double expected = f.Take(100).Average(v => v * (Math.Exp(reach) - 1));
        double actual = report.Attacks[0].Points[0].Change.Mean;
        Assert.True(Math.Abs(actual - expected) <= 0.01 * expected, $"mean change {actual}, closed form {expected}.");
    }

    private sealed class VectorRow
    {
        [VectorType(5)]
        public float[] Features { get; set; } = new float[5];
    }

    [Fact]
    public void WrongTask_EachCatalogNamesBothTasks()
    {
        var (context, _, test) = BreastCancer.Value;
        var (_, _, regressionTest) = Synthetic.Value;
        var binaryInMulticlass = Assert.Throws<ArgumentException>(() => context.MulticlassClassification.EvaluateRobustness(Logistic.Value, test));
        Assert.Contains("is a binary classification model (1 output(s)); " +
            "mlContext.MulticlassClassification.EvaluateRobustness evaluates multiclass classification models. Use mlContext.BinaryClassification.EvaluateRobustness for a binary classification model.",
            binaryInMulticlass.Message, StringComparison.Ordinal);
        var regressionInBinary = Assert.Throws<ArgumentException>(() => context.BinaryClassification.EvaluateRobustness(Sdca.Value, regressionTest));
        Assert.Contains("is a regression model (1 output(s)); mlContext.BinaryClassification.EvaluateRobustness evaluates binary classification models. " +
            "Use mlContext.Regression.EvaluateRobustness for a regression model.", regressionInBinary.Message, StringComparison.Ordinal);
        var binaryInRegression = Assert.Throws<ArgumentException>(() => context.Regression.EvaluateRobustness(Logistic.Value, test));
        Assert.Contains("is a binary classification model (1 output(s)); mlContext.Regression.EvaluateRobustness evaluates regression models.", binaryInRegression.Message, StringComparison.Ordinal);
        var regressionInMulticlass = Assert.Throws<ArgumentException>(() => context.MulticlassClassification.EvaluateRobustness(Sdca.Value, regressionTest));
        Assert.Contains("is a regression model (1 output(s)); mlContext.MulticlassClassification.EvaluateRobustness evaluates multiclass classification models.",
            regressionInMulticlass.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadFeatureNamesAndScales_ClearErrors()
    {
        var (context, train, test) = Synthetic.Value;
        var unknown = Assert.Throws<ArgumentException>(() => context.Regression.EvaluateRobustness(Sdca.Value, test,
            new RegressionRobustnessOptions { PerturbedFeatures = ["A", "weight"], FeatureScaleData = train }));
        Assert.StartsWith("PerturbedFeatures names 'weight', which is not a slot of the feature column 'Features'; its slots are: A, B, C, D, E.", unknown.Message, StringComparison.Ordinal);

        var length = Assert.Throws<ArgumentException>(() => context.Regression.EvaluateRobustness(Sdca.Value, test,
            new RegressionRobustnessOptions { FeatureScales = [1f, 2f, 3f] }));
        Assert.StartsWith("FeatureScales holds 3 values; the feature column 'Features' has 5 slots.", length.Message, StringComparison.Ordinal);

        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => context.Regression.EvaluateRobustness(Sdca.Value, test,
            new RegressionRobustnessOptions { FeatureScales = [1f, 0f, 1f, 1f, 1f] }));
        Assert.StartsWith("The scale of slot 1 'B' is 0; a moved feature needs a positive finite scale", zero.Message, StringComparison.Ordinal);

        var slot = Assert.Throws<ArgumentOutOfRangeException>(() => context.Regression.EvaluateRobustness(Sdca.Value, test,
            new RegressionRobustnessOptions { PerturbedSlots = [0, 5], FeatureScaleData = train }));
        Assert.StartsWith("PerturbedSlots holds 5, outside the 5 slots [0, 4] of the feature column 'Features'.", slot.Message, StringComparison.Ordinal);

        var noUnit = Assert.Throws<ArgumentException>(() => context.Regression.EvaluateRobustness(Sdca.Value, test, new RegressionRobustnessOptions()));
        Assert.StartsWith("The bounds are infinite and no feature scales are given, so there is no unit for the default Epsilons", noUnit.Message, StringComparison.Ordinal);

        var both = Assert.Throws<ArgumentException>(() => context.Regression.EvaluateRobustness(Sdca.Value, test,
            new RegressionRobustnessOptions { PerturbedFeatures = ["A"], PerturbedSlots = [0] }));
        Assert.StartsWith("Both PerturbedFeatures (slot names) and PerturbedSlots (indices) are set; give one.", both.Message, StringComparison.Ordinal);
    }
}
