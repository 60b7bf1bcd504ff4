using System.Diagnostics;
using Microsoft.ML;
using MLNetJacobian.Models;
using static MLNetJacobian.Robustness.RobustnessReport;

namespace MLNetJacobian.Robustness;

/// <summary>
/// Measures a model under perturbation on in-memory data: a classifier's accuracy (every attack at every strength, the
/// per-example worst case, the minimal perturbation per example), or a regressor's errors and prediction change, with
/// sanity checks that make the figures trustworthy.
/// </summary>
/// <remarks>
/// Robust accuracy is counted over ALL evaluated examples (AutoAttack / Foolbox convention): only the examples
/// classified correctly on clean input are attacked, and the misclassified ones count as not robust, so robust
/// accuracy never exceeds clean accuracy. ML.NET users call
/// <c>mlContext.MulticlassClassification.EvaluateRobustness(...)</c> (and the binary and regression catalogs' twins);
/// this class takes any <see cref="IModel"/> and in-memory data.
/// </remarks>
public static class RobustnessEvaluator
{
    /// <summary>The counting convention, as written into every report.</summary>
    public const string AccuracyConvention =
        "Robust accuracy = fraction of ALL evaluated examples classified correctly after the attack (AutoAttack/Foolbox " +
        "convention); clean-misclassified examples are not attacked and count as not robust. Success rate = fraction of " +
        "the attacked (clean-correct) examples misclassified.";

    /// <summary>The binary AUC convention, as written into binary reports.</summary>
    public const string AucConvention =
        "AUC under an attack ranks the scores after it: an attacked (clean-correct) example contributes the score of the input " +
        "the attack returned (attacks stop at the first misclassified iterate), a clean-misclassified one its clean score.";

    /// <summary>Evaluates a multiclass or binary classifier on in-memory data.</summary>
    /// <param name="model">The classifier (an <see cref="IDifferentiableModel"/> enables gradient attacks).</param>
    /// <param name="features">Inputs, <c>[N, D]</c> row-major, each inside the options' bounds.</param>
    /// <param name="labels">True classes, <c>[N]</c>, each in <c>[0, C)</c> (0 or 1 for a binary classifier).</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">The model is a regression model, the data or a setting does not fit.</exception>
    public static RobustnessReport Evaluate(IModel model, float[] features, int[] labels, RobustnessOptions? options = null) =>
        Evaluate(model, features, labels, options ?? new RobustnessOptions(), [], columns: false, contextSeed: null, schema: null);

    /// <summary>
    /// Evaluates a regression model on in-memory data: per attack, objective (<see cref="RegressionRobustnessOptions.Objectives"/>)
    /// and strength, RMSE and MAE against the labels and the prediction change <c>|f(x + d) - f(x)|</c>. Gradient attacks
    /// ascend <c>|f(x') - t|</c> with <c>t</c> the clean prediction or the label; the Square search does the same with
    /// scores only, so every model (trees included) is compared under one attack. Every example is perturbed.
    /// </summary>
    /// <param name="model">The regression model (an <see cref="IDifferentiableModel"/> enables gradient attacks).</param>
    /// <param name="features">Inputs, <c>[N, D]</c> row-major, inside the options' bounds.</param>
    /// <param name="labels">The targets, <c>[N]</c>, each finite.</param>
    /// <param name="options">Settings; null for the defaults (no input box: give epsilons, bounds or feature scales).</param>
    /// <exception cref="ArgumentException">The model is not a regression model, or the data or a setting does not fit.</exception>
    public static RegressionRobustnessReport Evaluate(IModel model, float[] features, float[] labels, RegressionRobustnessOptions? options = null) =>
        RegressionEvaluation.Evaluate(model, features, labels, options ?? new RegressionRobustnessOptions(), [], contextSeed: null, schema: null);

    /// <summary>The error for a model of another task than the catalog's, naming both.</summary>
    internal static ArgumentException WrongTask(IModel model, ModelTask expected, string catalog, string hint) => new(
        $"The model '{model.Description}' is a {TaskName(model.Task)} model ({model.OutputCount} output(s)); mlContext.{catalog}.EvaluateRobustness " +
        $"evaluates {TaskName(expected)} models. {hint}", nameof(model));

