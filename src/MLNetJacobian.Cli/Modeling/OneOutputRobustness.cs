using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Cli.Commands;
using MLNetJacobian.Cli.Data;
using MLNetJacobian.Robustness;
using Spectre.Console;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>
/// Robustness of binary classifiers (<c>BinaryClassification.EvaluateRobustness</c>: accuracy and AUC under attack)
/// and regressors (<c>Regression.EvaluateRobustness</c>: RMSE, MAE and the prediction change under attack), with the
/// tool's settings: which features move (<c>--perturb</c>), in what units epsilon is (<c>--eps-scale</c>), the bounds.
/// </summary>
internal static class OneOutputRobustness
{
    /// <summary>The result of one evaluation: the classification report (binary) or the regression report.</summary>
    internal sealed record Result(RobustnessReport? Binary, RegressionRobustnessReport? Regression)
    {
        /// <summary>The report as text.</summary>
        public override string ToString() => Binary?.ToString() ?? Regression!.ToString();
    }

    /// <summary>
    /// The part of a loaded model that reads the Features column: the whole model when its saved input has one, else
    /// the steps after the first prefix of its chain that builds Features (the tool's one-hot encoding), so that the
    /// attacks' perturbations of Features are not overwritten by the model rebuilding it.
    /// </summary>
    /// <exception cref="CliException">The model builds Features in a way that cannot be split off.</exception>
    public static ITransformer AttackableModel(ITransformer model, DataViewSchema savedSchema, string path)
    {
        if (savedSchema.GetColumnOrNull(LoadedData.FeatureColumnName) is not null) return model;
        if (model is TransformerChain<ITransformer> chain)
        {
            ITransformer[] parts = chain.ToArray();
            DataViewSchema schema = savedSchema;
            for (int k = 0; k < parts.Length - 1; k++)
            {
                schema = parts[k].GetOutputSchema(schema);
                if (schema.GetColumnOrNull(LoadedData.FeatureColumnName) is not null) return new TransformerChain<ITransformer>(parts[(k + 1)..]);
            }
        }

        throw CliException.InvalidModel($"--model '{path}' builds its '{LoadedData.FeatureColumnName}' column from other columns inside one step; the attacks perturb '{LoadedData.FeatureColumnName}', so they need a model whose steps after building it can be run alone.");
    }

    /// <summary>
    /// The slots attacks may move: <c>--perturb</c>'s names resolved against the feature column's slot names (a header
    /// name also matches its slot in the numeric block), or, by default, every slot but the one-hot ones (null: all).
    /// </summary>
    /// <exception cref="CliException">A name is not a slot.</exception>
    public static IReadOnlyList<int>? PerturbedSlots(DataViewSchema schema, string? perturb, IReadOnlyList<string>? numericNames)
    {
        DataViewSchema.Column features = schema[LoadedData.FeatureColumnName];
        // The numeric block comes first, its slots named after the header (Concatenate prefixes them with NumericFeatures.).
        string prefix = DatasetLoader.NumericFeatureColumnName + ".";
        string[] names = SlotNames(features).Select(n => n.StartsWith(prefix, StringComparison.Ordinal) ? n[prefix.Length..] : n).ToArray();
        if (numericNames is not null)
        {
            // A file without a header gives no slot names; the names the tool was given fill them.
            if (names.Length == 0) names = new string[((VectorDataViewType)features.Type).Size];
            for (int j = 0; j < Math.Min(numericNames.Count, names.Length); j++)
            {
                if (string.IsNullOrEmpty(names[j])) names[j] = numericNames[j];
            }
        }

        if (perturb is null)
        {
            if (!names.Any(n => n is not null && IsOneHot(n))) return null;
            return Enumerable.Range(0, names.Length).Where(j => names[j] is null || !IsOneHot(names[j])).ToArray();
        }

        var slots = new List<int>();
        foreach (string raw in perturb.Split(','))
        {
            string item = raw.Trim();
            int index = Array.FindIndex(names, n => n == item);
            if (index < 0)
            {
                string known = names.All(string.IsNullOrEmpty) ? "the features have no names (a file without a header)" : "its features are " + string.Join(", ", names.Take(16)) + (names.Length > 16 ? $", ... ({names.Length} in all)" : "");
                throw CliException.InvalidArgument($"--perturb '{perturb}': '{item}' is not a feature; {known}.");
            }

            if (!slots.Contains(index)) slots.Add(index);
        }

        return slots;
    }

