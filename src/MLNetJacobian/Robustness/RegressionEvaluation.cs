using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLNetJacobian.Models;

namespace MLNetJacobian.Robustness;

/// <summary>
/// The regression half of <see cref="RobustnessEvaluator"/>: for every attack, objective and strength, the errors of
/// the perturbed predictions against the labels (RMSE, MAE) and the prediction change <c>|f(x + d) - f(x)|</c>, with
/// sanity checks. Every example is perturbed.
/// </summary>
/// <remarks>
/// The attacks are the classification ones run with a regression goal: gradient attacks (FGSM, PGD, APGD) ascend
/// <c>|f(x') - t|</c> (whatever loss their name carries), with <c>t</c> the clean prediction (objective
/// <see cref="RegressionObjective.PredictionChange"/>) or the label (<see cref="RegressionObjective.Error"/>); the
/// Square search lowers <c>-|f(x') - t|</c> with scores only, so it runs on any model (trees included) and on the
/// differentiable ones too, for a comparison of every model under the same attack. Searches never stop early: each
/// row returns its last (PGD) or best (APGD, Square) iterate.
/// </remarks>
internal static class RegressionEvaluation
{
    public static RegressionRobustnessReport Evaluate(IModel model, float[] features, float[] labels, RegressionRobustnessOptions options,
        IReadOnlyList<string> notices, int? contextSeed, DataViewSchema? schema)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (model.Task != ModelTask.Regression)
        {
            string catalog = RobustnessEvaluator.CatalogOf(model.Task);
            throw RobustnessEvaluator.WrongTask(model, ModelTask.Regression, "Regression",
                $"Use mlContext.{catalog}.EvaluateRobustness for a {RobustnessEvaluator.TaskName(model.Task)} model.");
        }

