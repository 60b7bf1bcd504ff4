using System.Diagnostics;
using MLNetJacobian.Models;

namespace MLNetJacobian.Robustness;

/// <summary>
/// Measures a classifier's accuracy under perturbation: every attack at every strength, the per-example worst case,
/// the minimal perturbation per example, and sanity checks that make the figures trustworthy.
/// </summary>
/// <remarks>
/// Robust accuracy is counted over ALL evaluated examples (AutoAttack / Foolbox convention): only the examples
/// classified correctly on clean input are attacked, and the misclassified ones count as not robust, so robust
/// accuracy never exceeds clean accuracy. ML.NET users call
/// <c>mlContext.MulticlassClassification.EvaluateRobustness(...)</c>; this class takes any
/// <see cref="IModel"/> and in-memory data.
/// </remarks>
public static class RobustnessEvaluator
{
    /// <summary>The counting convention, as written into every report.</summary>
    public const string AccuracyConvention =
        "Robust accuracy = fraction of ALL evaluated examples classified correctly after the attack (AutoAttack/Foolbox " +
        "convention); clean-misclassified examples are not attacked and count as not robust. Success rate = fraction of " +
        "the attacked (clean-correct) examples misclassified.";

    /// <summary>Evaluates <paramref name="model"/> on in-memory data.</summary>
    /// <param name="model">The classifier (an <see cref="IDifferentiableModel"/> enables gradient attacks).</param>
    /// <param name="features">Inputs, <c>[N, D]</c> row-major, each inside the options' bounds.</param>
    /// <param name="labels">True classes, <c>[N]</c>, each in <c>[0, C)</c>.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    public static RobustnessReport Evaluate(IModel model, float[] features, int[] labels, RobustnessOptions? options = null) =>
        Evaluate(model, features, labels, options ?? new RobustnessOptions(), [], columns: false, contextSeed: null);

    // contextSeed: a seed drawn from the MLContext's random source, used when the options give none.
    internal static RobustnessReport Evaluate(IModel model, float[] features, int[] labels, RobustnessOptions options,
        IReadOnlyList<string> notices, bool columns, int? contextSeed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (model.Task != ModelTask.MulticlassClassification)
        {
            throw new ArgumentException($"The model '{model.Description}' is a {model.Task} model with {model.OutputCount} output(s); the robustness evaluator takes multiclass classifiers (one output per class).", nameof(model));
        }

        string seedSource = options.Seed is not null ? "given" : contextSeed is not null ? "drawn from the MLContext's random source" : "default 0 (no seed given)";
        options = options with { Seed = options.Seed ?? contextSeed ?? 0 };
        (float[] epsilons, string epsilonSource) = options.ResolveEpsilons();
        float range = options.UpperBound - options.LowerBound;
        var attackStrengths = new Dictionary<string, string>();
        var total = Stopwatch.StartNew();
        int d = model.FeatureCount, c = model.OutputCount;
        var bounds = new InputBounds(options.LowerBound, options.UpperBound);
        int n = ValidateData(features, labels, d, c, bounds, options.MaxExamples);

        var models = new List<IModel> { model };
        for (int t = 1; t < options.ThreadCount; t++) models.Add(model.CreateThreadInstance());
        var execution = new AttackExecution(models, features, labels, bounds, options.BatchSize);
        int[] clean = execution.Predict(features, n);
        int[] correct = Enumerable.Range(0, n).Where(i => clean[i] == labels[i]).ToArray();
        double cleanAccuracy = (double)correct.Length / n;

        var allNotices = new List<string>(notices);
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

            (float[] strengths, string source) = attack.Strengths is { } given ? (given.ToArray(), "given")
                : attack.RelativeStrengths is { } relative ? (relative.Select(f => f * range).ToArray(),
                    $"default: {string.Join(", ", relative.Select(RobustnessOptions.Invariant))} x the input range {RobustnessOptions.Invariant(range)}")
                : (epsilons, "the epsilon grid");
            strengths = strengths.Distinct().Order().ToArray();
            attackStrengths[attack.Name] = $"{string.Join(", ", strengths.Select(RobustnessOptions.Invariant))} ({source})";
            var outcomes = new AttackOutcome[strengths.Length];
            for (int s = 0; s < strengths.Length; s++)
            {
                float[] perExample = Enumerable.Repeat(strengths[s], correct.Length).ToArray();
                outcomes[s] = execution.Run(attack, correct, perExample, SeedMixer.Derive(options.Seed.Value, a, s), options.IncludeAdversarialInputs);
            }

            records.Add(new AttackRecord(a, attack, strengths, outcomes));
        }