    /// <summary>Evaluates <paramref name="model"/> (which reads the Features column of <paramref name="data"/>) for the data's task.</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="model">The model on the Features column.</param>
    /// <param name="name">The model's name for the spinner.</param>
    /// <param name="data">The loaded data (task, bounds, training rows for the scales).</param>
    /// <param name="rows">The rows to attack.</param>
    /// <param name="settings">The attack settings.</param>
    /// <param name="dataSettings">The data settings (the bounds given).</param>
    /// <param name="console">The console.</param>
    public static Result Evaluate(MLContext context, ITransformer model, string name, LoadedData data, IDataView rows, IRobustnessSettings settings,
        DataSettings dataSettings, IAnsiConsole console)
    {
        IReadOnlyList<int>? slots = PerturbedSlots(rows.Schema, settings.Perturb, data.NumericFeatureNames);
        bool std = (settings.EpsScale ?? EpsilonScale.Std) == EpsilonScale.Std;
        float lower = dataSettings.LowerBound ?? float.NegativeInfinity;
        float upper = dataSettings.UpperBound ?? float.PositiveInfinity;
        float[] epsilons = RobustnessRuns.ParseEpsilons(settings.Epsilons);
        Result result = null!;
        console.Status().Spinner(Spinner.Known.Dots).Start($"Attacking {Markup.Escape(name)}...", _ =>
        {
            if (data.Task == LearningTask.Binary)
            {
                var options = new RobustnessOptions
                {
                    LowerBound = lower,
                    UpperBound = upper,
                    Epsilons = epsilons,
                    Attacks = AttackPlan.AttacksOf(settings, 2),
                    Seed = settings.Seed,
                    MaxExamples = settings.AttackRows,
                    BisectionSteps = settings.BisectionSteps,
                    RunSanityChecks = !settings.NoSanityChecks,
                    ThreadCount = settings.AttackThreads ?? Math.Min(2, Environment.ProcessorCount),
                    PerturbedSlots = slots,
                    FeatureScaleData = std ? data.Train : null,
                };
                result = new Result(Guard.Data(() => context.BinaryClassification.EvaluateRobustness(model, rows, options)), null);
            }
            else
            {
                var options = new RegressionRobustnessOptions
                {
                    LowerBound = lower,
                    UpperBound = upper,
                    Epsilons = epsilons,
                    Attacks = string.Equals(settings.Attacks, nameof(AttackSuite.Standard), StringComparison.OrdinalIgnoreCase)
                        ? RegressionRobustnessOptions.DefaultAttacks()
                        : AttackPlan.AttacksOf(settings, 2),
                    Seed = settings.Seed,
                    MaxExamples = settings.AttackRows,
                    RunSanityChecks = !settings.NoSanityChecks,
                    ThreadCount = settings.AttackThreads ?? Math.Min(2, Environment.ProcessorCount),
                    PerturbedSlots = slots,
                    FeatureScaleData = std ? data.Train : null,
                };
                result = new Result(null, Guard.Data(() => context.Regression.EvaluateRobustness(model, rows, options)));
            }
        });
        return result;
    }

    /// <summary>
    /// The headline figure at <paramref name="epsilon"/> (NaN when it is not in the grid): a binary classifier's
    /// per-example worst-case L-inf robust accuracy; a regressor's largest RMSE over the L-inf attacks.
    /// </summary>
    public static double Headline(Result result, double epsilon)
    {
        static bool At(double strength, double epsilon) => Math.Abs(strength - epsilon) <= 1e-6 * Math.Max(1, epsilon);
        if (result.Binary is { } binary)
        {
            return binary.WorstCase.Where(c => c.Norm == "L-inf").SelectMany(c => c.Points).Where(p => At(p.Epsilon, epsilon))
                .Select(p => p.RobustAccuracy).DefaultIfEmpty(double.NaN).Min();
        }

        return result.Regression!.Attacks.Where(c => c.Norm == "L-inf").SelectMany(c => c.Points).Where(p => At(p.Strength, epsilon))
            .Select(p => p.Rmse).DefaultIfEmpty(double.NaN).Max();
    }

    /// <summary>Writes the report's JSON (and, for a binary classifier, its plot).</summary>
    public static void Save(Result result, string jsonPath, string plotPath, bool force)
    {
        if (result.Binary is { } binary)
        {
            Output.ReportFileWriter.Save(binary, jsonPath, plotPath, force);
            return;
        }

        try
        {
            result.Regression!.SaveJson(jsonPath, overwrite: force);
        }
        catch (IOException exception) when (!force)
        {
            throw new CliException(ExitCode.OutputExists, $"cannot write the robustness report: {exception.Message}", exception);
        }
    }

    /// <summary>What epsilon means, for the console.</summary>
    public static string Describe(IRobustnessSettings settings, IReadOnlyList<int>? slots, int featureCount) =>
        string.Create(CultureInfo.InvariantCulture,
            $"epsilons {settings.Epsilons} in {((settings.EpsScale ?? EpsilonScale.Std) == EpsilonScale.Std ? "standard deviations of each feature over the training rows" : "raw feature units")}; {(slots is null ? $"all {featureCount} features move" : $"{slots.Count} of {featureCount} features move (the others, such as one-hot slots, stay fixed)")}");

    private static string[] SlotNames(DataViewSchema.Column column)
    {
        if (!column.HasSlotNames()) return [];
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    private static bool IsOneHot(string slot) => slot.Contains(DatasetLoader.OneHotSuffix + ".", StringComparison.Ordinal);
}
