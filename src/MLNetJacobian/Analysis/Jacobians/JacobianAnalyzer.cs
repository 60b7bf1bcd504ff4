using Microsoft.ML;
using MLNetJacobian.Data;
using MLNetJacobian.Models;

namespace MLNetJacobian.Analysis;

/// <summary>
/// Per-example Jacobian statistics over a data set: their distribution overall and per class, and the least stable
/// examples (largest spectral norm).
/// </summary>
/// <remarks>
/// For each example <c>x</c>, the source gives <c>J(x)</c> (<c>C x D</c>) and the analyzer computes
/// <see cref="JacobianStatistics"/>: <c>||J||_F</c>, <c>||J||_2</c>, the singular values, the condition number and
/// <c>log|det J|</c> when <c>C = D</c>. With <see cref="Options.UseProbabilities"/>, J is first
/// replaced by <c>(diag(p) - p p^T) J</c>.
/// </remarks>
public static partial class JacobianAnalyzer
{
    /// <summary>The statistics of the Jacobian at one input.</summary>
    /// <param name="source">Where the Jacobian comes from.</param>
    /// <param name="features">x: <c>[D]</c>.</param>
    /// <param name="useProbabilities">Use the probability Jacobian (logit sources only).</param>
    /// <param name="rankTolerance">See <see cref="JacobianStatistics.Compute(ReadOnlySpan{double}, int, int, double?)"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="features"/> does not hold D values, the probability Jacobian is asked of a source without at least
    /// two logits, or the Jacobian holds NaN or infinity.
    /// </exception>
    public static JacobianStatistics ComputeStatistics(IJacobianModel source, ReadOnlySpan<float> features, bool useProbabilities = false, double? rankTolerance = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckProbabilities(source, useProbabilities);
        if (features.Length != source.FeatureCount)
        {
            throw new ArgumentException($"features has {features.Length} values; the source expects D = {source.FeatureCount}.", nameof(features));
        }

        var outputs = new double[source.OutputCount];
        var jacobian = new double[source.OutputCount * source.FeatureCount];
        return Compute(source, features, useProbabilities, rankTolerance, outputs, jacobian, out _);
    }

    /// <summary>Analyzes the rows of an ML.NET data view.</summary>
    /// <param name="source">Where the Jacobians come from.</param>
    /// <param name="data">The examples, with the feature column and optionally a label column.</param>
    /// <param name="options">Column names and settings; null for the defaults.</param>
    /// <param name="classNames">Class names; null to take the label's key values, else the indices.</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// A column is missing or of the wrong type or length, a label is not a class index, the data has no rows, or the
    /// probability Jacobian is asked of a source without at least two logits.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><c>MaxExamples</c> is below 1 or <c>LeastStableCount</c> is negative.</exception>
    public static JacobianAnalysisReport Analyze(IJacobianModel source, IDataView data, Options? options = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new Options();
        Validate(options);
        DataViewExamples examples = DataViewExamples.FromDataView(data, source.FeatureCount, options.FeatureColumnName, options.LabelColumnName, options.MaxExamples);
        return Analyze(source, examples, options, classNames);
    }

    /// <summary>Analyzes an in-memory labeled data set.</summary>
    /// <param name="source">Where the Jacobians come from.</param>
    /// <param name="data">The examples; their class names name the classes.</param>
    /// <param name="options">Settings (the column names are not used); null for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The data's D differs from the source's, the data has no rows, or the probability Jacobian is asked of a source
    /// without at least two logits.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><c>MaxExamples</c> is below 1 or <c>LeastStableCount</c> is negative.</exception>
    public static JacobianAnalysisReport Analyze(IJacobianModel source, LabeledDataset data, Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new Options();
        Validate(options);
        if (data.FeatureCount != source.FeatureCount)
        {
            throw new ArgumentException($"The data has D = {data.FeatureCount} features per row; the source expects {source.FeatureCount}.", nameof(data));
        }

        return Analyze(source, DataViewExamples.FromDataset(data, options.MaxExamples), options, data.ClassNames);
    }

