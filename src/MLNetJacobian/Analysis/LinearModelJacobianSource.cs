using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MLNetJacobian.Analysis;

/// <summary>
/// The exact logit Jacobian of an ML.NET linear multiclass model (maximum entropy, SDCA, ...) from its public weights.
/// </summary>
/// <remarks>
/// The logits are <c>z = W x + b</c> (<c>W: [C, D]</c>), so <c>J = W</c> at every x. ML.NET's maximum entropy Score
/// column is <c>softmax(z)</c>; its Jacobian is <see cref="SoftmaxJacobian"/> applied to this one.
/// </remarks>
public sealed class LinearModelJacobianSource : IJacobianSource
{
    private readonly double[] _weights; // W: [C, D] row-major
    private readonly double[] _biases;  // b: [C]

    /// <summary>Reads the weights and biases of a fitted linear multiclass model.</summary>
    /// <param name="model">The model parameters (for example <c>transformer.Model</c> of LbfgsMaximumEntropy).</param>
    public LinearModelJacobianSource(LinearMulticlassModelParametersBase model)
    {
        ArgumentNullException.ThrowIfNull(model);
        VBuffer<float>[] rows = [];
        model.GetWeights(ref rows, out int classCount);
        float[] biases = model.GetBiases().ToArray();
        if (classCount < 1 || rows.Length < classCount || biases.Length != classCount)
        {
            throw new ArgumentException($"The model reports {classCount} classes, {rows.Length} weight rows and {biases.Length} biases.", nameof(model));
        }

        int featureCount = rows[0].Length;
        _weights = new double[classCount * featureCount];
        for (int i = 0; i < classCount; i++)
        {
            float[] dense = rows[i].DenseValues().ToArray();
            for (int j = 0; j < featureCount; j++) _weights[i * featureCount + j] = dense[j];
        }

        _biases = biases.Select(b => (double)b).ToArray();
        OutputCount = classCount;
        FeatureCount = featureCount;
    }

    /// <inheritdoc />
    public int FeatureCount { get; }

    /// <inheritdoc />
    public int OutputCount { get; }

    /// <inheritdoc />
    public JacobianOutputKind OutputKind => JacobianOutputKind.Logits;

    /// <inheritdoc />
    public void Compute(ReadOnlySpan<float> features, Span<double> outputs, Span<double> jacobian)
    {
        int d = FeatureCount, c = OutputCount;
        if (features.Length != d) throw new ArgumentException($"features has {features.Length} values; D = {d} expected.", nameof(features));
        if (outputs.Length != c) throw new ArgumentException($"outputs has {outputs.Length} entries; C = {c} expected.", nameof(outputs));
        if (jacobian.Length != c * d) throw new ArgumentException($"jacobian has {jacobian.Length} entries; C * D = {c * d} expected.", nameof(jacobian));
        _weights.CopyTo(jacobian);
        for (int i = 0; i < c; i++)
        {
            double sum = _biases[i];
            for (int j = 0; j < d; j++) sum += _weights[i * d + j] * features[j];
            outputs[i] = sum;
        }
    }
}