    /// <summary>The catalog that evaluates a task: "MulticlassClassification", "BinaryClassification" or "Regression".</summary>
    internal static string CatalogOf(ModelTask task) => task switch
    {
        ModelTask.MulticlassClassification => "MulticlassClassification",
        ModelTask.BinaryClassification => "BinaryClassification",
        _ => "Regression",
    };

    /// <summary>A task in words.</summary>
    internal static string TaskName(ModelTask task) => task switch
    {
        ModelTask.MulticlassClassification => "multiclass classification",
        ModelTask.BinaryClassification => "binary classification",
        _ => "regression",
    };

    // contextSeed: a seed drawn from the MLContext's random source, used when the options give none.
    internal static RobustnessReport Evaluate(IModel model, float[] features, int[] labels, RobustnessOptions options,
        IReadOnlyList<string> notices, bool columns, int? contextSeed, DataViewSchema? schema)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (model.Task == ModelTask.Regression)
        {
            throw WrongTask(model, ModelTask.MulticlassClassification, "MulticlassClassification",
                "Use mlContext.Regression.EvaluateRobustness (or the Evaluate overload with float labels and RegressionRobustnessOptions) for a regression model.");
        }

        (int seed, string seedSource) = options.ResolveSeed(contextSeed);
        options = options with { Seed = seed };
        (float[] epsilons, string epsilonSource) = options.ResolveEpsilons();
        var attackStrengths = new Dictionary<string, string>();
        var total = Stopwatch.StartNew();
        int d = model.FeatureCount, c = model.Task == ModelTask.BinaryClassification ? 2 : model.OutputCount, k = model.OutputCount;
        int n = ValidateData(features, labels.Length, d, RawBounds(options), options.MaxExamples, i =>
        {
            if (labels[i] < 0 || labels[i] >= c) throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"Label of row {i} is {labels[i]}, outside [0, {c}).");
        });
        PerturbationSpace space = PerturbationSpace.Resolve(options, d, schema);
        IModel evaluated = model;
        model = space.Wrap(model);
        features = space.ToSpace(features);
        InputBounds bounds = space.Bounds(options);

        var models = new List<IModel> { model };
        for (int t = 1; t < options.ThreadCount; t++) models.Add(model.CreateThreadInstance());
        var execution = new AttackExecution(models, features, labels, bounds, options.BatchSize, fixedFeatures: space.FixedFeatures);
        float[] cleanOutputs = execution.ComputeOutputs(features, n);
        int[] clean = Enumerable.Range(0, n).Select(i => ModelPredictions.PredictedClass(cleanOutputs.AsSpan(i * k, k))).ToArray();
        int[] correct = Enumerable.Range(0, n).Where(i => clean[i] == labels[i]).ToArray();
        double cleanAccuracy = (double)correct.Length / n;
        bool binary = evaluated.Task == ModelTask.BinaryClassification;
        double? cleanAuc = binary ? BinaryMetrics.Auc(cleanOutputs.AsSpan(0, n), labels.AsSpan(0, n)) : null;

        var allNotices = new List<string>(notices);
        if (space.FixedFeatures is not null || space.Scale is not null) allNotices.Add($"Perturbation space: {space.Description}.");
        bool differentiable = model is IDifferentiableModel;
        IReadOnlyList<Attack> suite = options.Attacks ?? RobustnessOptions.DefaultAttacks(c);
        var records = new List<AttackRecord>();
        var skipped = new List<string>();
        for (int a = 0; a < suite.Count; a++)
        {
            Attack attack = suite[a];
            if (attack.RequiresGradient && !differentiable)
            {
                skipped.Add(attack.Name);
                continue;
            }

            if (c < attack.MinimumClassCount)
            {
                allNotices.Add($"{attack.Name} skipped: it needs at least {attack.MinimumClassCount} classes; the model has {c}.");
                continue;
            }

            (float[] strengths, string source) = StrengthsOf(attack, options, epsilons);
            attackStrengths[attack.Name] = $"{string.Join(", ", strengths.Select(RobustnessOptions.Invariant))} ({source})";
            var outcomes = new AttackOutcome[strengths.Length];
            for (int s = 0; s < strengths.Length; s++)
            {
                float[] perExample = Enumerable.Repeat(strengths[s], correct.Length).ToArray();
                outcomes[s] = execution.Run(attack, correct, perExample, SeedMixer.Derive(options.Seed.Value, a, s), options.IncludeAdversarialInputs);
            }

            records.Add(new AttackRecord(a, attack, strengths, outcomes));
        }

        double? AucOf(AttackOutcome outcome)
        {
            if (!binary) return null;
            float[] scores = cleanOutputs.AsSpan(0, n).ToArray();
            for (int m = 0; m < correct.Length; m++) scores[correct[m]] = outcome.Outputs[m];
            return BinaryMetrics.Auc(scores, labels.AsSpan(0, n));
        }

        if (skipped.Count > 0)
        {
            allNotices.Add($"Gradient attacks skipped ({string.Join(", ", skipped)}): the model '{model.Description}' provides no input gradient. " +
                "Black-box attacks still ran; for a white-box evaluation use a differentiable model (this library's networks, or ML.NET linear multiclass models).");
        }

        IReadOnlyList<AttackCurve> curves = records.Select(r => BuildCurve(r, n, correct.Length, AucOf)).ToList();
        var worstCase = WorstCaseAnalysis.Compute(records, correct.Length, n);
        MinimalPerturbationSummary? minimal = null;
        double?[] minimalPerExample = new double?[correct.Length];
        if (options.BisectionSteps > 0 && correct.Length > 0)
        {
            minimal = MinimalPerturbationSearch.Run(execution, options, differentiable, records, correct, minimalPerExample, allNotices);
        }

        var sanity = options.RunSanityChecks
            ? new SanityChecks(execution, options, records, correct, cleanAccuracy, n, models, features, c, LargeEpsilon(options, epsilons), space.FixedFeatures is not null).RunAll()
            : [];
        var examples = BuildExamples(n, d, labels, clean, correct, records, minimalPerExample, space);
        var configuration = new RobustnessConfiguration(options.LowerBound, options.UpperBound, epsilons, options.Seed.Value, options.MaxExamples,
            options.BatchSize, options.ThreadCount, options.BisectionSteps, options.SanityExampleCount, options.SanityTolerance,
            columns ? options.FeatureColumnName : null, columns ? options.LabelColumnName : null, epsilonSource, seedSource, attackStrengths)
        {
            PerturbationSpace = space.Description,
        };
        return new RobustnessReport(model.Description, n, d, c, cleanAccuracy, AccuracyConvention, curves, worstCase, minimal, examples, sanity,
            allNotices, configuration, total.Elapsed)
        {
            CleanAuc = cleanAuc,
        };
    }

    /// <summary>The raw input box of the options (infinite bounds become the float range), for checking the data.</summary>
    internal static InputBounds RawBounds(PerturbationOptions options) =>
        new(float.IsFinite(options.LowerBound) ? options.LowerBound : float.MinValue, float.IsFinite(options.UpperBound) ? options.UpperBound : float.MaxValue);

    /// <summary>
    /// The strengths an attack runs at (sorted, distinct) and where they came from: its own, else its relative defaults
    /// times the options' unit, else the epsilon grid.
    /// </summary>
    /// <exception cref="ArgumentException">The attack has relative defaults and the options have no unit.</exception>
    internal static (float[] Strengths, string Source) StrengthsOf(Attack attack, PerturbationOptions options, float[] epsilons)
    {
        (float[] strengths, string source) = attack.Strengths is { } given ? (given.ToArray(), "given")
            : attack.RelativeStrengths is { } relative
                ? options.RelativeUnit is (float unit, string name)
                    ? (relative.Select(f => f * unit).ToArray(), $"default: {string.Join(", ", relative.Select(PerturbationOptions.Invariant))} x {name}")
                    : throw PerturbationOptions.NoUnit($"strengths of {attack.Name} (set its Strengths)")
                : (epsilons, "the epsilon grid");
        return (strengths.Distinct().Order().ToArray(), source);
    }

    /// <summary>
    /// The radius of the "large epsilon brings accuracy to chance" check: half the input range in raw units, else (no
    /// box, or scale units) ten times the largest grid epsilon.
    /// </summary>
    internal static float LargeEpsilon(PerturbationOptions options, float[] epsilons) =>
        options.IsBounded && !options.HasFeatureScales ? 0.5f * (options.UpperBound - options.LowerBound) : 10f * epsilons.DefaultIfEmpty(1f).Max();

    /// <summary>
    /// Checks the rows evaluated (at most <paramref name="maxExamples"/>): the feature count, each label (by
    /// <paramref name="checkLabel"/>, which throws for a bad one) and each feature against the raw bounds; returns N.
    /// </summary>
    /// <exception cref="ArgumentException">No rows, the wrong number of feature values, a bad label, or a feature outside the bounds.</exception>
    internal static int ValidateData(float[] features, int labelCount, int d, InputBounds bounds, int? maxExamples, Action<int> checkLabel)
    {
        if (labelCount == 0) throw new ArgumentException("The data is empty: there are no examples to evaluate.", "labels");
        if (features.Length != labelCount * d)
        {
            throw new ArgumentException($"Expected {labelCount} x {d} = {labelCount * d} feature values for {labelCount} labels, got {features.Length}.", nameof(features));
        }

        int n = Math.Min(labelCount, maxExamples ?? int.MaxValue);
        for (int i = 0; i < n; i++)
        {
            checkLabel(i);
            ReadOnlySpan<float> row = features.AsSpan(i * d, d);
            if (bounds.FirstOutside(row) is var j and >= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(features), row[j],
                    $"Feature {j} of row {i} is {row[j]}, outside the bounds [{bounds.Lower}, {bounds.Upper}]; set LowerBound and UpperBound to the range of the raw inputs (infinite for none).");
            }
        }

        return n;
    }

    private static AttackCurve BuildCurve(AttackRecord record, int n, int attacked, Func<AttackOutcome, double?> auc)
    {
        var points = new List<AttackPoint>();
        for (int s = 0; s < record.Strengths.Length; s++)
        {
            AttackOutcome outcome = record.Outcomes[s];
            int fooled = outcome.FooledCount;
            points.Add(new AttackPoint(record.Strengths[s], (double)(attacked - fooled) / n, attacked == 0 ? 0 : (double)fooled / attacked, attacked, fooled,
                attacked == 0 ? 0 : (double)outcome.ScoreQueries / attacked, attacked == 0 ? 0 : (double)outcome.GradientQueries / attacked, outcome.Elapsed.TotalSeconds) { Auc = auc(outcome) });
        }

        return new AttackCurve(record.Attack.Name, record.Attack.Norm?.Name, record.Attack.RequiresGradient, record.Attack.Settings, points);
    }

    private static List<ExampleOutcome> BuildExamples(int n, int featureCount, int[] labels, int[] clean, int[] correct, List<AttackRecord> records, double?[] minimal,
        PerturbationSpace space)
    {
        var position = new int[n];
        Array.Fill(position, -1);
        for (int k = 0; k < correct.Length; k++) position[correct[k]] = k;
        string[] norms = records.Where(r => r.Attack.Norm is not null).Select(r => r.Attack.Norm!.Name).Distinct().ToArray();
        var examples = new List<ExampleOutcome>(n);
        for (int i = 0; i < n; i++)
        {
            int k = position[i];
            var smallest = new Dictionary<string, double?>();
            foreach (string norm in norms)
            {
                double? best = null;
                if (k >= 0)
                {
                    foreach (AttackRecord record in records.Where(r => r.Attack.Norm?.Name == norm))
                    {
                        for (int s = 0; s < record.Strengths.Length; s++)
                        {
                            if (record.Fooled(s, k) && (best is null || record.Strengths[s] < best)) best = record.Strengths[s];
                        }
                    }
                }

                smallest[norm] = best;
            }

            var attacks = new List<ExampleAttackOutcome>();
            if (k >= 0)
            {
                foreach (AttackRecord record in records)
                {
                    string norm = (record.Attack.Norm ?? PerturbationNorm.L2).Name;
                    for (int s = 0; s < record.Strengths.Length; s++)
                    {
                        AttackOutcome outcome = record.Outcomes[s];
                        float[]? input = outcome.AdversarialInputs is { } inputs ? space.ToRaw(inputs.AsSpan(k * featureCount, featureCount)) : null;
                        attacks.Add(new ExampleAttackOutcome(record.Attack.Name, record.Strengths[s], outcome.Fooled[k], outcome.PerturbationNorms[k], norm,
                            outcome.Predictions[k], input));
                    }
                }
            }

            examples.Add(new ExampleOutcome(i, labels[i], clean[i], smallest, k >= 0 ? minimal[k] : null, attacks));
        }

        return examples;
    }
}
