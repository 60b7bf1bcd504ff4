using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNetJacobian.Analysis;
using MLNetJacobian.Cli.Data;
using MLNetJacobian.Compute;
using MLNetJacobian.Data;
using MLNetJacobian.Models;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>
/// The norm of the Score's input gradient <c>||dScore/dx||</c> of a binary classifier (the logit) or a regressor (the
/// prediction in the label's units) per row, over the raw Features: exact for this library's one-output network
/// (<c>[affine normalizer -&gt;] JacobianRegularized</c>, trained here or loaded from a zip), by central differences of
/// the Score column for any other model. <see cref="Measured.Method"/> says which.
/// </summary>
internal static class ScoreGradients
{
    /// <summary>Largest accepted relative difference between the network's reproduced Score and the model's Score column.</summary>
    private const double ScoreTolerance = 1e-3;

    /// <summary>The per-row gradient norms and how they were computed.</summary>
    /// <param name="Norms">The distribution of <c>||dScore/dx||</c> over the rows.</param>
    /// <param name="Method">"exact (...)" or "finite differences of Score, ...".</param>
    /// <param name="Exact">Whether the gradients are exact.</param>
    internal sealed record Measured(DistributionSummary Norms, string Method, bool Exact);

    /// <summary>Measures the gradient norms of <paramref name="model"/> (which reads the Features column) on <paramref name="rows"/>.</summary>
    /// <param name="model">The model on the Features column.</param>
    /// <param name="rows">The rows (raw features).</param>
    /// <param name="relativeStep">The finite-difference step as a fraction of each feature's range over the rows.</param>
    /// <param name="path">The model's name or zip, for messages.</param>
    public static Measured Measure(ITransformer model, LabeledDataset rows, double relativeStep, string path)
    {
        TransformerModel scores = ScoresOf(model, rows, path);
        return TryExact(model, scores, rows, out Measured? exact) ? exact! : FiniteDifferences(scores, rows, relativeStep);
    }

    /// <summary>The finite-difference measurement alone, for any model (the fallback of <see cref="Measure"/>).</summary>
    public static Measured FiniteDifferences(ITransformer model, LabeledDataset rows, double relativeStep, string path) =>
        FiniteDifferences(ScoresOf(model, rows, path), rows, relativeStep);

    private static TransformerModel ScoresOf(ITransformer model, LabeledDataset rows, string path)
    {
        try
        {
            return new TransformerModel(model, rows.FeatureCount);
        }
        catch (ArgumentException exception)
        {
            throw CliException.InvalidModel($"--model '{path}': {Guard.OneLine(exception.Message)}", exception);
        }
    }

    private static Measured FiniteDifferences(TransformerModel scores, LabeledDataset rows, double relativeStep)
    {
        FiniteDifferenceJacobian jacobian = FiniteDifferenceJacobian.ForData(scores, rows.Features, relativeStep);
        JacobianAnalysisReport report = Guard.Data(() => JacobianAnalyzer.Analyze(jacobian, rows, new JacobianAnalysisOptions { MaxExamples = rows.Count }));
        return new Measured(report.Overall.FrobeniusNorm, FiniteDifferenceMethod(relativeStep, rows.Count), false);
    }

    /// <summary>The method text of the finite-difference fallback.</summary>
    public static string FiniteDifferenceMethod(double relativeStep, int rows) =>
        string.Create(CultureInfo.InvariantCulture, $"finite differences of Score, step relative to each feature's range (central, {relativeStep:G3} x the range over {rows} rows)");

    /// <summary>
    /// Exact gradients when the model is this library's one-output network, optionally behind affine normalizers of
    /// Features, and reproduces the model's Score column on the rows.
    /// </summary>
    private static bool TryExact(ITransformer model, TransformerModel scores, LabeledDataset rows, out Measured? measured)
    {
        measured = null;
        List<ITransformer> parts = Flatten(model).ToList();
        int index = parts.FindIndex(p => p is JacobianRegularizedOneOutputPredictionTransformer);
        if (index < 0 || parts.FindLastIndex(p => p is JacobianRegularizedOneOutputPredictionTransformer) != index) return false;
        var network = (JacobianRegularizedOneOutputPredictionTransformer)parts[index];
        JacobianRegularizedOneOutputModelParameters parameters = network.Model;
        int d = rows.FeatureCount;
        if (network.FeatureColumnName != LoadedData.FeatureColumnName || parameters.FeatureCount != d) return false;

        // x' = (x - offset) * scale, composed over the normalizers in front; anything else in front is not understood.
        var scale = Enumerable.Repeat(1.0, d).ToArray();
        var offset = new double[d];
        for (int i = 0; i < index; i++)
        {
            if (parts[i] is not NormalizingTransformer normalizer || InputNormalization.TryAffineOf(normalizer, d) is not { } affine) return false;
            (float[] s, float[] o) = affine;
            for (int j = 0; j < d; j++)
            {
                // (((x - offset) * scale) - o) * s = (x - (offset + o / scale)) * (scale * s)
                offset[j] += o[j] / scale[j];
                scale[j] *= s[j];
            }
        }

        bool regression = parameters.Task == JacobianRegularizedTask.Regression;
        float[] weights = parameters.Parameters.ToArray();
        var model64 = new NetworkModel<double>(FeedForwardNetwork<double>.FromParameters(parameters.Architecture, weights.Select(w => (double)w).ToArray()),
            gemm: new ManagedGemmProvider(1), task: regression ? ModelTask.Regression : ModelTask.BinaryClassification);
        int n = rows.Count;
        var inputs = new float[n * d];
        for (int k = 0; k < inputs.Length; k++) inputs[k] = (float)((rows.Features[k] - offset[k % d]) * scale[k % d]);
        var outputs = new float[n];
        var gradient = new float[n * d];
        // Score = shift + labelScale z (regression) or z (binary): seeding dL/dz = labelScale gives dScore/dx'.
        float seed = regression ? parameters.LabelScale : 1f;
        model64.ComputeInputGradient(inputs, n, new ConstantSeed(seed), outputs, gradient);

        // The network must reproduce the model's Score column, or the chain holds a step this does not understand.
        int check = Math.Min(n, 64);
        var expected = new float[check];
        scores.ComputeOutputs(rows.Features.AsSpan(0, check * d), check, expected);
        double largest = 0;
        for (int i = 0; i < check; i++)
        {
            double reproduced = regression ? parameters.LabelShift + parameters.LabelScale * (double)outputs[i] : outputs[i];
            largest = Math.Max(largest, Math.Abs(expected[i] - reproduced) / (1 + Math.Abs(expected[i])));
        }

        if (!(largest <= ScoreTolerance)) return false;
        var norms = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int j = 0; j < d; j++)
            {
                double g = gradient[i * d + j] * scale[j];
                sum += g * g;
            }

            norms[i] = Math.Sqrt(sum);
        }

        string front = index > 0 ? $" through its {index} affine normalizer{(index > 1 ? "s" : "")}" : "";
        string of = regression ? "of the prediction in the label's units (LabelScale folded in)" : "of the logit";
        measured = new Measured(DistributionSummary.Of(norms),
            $"exact: backpropagation {of} through the Jacobian-regularized network {parameters.Architecture}{front}, in double precision", true);
        return true;
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer model) =>
        model is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [model];

    /// <summary>The same <c>dL/dz</c> for every row (one output).</summary>
    private sealed class ConstantSeed(float value) : IOutputGradient
    {
        public void Compute(int firstRow, int rows, ReadOnlySpan<float> outputs, Span<float> outputGradient) => outputGradient[..rows].Fill(value);
    }
}
