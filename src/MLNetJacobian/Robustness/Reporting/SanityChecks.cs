using System.Globalization;
using MLNetJacobian.Models;

namespace MLNetJacobian.Robustness;

/// <summary>
/// The automatic checks of an evaluation (after Carlini et al. 2019, "On Evaluating Adversarial Robustness"):
/// each returns its figures, and a failure becomes a warning in the report.
/// </summary>
internal sealed class SanityChecks
{
    private const int ZeroEpsilonExamples = 16;

    private readonly AttackExecution _execution;
    private readonly RobustnessOptions _options;
    private readonly IReadOnlyList<AttackRecord> _records;
    private readonly int[] _correct;
    private readonly double _cleanAccuracy;
    private readonly int _n;
    private readonly IReadOnlyList<IModel> _models;
    private readonly float[] _features;
    private readonly List<SanityCheckResult> _results = [];
    private readonly int _classCount;
    private readonly float _largeEpsilon;
    private readonly bool _someFeaturesFixed;
    private int _extraOutside;

    public SanityChecks(AttackExecution execution, RobustnessOptions options, IReadOnlyList<AttackRecord> records, int[] correct,
        double cleanAccuracy, int n, IReadOnlyList<IModel> models, float[] features, int classCount, float largeEpsilon, bool someFeaturesFixed)
    {
        _classCount = classCount;
        _largeEpsilon = largeEpsilon;
        _someFeaturesFixed = someFeaturesFixed;
        _execution = execution;
        _options = options;
        _records = records;
        _correct = correct;
        _cleanAccuracy = cleanAccuracy;
        _n = n;
        _models = models;
        _features = features;
    }

    private double Tolerance => _options.SanityTolerance;

    public List<SanityCheckResult> RunAll()
    {
        CheckDeterministicPredictions();
        CheckNeverAboveClean();
        if (_correct.Length > 0)
        {
            CheckZeroEpsilon();
            CheckLargeEpsilon();
            CheckDoubledSteps();
        }

        CheckMonotone();
        CheckIterativeAtLeastSingleStep();
        CheckBlackBoxNotStronger();
        CheckGradients();
        CheckInsideBallAndBounds();
        return _results;
    }

    private void Add(string name, bool passed, string detail, bool withinTolerance = false) =>
        _results.Add(new SanityCheckResult(name, passed, detail, passed && withinTolerance));

    private static string Percent(double fraction) => (100 * fraction).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private void CheckDeterministicPredictions() => _results.Add(DeterministicPredictions(_models[0], _features, Math.Min(_n, _options.BatchSize)));

    /// <summary>Scores the first rows twice and on a second model instance; any difference means a stochastic model.</summary>
    internal static SanityCheckResult DeterministicPredictions(IModel model, float[] features, int rows)
    {
        int d = model.FeatureCount, c = model.OutputCount;
        var first = new float[rows * c];
        var second = new float[rows * c];
        var third = new float[rows * c];
        ReadOnlySpan<float> x = features.AsSpan(0, rows * d);
        model.ComputeOutputs(x, rows, first);
        model.ComputeOutputs(x, rows, second);
        model.CreateThreadInstance().ComputeOutputs(x, rows, third);
        int differing = 0;
        for (int i = 0; i < rows * c; i++)
        {
            // Identical arithmetic must give identical scores; allow 1e-6 relative for instance-dependent summation order.
            if (Math.Abs(first[i] - second[i]) > 1e-6 * (1 + Math.Abs(first[i])) || Math.Abs(first[i] - third[i]) > 1e-6 * (1 + Math.Abs(first[i]))) differing++;
        }

        return new SanityCheckResult("Predictions are deterministic", differing == 0, differing == 0
            ? $"The scores of {rows} examples were identical over two calls and a second model instance."
            : $"{differing} of {rows * c} scores changed between identical calls: the model is stochastic (dropout at inference, random features?), so every figure here is noisy and attacks may be misled.");
    }

    private void CheckNeverAboveClean()
    {
        var above = _records.SelectMany(r => r.Strengths.Select((s, i) => (r.Attack.Name, s, Fooled: r.Outcomes[i].FooledCount)))
            .Where(p => (double)(_correct.Length - p.Fooled) / _n > _cleanAccuracy + 1e-12).ToList();
        Add("Robust accuracy never exceeds clean accuracy", above.Count == 0, above.Count == 0
            ? $"Every point is at or below the clean accuracy {Percent(_cleanAccuracy)}."
            : $"{above.Count} points exceed the clean accuracy (internal error).");
    }

    private void CheckZeroEpsilon()
    {
        int[] subset = _correct.Take(ZeroEpsilonExamples).ToArray();
        var changed = new List<string>();
        foreach (AttackRecord record in _records)
        {
            AttackOutcome outcome = _execution.Run(record.Attack, subset, new float[subset.Length], SeedMixer.Derive(_options.Seed ?? 0, -2, record.Index));
            _extraOutside += outcome.OutsideBallOrBounds;
            if (outcome.FooledCount > 0) changed.Add($"{record.Attack.Name} ({outcome.FooledCount} of {subset.Length})");
        }

        Add("Epsilon 0 reproduces clean accuracy", changed.Count == 0, changed.Count == 0
            ? $"Every attack at strength 0 left {subset.Length} correctly classified examples correct."
            : $"At strength 0 these attacks changed predictions: {string.Join(", ", changed)}. The attack moves inputs it must not move, or predictions are not deterministic.");
    }