        if (skipped.Count > 0)
        {
            allNotices.Add($"Gradient attacks skipped ({string.Join(", ", skipped)}): the model '{model.Description}' provides no input gradient. " +
                "Black-box attacks still ran; for a white-box evaluation use a differentiable model (this library's networks, or ML.NET linear multiclass models).");
        }

        IReadOnlyList<AttackCurve> curves = records.Select(r => BuildCurve(r, n, correct.Length)).ToList();
        var worstCase = WorstCaseAnalysis.Compute(records, correct.Length, n);
        MinimalPerturbationSummary? minimal = null;
        double?[] minimalPerExample = new double?[correct.Length];
        if (options.BisectionSteps > 0 && correct.Length > 0)
        {
            minimal = MinimalPerturbationSearch.Run(execution, options, differentiable, records, correct, minimalPerExample, allNotices);
        }

        var sanity = options.RunSanityChecks
            ? new SanityChecks(execution, options, records, correct, cleanAccuracy, n, models, features).RunAll()
            : [];
        var examples = BuildExamples(n, d, labels, clean, correct, records, minimalPerExample);
        var configuration = new RobustnessConfiguration(options.LowerBound, options.UpperBound, epsilons, options.Seed.Value, options.MaxExamples,
            options.BatchSize, options.ThreadCount, options.BisectionSteps, options.SanityExampleCount, options.SanityTolerance,
            columns ? options.FeatureColumnName : null, columns ? options.LabelColumnName : null, epsilonSource, seedSource, attackStrengths);
        return new RobustnessReport(model.Description, n, d, c, cleanAccuracy, AccuracyConvention, curves, worstCase, minimal, examples, sanity,
            allNotices, configuration, total.Elapsed);
    }

    private static int ValidateData(float[] features, int[] labels, int d, int c, InputBounds bounds, int? maxExamples)
    {
        if (labels.Length == 0) throw new ArgumentException("The data is empty: there are no examples to evaluate.", nameof(labels));
        if (features.Length != labels.Length * d)
        {
            throw new ArgumentException($"Expected {labels.Length} x {d} = {labels.Length * d} feature values for {labels.Length} labels, got {features.Length}.", nameof(features));
        }

        int n = Math.Min(labels.Length, maxExamples ?? int.MaxValue);
        for (int i = 0; i < n; i++)
        {
            if (labels[i] < 0 || labels[i] >= c) throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"Label of row {i} is {labels[i]}, outside [0, {c}).");
            ReadOnlySpan<float> row = features.AsSpan(i * d, d);
            if (!bounds.Contains(row))
            {
                int j = 0;
                while (row[j] >= bounds.Lower && row[j] <= bounds.Upper) j++;
                throw new ArgumentOutOfRangeException(nameof(features), row[j],
                    $"Feature {j} of row {i} is {row[j]}, outside the bounds [{bounds.Lower}, {bounds.Upper}]; set LowerBound and UpperBound to the range of the raw inputs.");
            }
        }

        return n;
    }

    private static AttackCurve BuildCurve(AttackRecord record, int n, int attacked)
    {
        var points = new List<AttackPoint>();
        for (int s = 0; s < record.Strengths.Length; s++)
        {
            AttackOutcome outcome = record.Outcomes[s];
            int fooled = outcome.FooledCount;
            points.Add(new AttackPoint(record.Strengths[s], (double)(attacked - fooled) / n, attacked == 0 ? 0 : (double)fooled / attacked, attacked, fooled,
                attacked == 0 ? 0 : (double)outcome.ScoreQueries / attacked, attacked == 0 ? 0 : (double)outcome.GradientQueries / attacked, outcome.Elapsed.TotalSeconds));
        }

        return new AttackCurve(record.Attack.Name, record.Attack.Norm?.Name, record.Attack.RequiresGradient, record.Attack.Settings, points);
    }

    private static List<ExampleOutcome> BuildExamples(int n, int featureCount, int[] labels, int[] clean, int[] correct, List<AttackRecord> records, double?[] minimal)
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
                        float[]? input = outcome.AdversarialInputs?.AsSpan(k * featureCount, featureCount).ToArray();
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