        bool columns = schema is not null;
        (int seed, string seedSource) = options.ResolveSeed(contextSeed);
        (float[] epsilons, string epsilonSource) = options.ResolveEpsilons();
        var total = Stopwatch.StartNew();
        int d = model.FeatureCount;
        int n = RobustnessEvaluator.ValidateData(features, labels.Length, d, RobustnessEvaluator.RawBounds(options), options.MaxExamples, i =>
        {
            if (!float.IsFinite(labels[i])) throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"The label of row {i} is {labels[i]}; regression labels must be finite.");
        });
        PerturbationSpace space = PerturbationSpace.Resolve(options, d, schema);
        model = space.Wrap(model);
        features = space.ToSpace(features);
        InputBounds bounds = space.Bounds(options);

        var models = new List<IModel> { model };
        for (int t = 1; t < options.ThreadCount; t++) models.Add(model.CreateThreadInstance());
        int[] keys = Enumerable.Range(0, n).ToArray();   // a row's "label" is its key into the goal's targets
        var execution = new AttackExecution(models, features, keys, bounds, options.BatchSize, fixedFeatures: space.FixedFeatures);
        float[] clean = execution.ComputeOutputs(features, n);
        float[] truth = labels.AsSpan(0, n).ToArray();
        var goals = new Dictionary<RegressionObjective, RegressionGoal>
        {
            [RegressionObjective.PredictionChange] = new(clean, "change"),
            [RegressionObjective.Error] = new(truth, "error"),
        };

        var allNotices = new List<string>(notices) { $"Perturbation space: {space.Description}." };
        bool differentiable = model is IDifferentiableModel;
        IReadOnlyList<Attack> suite = options.Attacks ?? RegressionRobustnessOptions.DefaultAttacks();
        var runs = new List<Run>();
        var skipped = new List<string>();
        var attackStrengths = new Dictionary<string, string>();
        for (int a = 0; a < suite.Count; a++)
        {
            Attack attack = suite[a];
            if (attack.RequiresGradient && !differentiable)
            {
                skipped.Add(attack.Name);
                continue;
            }

            (float[] strengths, string source) = RobustnessEvaluator.StrengthsOf(attack, options, epsilons);
            attackStrengths[attack.Name] = $"{string.Join(", ", strengths.Select(PerturbationOptions.Invariant))} ({source})";
            RegressionObjective?[] objectives = attack.Kind == AttackKind.Noise ? [null] : options.Objectives.Select(o => (RegressionObjective?)o).ToArray();
            for (int o = 0; o < objectives.Length; o++)
            {
                AttackExecution run = execution.WithGoal(goals[objectives[o] ?? RegressionObjective.PredictionChange]);
                var outcomes = new AttackOutcome[strengths.Length];
                for (int s = 0; s < strengths.Length; s++)
                {
                    outcomes[s] = run.Run(attack, keys, Enumerable.Repeat(strengths[s], n).ToArray(), SeedMixer.Derive(seed, a, s, o));
                }

                runs.Add(new Run(a, attack, objectives[o], strengths, outcomes));
            }
        }

        if (skipped.Count > 0)
        {
            allNotices.Add($"Gradient attacks skipped ({string.Join(", ", skipped)}): the model '{model.Description}' provides no input gradient. " +
                "The black-box search still ran; for a white-box evaluation use a differentiable model (this library's networks, or ML.NET linear regressors).");
        }

        var curves = runs.Select(r => new RegressionRobustnessReport.AttackCurve(r.Attack.Name, r.Attack.Norm?.Name, r.Attack.Kind, r.Objective, r.Attack.Settings,
            r.Strengths.Select((eps, s) => Point(r.Attack.Name, eps, r.Outcomes[s], clean, truth)).ToList())).ToList();
        var sanity = options.RunSanityChecks
            ? new Checks(execution, goals[RegressionObjective.PredictionChange], options, runs, curves, models[0], features, clean, n, seed, space.FixedFeatures is not null).RunAll()
            : [];
        var configuration = new RobustnessConfiguration(options.LowerBound, options.UpperBound, epsilons, seed, options.MaxExamples, options.BatchSize,
            options.ThreadCount, BisectionSteps: null, options.SanityExampleCount, options.SanityTolerance, columns ? options.FeatureColumnName : null,
            columns ? options.LabelColumnName : null, epsilonSource, seedSource, attackStrengths)
        {
            PerturbationSpace = space.Description,
        };
        (double rmse, double mae) = Errors(clean, truth);
        return new RegressionRobustnessReport(model.Description, n, d, rmse, mae, curves, sanity, allNotices, configuration, total.Elapsed);
    }

    /// <exception cref="InvalidOperationException">The model predicted NaN for a perturbed input (the message names the attack and strength).</exception>
    private static RegressionRobustnessReport.AttackPoint Point(string attack, float strength, AttackOutcome outcome, float[] clean, float[] truth)
    {
        (double rmse, double mae) = Errors(outcome.Outputs, truth);
        int n = clean.Length;
        if (Array.FindIndex(outcome.Outputs, 0, n, float.IsNaN) is var row and >= 0)
        {
            throw new InvalidOperationException($"The model predicted NaN for row {row} perturbed by {attack} at strength {strength}; no change distribution can be computed.");
        }

        return new RegressionRobustnessReport.AttackPoint(strength, rmse, mae, DistributionSummary.Of(Enumerable.Range(0, n).Select(i => Math.Abs((double)outcome.Outputs[i] - clean[i]))),
            (double)outcome.ScoreQueries / n, (double)outcome.GradientQueries / n, outcome.Elapsed.TotalSeconds);
    }

    private static (double Rmse, double Mae) Errors(float[] predictions, float[] truth)
    {
        double squares = 0, absolute = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            double error = (double)predictions[i] - truth[i];
            squares += error * error;
            absolute += Math.Abs(error);
        }

        return (Math.Sqrt(squares / truth.Length), absolute / truth.Length);
    }

    /// <summary>One attack with one objective (null: noise) at its strengths.</summary>
    private sealed record Run(int Index, Attack Attack, RegressionObjective? Objective, float[] Strengths, AttackOutcome[] Outcomes);

    /// <summary>The regression sanity checks; a failure becomes a warning.</summary>
    private sealed class Checks(AttackExecution execution, RegressionGoal change, RegressionRobustnessOptions options, List<Run> runs,
        List<RegressionRobustnessReport.AttackCurve> curves, IModel model, float[] features, float[] clean, int n, int seed, bool someFeaturesFixed)
    {
        private readonly List<SanityCheckResult> _results = [];
        private readonly List<AttackOutcome> _extra = [];

        private double Tolerance => options.SanityTolerance;

        public List<SanityCheckResult> RunAll()
        {
            _results.Add(SanityChecks.DeterministicPredictions(model, features, Math.Min(n, options.BatchSize)));
            CheckZeroEpsilon();
            CheckMonotone();
            CheckIterativeAtLeastSingleStep();
            CheckBlackBoxNotStronger();
            if (SanityChecks.Gradients(runs.Where(r => r.Attack.RequiresGradient).SelectMany(r => r.Outcomes), Tolerance) is { } gradients) _results.Add(gradients);
            _results.Add(SanityChecks.InsideBallAndBounds(runs.SelectMany(r => r.Outcomes).Concat(_extra), 0, someFeaturesFixed));
            return _results;
        }

        /// <summary>The figure a curve's objective raises: the mean change, or the MAE for the error objective.</summary>
        private static double Figure(RegressionRobustnessReport.AttackCurve curve, RegressionRobustnessReport.AttackPoint point) => curve.Objective == RegressionObjective.Error ? point.Mae : point.Change.Mean;

        private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

        private void CheckZeroEpsilon()
        {
            int[] subset = Enumerable.Range(0, Math.Min(n, 16)).ToArray();
            var moved = new List<string>();
            AttackExecution run = execution.WithGoal(change);
            foreach (Run attack in runs.DistinctBy(r => r.Index))
            {
                AttackOutcome outcome = run.Run(attack.Attack, subset, new float[subset.Length], SeedMixer.Derive(seed, -2, attack.Index));
                _extra.Add(outcome);
                double largest = subset.Select((row, m) => Math.Abs((double)outcome.Outputs[m] - clean[row]) / (1 + Math.Abs(clean[row]))).Max();
                if (largest > 1e-5) moved.Add($"{attack.Attack.Name} (relative change {largest:G3})");
            }

            _results.Add(new SanityCheckResult("Epsilon 0 leaves predictions unchanged", moved.Count == 0, moved.Count == 0
                ? $"Every attack at strength 0 left the predictions of {subset.Length} examples unchanged."
                : $"At strength 0 these attacks changed predictions: {string.Join(", ", moved)}. The attack moves inputs it must not move, or predictions are not deterministic."));
        }

        private void CheckMonotone()
        {
            var drops = new List<string>();
            bool passed = true;
            foreach (RegressionRobustnessReport.AttackCurve curve in curves)
            {
                for (int s = 1; s < curve.Points.Count; s++)
                {
                    double before = Figure(curve, curve.Points[s - 1]), after = Figure(curve, curve.Points[s]);
                    if (after >= before) continue;
                    drops.Add($"{curve.Name} ({curve.Objective?.ToString() ?? "noise"}) {Format(curve.Points[s - 1].Strength)} -> {Format(curve.Points[s].Strength)}: {Format(before)} -> {Format(after)}");
                    if (before - after > Tolerance * before) passed = false;
                }
            }

            _results.Add(new SanityCheckResult("The attacked figure (mean change, or MAE for the error objective) does not decrease with epsilon", passed, drops.Count == 0
                ? "Every curve is non-decreasing."
                : $"Decreases: {string.Join("; ", drops)}." + (passed ? " All within the tolerance (random draws)." : " An attack finds less in a larger ball: it is not converging or is misconfigured."),
                passed && drops.Count > 0));
        }

        private void CheckIterativeAtLeastSingleStep()
        {
            foreach (RegressionRobustnessReport.AttackCurve single in curves.Where(c => c.Kind == AttackKind.Gradient))
            {
                Attack singleAttack = runs.First(r => r.Attack.Name == single.Name).Attack;
                foreach (RegressionRobustnessReport.AttackCurve iterative in curves.Where(c => c != single && c.Objective == single.Objective
                    && runs.First(r => r.Attack.Name == c.Name).Attack.ShouldBeAtLeastAsStrongAs(singleAttack)))
                {
                    var parts = new List<string>();
                    bool passed = true, below = false;
                    foreach (RegressionRobustnessReport.AttackPoint point in single.Points)
                    {
                        if (iterative.Points.FirstOrDefault(p => p.Strength == point.Strength) is not { } other) continue;
                        double a = Figure(single, point), b = Figure(iterative, other);
                        parts.Add($"{Format(point.Strength)}: {Format(b)} vs {Format(a)}");
                        if (b < a) below = true;
                        if (b < a * (1 - Tolerance)) passed = false;
                    }

                    if (parts.Count == 0) continue;
                    _results.Add(new SanityCheckResult($"{iterative.Name} at least as strong as {single.Name} ({single.Objective})", passed,
                        $"Per epsilon, {iterative.Name} vs {single.Name}: {string.Join(", ", parts)}." +
                        (passed ? "" : " The iterative attack finds less than one step: too small a step, too few steps, or masked gradients."), passed && below));
                }
            }
        }

        private void CheckBlackBoxNotStronger()
        {
            foreach (var group in curves.Where(c => c.Norm is not null && c.Objective is not null).GroupBy(c => (c.Norm, c.Objective)))
            {
                var white = group.Where(c => c.Kind == AttackKind.Gradient).ToList();
                var black = group.Where(c => c.Kind == AttackKind.BlackBox).ToList();
                if (white.Count == 0 || black.Count == 0) continue;
                var flags = new List<string>();
                var tolerated = new List<string>();
                foreach (double eps in white.SelectMany(c => c.Points.Select(p => p.Strength)).Distinct().Order())
                {
                    double? Best(List<RegressionRobustnessReport.AttackCurve> set) => set.SelectMany(c => c.Points.Where(p => p.Strength == eps).Select(p => Figure(c, p))).Cast<double?>().Max();
                    if (Best(white) is not { } w || Best(black) is not { } b || b <= w) continue;
                    string line = $"epsilon {Format(eps)}: black-box {Format(b)} vs white-box {Format(w)}";
                    if (b > w * (1 + Tolerance)) flags.Add(line);
                    else tolerated.Add(line);
                }

                _results.Add(new SanityCheckResult($"Black-box search not stronger than white-box ({group.Key.Norm}, {group.Key.Objective})", flags.Count == 0, flags.Count > 0
                    ? $"Possible gradient masking or a non-smooth model: {string.Join("; ", flags)}. Gradient-based figures understate the sensitivity; trust the black-box ones."
                    : tolerated.Count > 0
                        ? $"The black-box search beat the best gradient attack by less than the tolerance {Format(Tolerance)}: {string.Join("; ", tolerated)}. Report the larger figure."
                        : "At every common epsilon the best gradient attack found at least as much.",
                    flags.Count == 0 && tolerated.Count > 0));
            }
        }
    }
}