    private void CheckLargeEpsilon()
    {
        // The strongest kind available in L-inf: an iterative gradient attack, else a black-box search (never noise).
        AttackRecord? record = _records.FirstOrDefault(r => r.Attack is { Kind: AttackKind.Gradient, GradientSteps: > 1 } && r.Attack.Norm == PerturbationNorm.LInfinity)
            ?? _records.FirstOrDefault(r => r.Attack.Kind == AttackKind.BlackBox && r.Attack.Norm == PerturbationNorm.LInfinity);
        // With only some features free, a large ball need not flip anything: the model may barely use them.
        if (record is null || _someFeaturesFixed) return;
        float eps = _largeEpsilon;
        int[] subset = _correct.Take(_options.SanityExampleCount).ToArray();
        AttackOutcome outcome = _execution.Run(record.Attack, subset, Enumerable.Repeat(eps, subset.Length).ToArray(), SeedMixer.Derive(_options.Seed ?? 0, -3));
        _extraOutside += outcome.OutsideBallOrBounds;
        double accuracy = _cleanAccuracy * (subset.Length - outcome.FooledCount) / subset.Length;
        double chance = 1.0 / _classCount;
        bool passed = accuracy <= chance + Tolerance;
        bool halfRange = _options.IsBounded && !_options.HasFeatureScales;
        Add(halfRange ? "L-inf epsilon of half the input range brings accuracy to chance" : $"L-inf epsilon of 10x the largest epsilon ({Format(eps)}) brings accuracy to chance", passed,
            $"{record.Attack.Name} at epsilon {Format(eps)} on {subset.Length} examples: estimated accuracy {Percent(accuracy)}, chance {Percent(chance)}." +
            (passed ? "" : " Expected for an undefended model: the attack may be too weak (more steps or restarts) or the gradients masked. A certified defence could legitimately stay above."));
    }

    private void CheckDoubledSteps()
    {
        AttackRecord? record = _records.FirstOrDefault(r => r.Attack.Kind == AttackKind.Gradient && r.Attack.WithDoubledEffort() is not null);
        if (record is null) return;
        Attack attack = record.Attack, doubledAttack = attack.WithDoubledEffort()!;
        int s = record.Strengths.Length / 2;
        float eps = record.Strengths[s];
        int m = Math.Min(_options.SanityExampleCount, _correct.Length);
        int[] subset = _correct.Take(m).ToArray();
        AttackOutcome doubled = _execution.Run(doubledAttack, subset, Enumerable.Repeat(eps, m).ToArray(), SeedMixer.Derive(_options.Seed ?? 0, -4));
        _extraOutside += doubled.OutsideBallOrBounds;
        int before = Enumerable.Range(0, m).Count(k => !record.Fooled(s, k));
        int after = m - doubled.FooledCount;
        double change = (double)Math.Abs(before - after) / m;
        bool passed = change <= Tolerance;
        Add($"Doubling the steps of {attack.Name} leaves robust accuracy unchanged", passed,
            $"{attack.Name} vs {doubledAttack.Name} at epsilon {Format(eps)} on {m} examples: {before} vs {after} survive (change {Percent(change)}, tolerance {Percent(Tolerance)})." +
            (passed ? "" : " The attack has not converged: report the stronger figure, or raise the steps."), withinTolerance: change > 0);
    }

    private void CheckMonotone()
    {
        var rises = new List<string>();
        bool passed = true;
        foreach (AttackRecord record in _records)
        {
            for (int s = 1; s < record.Strengths.Length; s++)
            {
                int rise = record.Outcomes[s - 1].FooledCount - record.Outcomes[s].FooledCount;
                if (rise <= 0) continue;
                rises.Add($"{record.Attack.Name} {Format(record.Strengths[s - 1])} -> {Format(record.Strengths[s])}: +{rise} examples");
                if ((double)rise / _n > Tolerance) passed = false;
            }
        }

        Add("Accuracy does not increase with epsilon", passed, rises.Count == 0
            ? "Every curve is non-increasing."
            : $"Rises: {string.Join("; ", rises)}." + (passed ? " All within the tolerance (random draws)." : " An attack finds fewer adversarial inputs in a larger ball: it is not converging or is misconfigured."),
            withinTolerance: rises.Count > 0);
    }

