using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetJacobian.Cli.Tests.Commands;

/// <summary><c>--task</c>: binary classification and regression through train and evaluate, the inference from the label, categorical columns, and the errors.</summary>
public sealed class TaskTests
{
    /// <summary>x, y in [0, 1], a category a/b/c, and a label: y > x (true/false), or 3x + 2y + (1 for category c) plus a little noise.</summary>
    private static string Csv(string labelKind, int rows = 200, Func<int, string?>? labelOverride = null)
    {
        var text = new StringBuilder("x,y,shop,target\n");
        var random = new Random(7);
        for (int i = 0; i < rows; i++)
        {
            double x = random.NextDouble(), y = random.NextDouble();
            string shop = "abc"[i % 3].ToString();
            string label = labelOverride?.Invoke(i) ?? labelKind switch
            {
                "bool" => y > x ? "true" : "false",
                "01" => y > x ? "1" : "0",
                "text" => y > x ? "spam" : "ham",
                _ => (3 * x + 2 * y + (shop == "c" ? 1 : 0) + 0.01 * random.NextDouble()).ToString("F4", CultureInfo.InvariantCulture),
            };
            text.Append(CultureInfo.InvariantCulture, $"{x:F4},{y:F4},{shop},{label}\n");
        }

        return text.ToString();
    }

    /// <summary>The output with the console's line wrapping undone (a wrapped line breaks where a space was).</summary>
    private static string Flat(CliRun run) => string.Join(" ", run.Output.Split('\n').Select(l => l.Trim()));

    [Fact]
    public void TrainThenEvaluate_TrueFalseLabel_InfersBinaryAndReportsAccuracyAucF1LogLoss()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("points.csv", Csv("bool"));
        string model = folder.File("binary.zip");

        CliRun train = CliRun.Start("train", "--data", data, "--model", model, "--hidden-layers", "16", "--epochs", "30", "--batch-size", "16", "--learning-rate", "0.1", "--lambda", "0.001");

        Assert.True(train.ExitCode == 0, train.Output);
        Assert.Contains("binary label 'target' (", train.Output, StringComparison.Ordinal);
        Assert.Contains("one-hot encoded: 'shop' (text: detected)", Flat(train), StringComparison.Ordinal);
        Assert.Contains("Test accuracy ", train.Output, StringComparison.Ordinal);
        Assert.Contains(", AUC ", train.Output, StringComparison.Ordinal);

        CliRun evaluate = CliRun.Start("evaluate", "--model", model, "--data", data, "--split", "Test", "--attack-rows", "20", "--attacks", "noise,square", "--square-queries", "50",
            "--bisection-steps", "0");