    private static JacobianAnalysisReport Analyze(IJacobianModel source, DataViewExamples examples, Options options, IReadOnlyList<string>? classNames)
    {
        CheckProbabilities(source, options.UseProbabilities);
        if (examples.Count == 0) throw new ArgumentException("The data has no rows to analyze.", "data");
        int classCount = Math.Max(source.OutputCount, 2);
        IReadOnlyList<string> names = examples.ClassNames(classNames, classCount);
        var outputs = new double[source.OutputCount];        // [C]
        var jacobian = new double[source.OutputCount * source.FeatureCount]; // [C, D]
        var results = new JacobianAnalysisReport.Example[examples.Count];
        for (int i = 0; i < examples.Count; i++)
        {
            JacobianStatistics statistics = Compute(source, examples.Row(i), options.UseProbabilities, options.RankTolerance, outputs, jacobian, out int predicted);
            results[i] = new JacobianAnalysisReport.Example(i, examples.Labels[i], predicted, statistics);
        }

        bool byLabel = options.LabelColumnName is not null && results.Any(r => r.Label.HasValue);
        JacobianAnalysisReport.ClassGrouping grouping = byLabel ? JacobianAnalysisReport.ClassGrouping.TrueLabel : JacobianAnalysisReport.ClassGrouping.PredictedClass;
        var perClass = new List<JacobianAnalysisReport.GroupSummary>();
        foreach (IGrouping<int, JacobianAnalysisReport.Example> group in results
                     .Where(r => !byLabel || r.Label.HasValue)
                     .GroupBy(r => byLabel ? r.Label!.Value : r.PredictedClass)
                     .OrderBy(g => g.Key))
        {
            string name = group.Key < names.Count ? names[group.Key] : group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
            perClass.Add(JacobianAnalysisReport.GroupSummary.Of(name, group.Key, group.ToArray()));
        }

        JacobianAnalysisReport.Example[] leastStable = results
            .OrderByDescending(r => r.Statistics.SpectralNorm).ThenBy(r => r.Index)
            .Take(options.LeastStableCount).ToArray();
        return new JacobianAnalysisReport(source.OutputKind, options.UseProbabilities, source.FeatureCount, source.OutputCount, names,
            grouping, JacobianAnalysisReport.GroupSummary.Of("all", null, results), perClass, leastStable, results);
    }

    private static JacobianStatistics Compute(IJacobianModel source, ReadOnlySpan<float> features, bool useProbabilities, double? rankTolerance,
        double[] outputs, double[] jacobian, out int predictedClass)
    {
        source.ComputeJacobian(features, outputs, jacobian);
        predictedClass = ModelPredictions.PredictedClass(outputs);
        if (useProbabilities)
        {
            var probabilities = new double[outputs.Length];
            var probabilityJacobian = new double[jacobian.Length];
            SoftmaxJacobian.Apply(outputs, jacobian, probabilities, probabilityJacobian);
            return JacobianStatistics.Compute(probabilityJacobian, source.OutputCount, source.FeatureCount, rankTolerance);
        }

        return JacobianStatistics.Compute(jacobian, source.OutputCount, source.FeatureCount, rankTolerance);
    }

    private static void CheckProbabilities(IJacobianModel source, bool useProbabilities)
    {
        if (useProbabilities && (source.OutputKind != ModelOutputKind.Logits || source.OutputCount < 2))
        {
            throw new ArgumentException(
                $"The probability Jacobian needs a source of at least two logits; this source gives {source.OutputCount} output(s) of kind {source.OutputKind}.", nameof(useProbabilities));
        }
    }

    private static void Validate(Options options)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.FeatureColumnName, nameof(options));
        if (options.MaxExamples is { } max && max < 1) throw new ArgumentOutOfRangeException(nameof(options), max, "MaxExamples must be at least 1 (or null for all rows).");
        if (options.LeastStableCount < 0) throw new ArgumentOutOfRangeException(nameof(options), options.LeastStableCount, "LeastStableCount cannot be negative.");
    }
}