    private void CheckIterativeAtLeastSingleStep()
    {
        foreach (AttackRecord single in _records)
        {
            foreach (AttackRecord iterative in _records.Where(r => r != single && r.Attack.ShouldBeAtLeastAsStrongAs(single.Attack)))
            {
                int worst = 0;
                var parts = new List<string>();
                for (int s = 0; s < single.Strengths.Length; s++)
                {
                    int t = Array.IndexOf(iterative.Strengths, single.Strengths[s]);
                    if (t < 0) continue;
                    int count = Enumerable.Range(0, _correct.Length).Count(k => single.Fooled(s, k) && !iterative.Fooled(t, k));
                    worst = Math.Max(worst, count);
                    parts.Add($"{Format(single.Strengths[s])}: {count}");
                }

                if (parts.Count == 0) continue;
                bool passed = worst <= Tolerance * Math.Max(1, _correct.Length);
                Add($"{iterative.Attack.Name} at least as strong as {single.Attack.Name} per example", passed,
                    $"Examples fooled by {single.Attack.Name} but not by {iterative.Attack.Name}, per epsilon: {string.Join(", ", parts)}." +
                    (passed ? "" : " The iterative attack misses what one step finds: too small a step, too few steps, or masked gradients."), withinTolerance: worst > 0);
            }
        }
    }

    private void CheckBlackBoxNotStronger()
    {
        foreach (var group in _records.Where(r => r.Attack.Norm is not null).GroupBy(r => r.Attack.Norm!.Name))
        {
            var white = group.Where(r => r.Attack.Kind == AttackKind.Gradient).ToList();
            var black = group.Where(r => r.Attack.Kind != AttackKind.Gradient).ToList();
            if (white.Count == 0 || black.Count == 0) continue;
            var flags = new List<string>();
            var tolerated = new List<string>();
            foreach (float eps in white.SelectMany(r => r.Strengths).Distinct().Order())
            {
                double? bestWhite = Accuracy(white, eps), bestBlack = Accuracy(black, eps);
                if (bestWhite is not { } w || bestBlack is not { } b || b >= w) continue;
                string line = $"epsilon {Format(eps)}: black-box {Percent(b)} vs white-box {Percent(w)}";
                if (b < w - Tolerance) flags.Add(line);
                else tolerated.Add(line);
            }

            Add($"Noise and black-box attacks not stronger than white-box ({group.Key})", flags.Count == 0, flags.Count > 0
                ? $"Possible gradient masking: {string.Join("; ", flags)}. Gradient-based figures overstate robustness; trust the black-box ones."
                : tolerated.Count > 0
                    ? $"A black-box or noise attack was stronger than the best gradient attack, by less than the tolerance {Percent(Tolerance)}: {string.Join("; ", tolerated)}. Report the lower figure."
                    : "At every common epsilon the best gradient attack is at least as strong.",
                withinTolerance: tolerated.Count > 0);
        }
    }

    private double? Accuracy(IEnumerable<AttackRecord> records, float eps)
    {
        double? best = null;
        foreach (AttackRecord record in records)
        {
            int s = Array.IndexOf(record.Strengths, eps);
            if (s < 0) continue;
            double accuracy = (double)(_correct.Length - record.Outcomes[s].FooledCount) / _n;
            best = best is null ? accuracy : Math.Min(best.Value, accuracy);
        }

        return best;
    }

    private void CheckGradients()
    {
        if (Gradients(_records.Where(r => r.Attack.RequiresGradient).SelectMany(r => r.Outcomes), Tolerance) is { } result) _results.Add(result);
    }

    private void CheckInsideBallAndBounds() => _results.Add(InsideBallAndBounds(_records.SelectMany(r => r.Outcomes), _extraOutside, _someFeaturesFixed));

    /// <summary>Whether the gradient attacks' input gradients were finite and rarely all zero; null when no gradient was computed.</summary>
    internal static SanityCheckResult? Gradients(IEnumerable<AttackOutcome> gradientOutcomes, double tolerance)
    {
        var outcomes = gradientOutcomes.ToList();
        long rows = outcomes.Sum(o => o.GradientQueries);
        if (rows == 0) return null;
        long zero = outcomes.Sum(o => o.ZeroGradientRows), nonFinite = outcomes.Sum(o => o.NonFiniteGradientRows);
        bool passed = nonFinite == 0 && (double)zero / rows <= tolerance;
        return new SanityCheckResult("Input gradients are finite and non-zero", passed,
            $"{nonFinite} rows with NaN or infinite gradients and {zero} all-zero rows out of {rows} gradient rows ({Percent((double)zero / rows)} zero)." +
            (passed ? "" : " Zero gradients (saturated outputs, piecewise-constant layers) or non-finite ones give gradient attacks nothing to follow: robustness is overestimated."));
    }

    /// <summary>Whether every perturbed input stayed in its ball and the bounds, and kept its fixed features.</summary>
    internal static SanityCheckResult InsideBallAndBounds(IEnumerable<AttackOutcome> allOutcomes, int extraOutside, bool someFeaturesFixed)
    {
        var outcomes = allOutcomes.ToList();
        int outside = outcomes.Sum(o => o.OutsideBallOrBounds) + extraOutside;
        double worst = outcomes.Select(o => o.MaxViolation).DefaultIfEmpty(0).Max();
        return new SanityCheckResult("Every perturbed input lies inside the epsilon ball and the bounds", outside == 0, outside == 0
            ? "All perturbed inputs were checked" + (someFeaturesFixed ? ", and every fixed feature kept its clean value." : ".")
            : $"{outside} perturbed inputs fell outside or moved a fixed feature (largest excess {worst:G3}): internal error in the projection.");
    }
}