        Assert.True(evaluate.ExitCode == 0, evaluate.Output);
        // Robustness in the features' standard deviations, the text column's one-hot slots fixed: x and y move.
        Assert.Contains("2 of 5 features move", Flat(evaluate), StringComparison.Ordinal);
        using JsonDocument robustness = JsonDocument.Parse(File.ReadAllText(folder.File("binary.robustness.json")));
        Assert.Contains("Square", robustness.RootElement.GetRawText(), StringComparison.Ordinal);
        Assert.True(File.Exists(folder.File("binary.robustness.png")));
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(folder.File("binary.metrics.json")));
        Assert.Equal("Binary", report.RootElement.GetProperty("task").GetString());
        JsonElement metrics = report.RootElement.GetProperty("metrics");
        Assert.True(metrics.GetProperty("accuracy").GetDouble() > 0.8, evaluate.Output);
        Assert.True(metrics.GetProperty("AUC").GetDouble() > 0.9, evaluate.Output);
        Assert.True(metrics.TryGetProperty("F1", out _));
        Assert.True(metrics.TryGetProperty("log-loss", out _));
    }

    [Fact]
    public void TrainThenEvaluate_RealLabelWithTextColumn_RegressionZipTakesTheRawColumnsAndEvaluatesRmseMaeR2()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("sales.csv", Csv("real"));
        string model = folder.File("sales.zip");

        CliRun train = CliRun.Start("train", "--data", data, "--model", model, "--hidden-layers", "16", "--epochs", "40", "--batch-size", "16", "--learning-rate", "0.05", "--lambda", "0.001");

        Assert.True(train.ExitCode == 0, train.Output);
        Assert.Contains("regression label 'target' in [", train.Output, StringComparison.Ordinal);
        Assert.Contains("Test RMSE ", train.Output, StringComparison.Ordinal);
        // The zip starts with the one-hot encoding: plain ML.NET scores the raw numeric features and the text column.
        var context = new MLContext(seed: 0);
        ITransformer loaded = context.Model.Load(model, out DataViewSchema input);
        Assert.Equal(TextDataViewType.Instance, input["shop"].Type);
        Assert.Equal(2, Assert.IsType<VectorDataViewType>(input["NumericFeatures"].Type).Size);
        Assert.Equal(NumberDataViewType.Single, loaded.GetOutputSchema(input)["Score"].Type);

        CliRun evaluate = CliRun.Start("evaluate", "--model", model, "--data", data, "--split", "Test", "--attack-rows", "20", "--attacks", "noise,square", "--square-queries", "50",
            "--perturb", "x");

        Assert.True(evaluate.ExitCode == 0, evaluate.Output);
        Assert.Contains("1 of 5 features move", Flat(evaluate), StringComparison.Ordinal);
        // The report names the moved slot after the header (the Features vector carries SlotNames).
        Assert.Contains("(slots 0 'NumericFeatures.x')", Flat(evaluate), StringComparison.Ordinal);
        Assert.Contains("Clean RMSE", evaluate.Output, StringComparison.Ordinal);
        using JsonDocument robustness = JsonDocument.Parse(File.ReadAllText(folder.File("sales.robustness.json")));
        Assert.Contains("Square", robustness.RootElement.GetRawText(), StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("sales.robustness.png")));
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(folder.File("sales.metrics.json")));
        Assert.Equal("Regression", report.RootElement.GetProperty("task").GetString());
        JsonElement metrics = report.RootElement.GetProperty("metrics");
        // The label's standard deviation is about 1; a fitted model does far better than predicting the mean.
        Assert.True(metrics.GetProperty("R^2").GetDouble() > 0.8, evaluate.Output);
        Assert.True(metrics.GetProperty("RMSE").GetDouble() < 0.5, evaluate.Output);
        Assert.True(metrics.TryGetProperty("MAE", out _));
    }

    [Fact]
    public void Train_BinaryTaskWithTextLabel_NamesColumnValuesAndHowToConvert()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("mail.csv", Csv("text"));

        CliRun run = CliRun.Start("train", "--data", data, "--task", "binary", "--model", folder.File("m.zip"));

        Assert.Equal((int)ExitCode.InvalidData, run.ExitCode);
        Assert.Equal($"error: --task binary: the label 'target' of {data} holds 2 distinct text values ('ham', 'spam'), not Boolean; a binary label is true/false or 1/0: convert the column (for example 1 for 'spam' and 0 for 'ham'), or pass --task multiclass.", run.ErrorLine);
    }

    [Fact]
    public void Train_BinaryTaskWithZeroOneLabel_Trains()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("points.csv", Csv("01"));

        CliRun run = CliRun.Start("train", "--data", data, "--task", "binary", "--model", folder.File("m.zip"), "--hidden-layers", "8", "--epochs", "2");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("binary label 'target' (", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_ZeroOneLabelWithoutTask_IsTwoClasses()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("points.csv", Csv("01"));

        CliRun run = CliRun.Start("train", "--data", data, "--model", folder.File("m.zip"), "--hidden-layers", "8", "--epochs", "1");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("label 'target' with 2 classes", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_RegressionLabelNaN_NamesTheLineUnlessSkipped()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("sales.csv", Csv("real", labelOverride: i => i == 10 ? "NaN" : null));

        CliRun failed = CliRun.Start("train", "--data", data, "--model", folder.File("m.zip"));

        Assert.Equal((int)ExitCode.InvalidData, failed.ExitCode);
        Assert.Equal($"error: {data}, line 12, column 'target': the label 'NaN' is not a finite number (train and compare skip such rows with --skip-non-finite).", failed.ErrorLine);

        CliRun skipped = CliRun.Start("train", "--data", data, "--model", folder.File("m.zip"), "--skip-non-finite", "--hidden-layers", "8", "--epochs", "2");

        Assert.True(skipped.ExitCode == 0, skipped.Output);
        Assert.Contains("1 rows with a NaN or infinite label skipped (--skip-non-finite)", Flat(skipped), StringComparison.Ordinal);
        Assert.DoesNotContain("Test RMSE NaN", skipped.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_ConstantRegressionLabel_SaysItMustVary()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("flat.csv", Csv("real", rows: 30, labelOverride: _ => "2.5"));

        CliRun run = CliRun.Start("train", "--data", data, "--task", "regression", "--model", folder.File("m.zip"));

        Assert.Equal((int)ExitCode.InvalidData, run.ExitCode);
        Assert.Equal($"error: --task regression: every one of the 30 rows of {data} has label 2.5 in column 'target'; a regression needs a label that varies.", run.ErrorLine);
    }

    [Fact]
    public void Train_MulticlassTaskWithRealLabel_SaysItIsAQuantity()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("sales.csv", Csv("real"));

        CliRun run = CliRun.Start("train", "--data", data, "--task", "multiclass", "--model", folder.File("m.zip"));

        Assert.Equal((int)ExitCode.InvalidData, run.ExitCode);
        Assert.StartsWith($"error: --task multiclass: the label 'target' of {data} holds 200 distinct values, not all integers (", run.ErrorLine, StringComparison.Ordinal);
        Assert.EndsWith("): a quantity, not classes; pass --task regression.", run.ErrorLine, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_ManyDistinctIntegers_AsksForTask()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("counts.csv", Csv("real", labelOverride: i => (i % 50).ToString(CultureInfo.InvariantCulture)));

        CliRun run = CliRun.Start("train", "--data", data, "--model", folder.File("m.zip"));

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal($"error: the label 'target' of {data} holds 50 distinct integers (0 to 49): classes or a quantity? Pass --task regression or --task multiclass (or --task binary for a 0/1 label).", run.ErrorLine);
    }

    [Fact]
    public void Evaluate_TaskOtherThanTheModels_SaysEvaluateTakesTheModels()
    {
        CliRun run = CliRun.Start("evaluate", "--model", ModelFixtures.Regression, "--task", "binary");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal($"error: --task binary, but --model '{ModelFixtures.Regression}' (a regressor) is not a binary classifier; drop --task (evaluate takes the model's).", run.ErrorLine);
    }

    [Fact]
    public void Train_RegressionSettingForBinaryTask_SaysItAppliesToRegression()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("points.csv", Csv("bool"));

        CliRun run = CliRun.Start("train", "--data", data, "--loss", "Huber", "--model", folder.File("m.zip"));

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --loss, --huber-delta and --no-standardize-label apply to --task regression; this is a binary task.", run.ErrorLine);
    }

    [Fact]
    public void Train_NumericCodesNamedCategorical_AreOneHotEncoded()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("sales.csv", Csv("real").Replace(",a,", ",1,").Replace(",b,", ",2,").Replace(",c,", ",3,"));

        CliRun run = CliRun.Start("train", "--data", data, "--categorical", "shop", "--model", folder.File("m.zip"), "--hidden-layers", "8", "--epochs", "1");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("2 numeric features in [0, 1]; one-hot encoded: 'shop'", Flat(run), StringComparison.Ordinal);
    }

    [Fact]
    public void Train_CategoricalNotAFeature_SaysSo()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("sales.csv", Csv("real"));

        CliRun run = CliRun.Start("train", "--data", data, "--features", "x,y", "--categorical", "shop", "--model", folder.File("m.zip"));

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --categorical 'shop' names column 'shop' (index 2), which is not among the features (see --features).", run.ErrorLine);
    }

    [Fact]
    public void Train_RegressionTaskOnTheDigits_SaysOnlyMulticlassApplies()
    {
        CliRun run = CliRun.Start("train", "--task", "regression");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --task regression: the embedded digits hold 10 classes of images; only a multiclass model applies (give a CSV/TSV with --data for a binary or regression task).", run.ErrorLine);
    }
    [Fact]
    public void Compare_Regression_NetworksAndTheTasksBaselinesOnTheSameRows()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("sales.csv", Csv("real"));
        string output = folder.File("cmp");

        CliRun run = CliRun.Start("compare", "--data", data, "--lambdas", "0,0.01", "--hidden-layers", "8", "--epochs", "5", "--normalize", "Standardize",
            "--baseline", "Sdca", "--baseline", "FastTree", "--output", output, "--attack-rows", "15", "--attacks", "noise,fgsm,pgd", "--pgd-steps", "5", "--headline-epsilon", "0.2");

        Assert.True(run.ExitCode == 0, run.Output);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "compare.json")));
        Assert.Equal("Regression", summary.RootElement.GetProperty("task").GetString());
        string[] names = summary.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["lambda 0", "lambda 0.01", "Sdca (min-max normalized)", "FastTree"], names);
        foreach (JsonElement model in summary.RootElement.GetProperty("models").EnumerateArray())
        {
            JsonElement metrics = model.GetProperty("metrics");
            Assert.True(double.IsFinite(metrics.GetProperty("RMSE").GetDouble()));
            Assert.True(double.IsFinite(metrics.GetProperty("R^2").GetDouble()));
            Assert.True(File.Exists(model.GetProperty("robustnessReport").GetString()));
        }

        // Networks and the linear baseline are attacked white-box: their worst RMSE under PGD exceeds the clean RMSE.
        JsonElement network = summary.RootElement.GetProperty("models")[0];
        Assert.True(network.GetProperty("worstCaseRmse").GetDouble() > network.GetProperty("metrics").GetProperty("RMSE").GetDouble(), run.Output);
        Assert.Contains("2 of 5 features move", Flat(run), StringComparison.Ordinal);
        // The mean Score-gradient column: exact through the networks' and SDCA's weights, labelled finite differences for the trees.
        JsonElement[] models = summary.RootElement.GetProperty("models").EnumerateArray().ToArray();
        Assert.Equal([true, true, true, false], models.Select(m => m.GetProperty("gradientExact").GetBoolean()));
        Assert.StartsWith("exact: backpropagation of the prediction in the label's units", models[0].GetProperty("gradientMethod").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("finite differences of Score, step relative to each feature's range", models[3].GetProperty("gradientMethod").GetString(), StringComparison.Ordinal);
        Assert.All(models, m => Assert.True(m.GetProperty("meanGradientNorm").GetDouble() is > 0 and < 1e3, run.Output));
        Assert.Contains("mean ||dScore/dx||", run.Output, StringComparison.Ordinal);
        Assert.Contains("finite diff.: finite differences of Score", Flat(run), StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_BinaryWithAMulticlassBaseline_NamesTheTasksBaselines()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("points.csv", Csv("bool"));

        CliRun run = CliRun.Start("compare", "--data", data, "--baseline", "LbfgsMaximumEntropy", "--output", folder.File("cmp"));

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --baseline LbfgsMaximumEntropy does not train a binary classifier; for this binary task choose LbfgsLogisticRegression, SdcaLogisticRegression, FastTree, LightGbm.", run.ErrorLine);
    }

    [Fact]
    public void Compare_Binary_DefaultBaselineIsLogisticRegression()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("points.csv", Csv("bool"));
        string output = folder.File("cmp");

        CliRun run = CliRun.Start("compare", "--data", data, "--lambdas", "0.01", "--hidden-layers", "8", "--epochs", "5", "--output", output,
            "--attack-rows", "15", "--attacks", "noise,fgsm", "--bisection-steps", "0");

        Assert.True(run.ExitCode == 0, run.Output);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "compare.json")));
        JsonElement[] models = summary.RootElement.GetProperty("models").EnumerateArray().ToArray();
        Assert.Equal("LbfgsLogisticRegression (min-max normalized)", models[1].GetProperty("name").GetString());
        Assert.True(models[1].GetProperty("metrics").GetProperty("AUC").GetDouble() > 0.9);
        double worst = models[0].GetProperty("worstCaseRobustAccuracy").GetDouble();
        Assert.InRange(worst, 0, 1);
        Assert.True(File.Exists(Path.Combine(output, "robustness-lambda-0.01.png")));
    }
    [Fact]
    public void Evaluate_PerturbUnknownFeature_ListsTheFeatures()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("sales.csv", Csv("real"));
        string model = folder.File("sales.zip");
        Assert.Equal(0, CliRun.Start("train", "--data", data, "--model", model, "--hidden-layers", "4", "--epochs", "1").ExitCode);

        CliRun run = CliRun.Start("evaluate", "--model", model, "--data", data, "--perturb", "x,z");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --perturb 'x,z': 'z' is not a feature; its features are x, y, shop.onehot.a, shop.onehot.b, shop.onehot.c.", run.ErrorLine);
    }
    [Fact]
    public void Analyze_RegressionNetwork_ExactGradientNormStatistics()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("sales.csv", Csv("real"));
        string model = folder.File("sales.zip");
        Assert.Equal(0, CliRun.Start("train", "--data", data, "--model", model, "--hidden-layers", "8", "--epochs", "20", "--batch-size", "16", "--learning-rate", "0.05").ExitCode);
        string output = folder.File("analysis");

        CliRun run = CliRun.Start("analyze", "--model", model, "--data", data, "--output", output, "--statistics-rows", "30");

        Assert.True(run.ExitCode == 0, run.Output);
        using JsonDocument gradients = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "gradients.json")));
        Assert.Equal("Regression", gradients.RootElement.GetProperty("task").GetString());
        JsonElement norm = gradients.RootElement.GetProperty("models")[0].GetProperty("gradientNorm");
        Assert.Equal(30, norm.GetProperty("Count").GetInt32());
        // The label is about 3x + 2y + (1 for shop c): a fitted model's gradient is of that order.
        Assert.InRange(norm.GetProperty("Median").GetDouble(), 1, 20);
        // This library's network restored from the zip (behind its one-hot step): exact gradients, not finite differences.
        Assert.StartsWith("exact: backpropagation of the prediction in the label's units", gradients.RootElement.GetProperty("models")[0].GetProperty("method").GetString(), StringComparison.Ordinal);
        Assert.Contains("exact: backpropagation", Flat(run), StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_TaskOtherThanTheModels_SaysAnalyzeTakesTheModels()
    {
        CliRun run = CliRun.Start("analyze", "--model", ModelFixtures.Regression, "--task", "multiclass");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal($"error: --task multiclass, but --model '{ModelFixtures.Regression}' is a regressor; drop --task (analyze takes the model's).", run.ErrorLine);
    }
}
