using System.Numerics.Tensors;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MLNetJacobian.Models;

/// <summary>
/// A linear model <c>z = W x + b</c>: exact input gradients and Jacobian (<c>J = W</c> at every x). It is how ML.NET's
/// linear multiclass trainers (LbfgsMaximumEntropy, SdcaMaximumEntropy, SdcaNonCalibrated) are attacked white-box and
/// analyzed exactly; affine normalizers in front of them are folded in with <see cref="PrependAffine"/>, so the
/// pipeline is differentiated in its raw input space.
/// </summary>
/// <remarks>
/// <c>W</c> is <c>[K, D]</c> row-major, <c>b</c> is <c>[K]</c>. Input gradient: <c>dL/dx = W^T g</c> with
/// <c>g = dL/dz</c>. The outputs are the logits <c>z</c> (ML.NET's maximum-entropy Score column holds
/// <c>softmax(z)</c>; the arg-max is the same, but gradients must be taken on logits). One output is a binary logit,
/// or a regression value; with an exponential output (ML.NET's Poisson regression) the output is <c>exp(W x + b)</c> and
/// every gradient carries the factor <c>exp(z)</c>.
/// </remarks>
public sealed class LinearModel : IDifferentiableModel, IJacobianModel
{
    private readonly float[] _weights;   // W: [K, D]
    private readonly float[] _biases;    // b: [K]
    private readonly bool _exponential;  // output exp(z) instead of z
    private float[] _outputGradient = []; // g: [rows, K]

    /// <summary>Creates the model.</summary>
    /// <param name="weights">W, <c>[K, D]</c> row-major.</param>
    /// <param name="biases">b, <c>[K]</c>.</param>
    /// <param name="featureCount">D.</param>
    /// <param name="description">A description for reports.</param>
    /// <param name="classNames">The class names (K of them, or two for one output; none for regression); null for "0".."C-1".</param>
    /// <param name="task">What the model predicts; null for multiclass when K is at least 2, binary when K is 1.</param>
    /// <exception cref="ArgumentException">The shapes do not fit.</exception>
    public LinearModel(float[] weights, float[] biases, int featureCount, string description = "linear model", IReadOnlyList<string>? classNames = null,
        ModelTask? task = null)
        : this(weights, biases, featureCount, description, classNames, task, exponential: false)
    {
    }

    internal LinearModel(float[] weights, float[] biases, int featureCount, string description, IReadOnlyList<string>? classNames, ModelTask? task, bool exponential)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(biases);
        if (featureCount < 1) throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "At least one feature is needed.");
        if (biases.Length < 1) throw new ArgumentException("At least one output (bias) is needed.", nameof(biases));
        if (weights.Length != biases.Length * featureCount)
        {
            throw new ArgumentException($"W must hold K x D = {biases.Length} x {featureCount} = {biases.Length * featureCount} values, not {weights.Length}.", nameof(weights));
        }

        Task = task ?? (biases.Length == 1 ? ModelTask.BinaryClassification : ModelTask.MulticlassClassification);
        if (Task != ModelTask.MulticlassClassification && biases.Length != 1)
        {
            throw new ArgumentException($"A {Task} model has one output; K = {biases.Length} biases were given.", nameof(task));
        }

        int classes = Task switch { ModelTask.MulticlassClassification => biases.Length, ModelTask.BinaryClassification => 2, _ => 0 };
        if (classNames is not null && classNames.Count != classes)
        {
            throw new ArgumentException($"{classNames.Count} class names were given for {classes} classes.", nameof(classNames));
        }

        _weights = weights;
        _biases = biases;
        _exponential = exponential;
        FeatureCount = featureCount;
        OutputCount = biases.Length;
        Description = description;
        ClassNames = classNames?.ToArray() ?? ModelPredictions.IndexNames(classes);
    }

    /// <summary>The exact model of an ML.NET linear multiclass predictor, from its public weights.</summary>
    /// <param name="parameters">The model parameters (for example <c>transformer.Model</c> of LbfgsMaximumEntropy).</param>
    /// <param name="classNames">The class names; null for the indices.</param>
    /// <exception cref="ArgumentException">The parameters report inconsistent shapes.</exception>
    public static LinearModel FromParameters(LinearMulticlassModelParametersBase parameters, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        VBuffer<float>[] rows = [];
        parameters.GetWeights(ref rows, out int classCount);
        float[] biases = parameters.GetBiases().ToArray();
        if (classCount < 1 || rows.Length < classCount || biases.Length != classCount)
        {
            throw new ArgumentException($"The model reports {classCount} classes, {rows.Length} weight rows and {biases.Length} biases.", nameof(parameters));
        }

        int featureCount = rows[0].Length;
        var weights = new float[classCount * featureCount];
        for (int k = 0; k < classCount; k++)
        {
            if (rows[k].Length != featureCount) throw new ArgumentException($"Weight row {k} holds {rows[k].Length} values; row 0 holds {featureCount}.", nameof(parameters));
            rows[k].CopyTo(weights.AsSpan(k * featureCount, featureCount));
        }

        return new LinearModel(weights, biases, featureCount, parameters.GetType().Name.Replace("ModelParameters", "", StringComparison.Ordinal), classNames);
    }

    /// <inheritdoc />
    public int FeatureCount { get; }

    /// <inheritdoc />
    public int OutputCount { get; }

    /// <inheritdoc />
    public ModelTask Task { get; }

    /// <inheritdoc />
    public ModelOutputKind OutputKind => ModelOutputKind.Logits;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public bool IsJacobianExact => true;

    /// <summary>W, <c>[K, D]</c> row-major.</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>b, <c>[K]</c>.</summary>
    public ReadOnlySpan<float> Biases => _biases;

    /// <inheritdoc />
    public void ComputeOutputs(ReadOnlySpan<float> features, int rows, Span<float> outputs)
    {
        ModelPredictions.CheckBatch(this, features, rows, outputs.Length, nameof(outputs));
        int d = FeatureCount, k = OutputCount;
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> x = features.Slice(i * d, d);
            Span<float> z = outputs.Slice(i * k, k);
            for (int c = 0; c < k; c++) z[c] = TensorPrimitives.Dot(_weights.AsSpan(c * d, d), x) + _biases[c];
            if (_exponential) TensorPrimitives.Exp(z, z);
        }
    }

    /// <inheritdoc />
    public void ComputeInputGradient(ReadOnlySpan<float> features, int rows, IOutputGradient seed, Span<float> outputs, Span<float> inputGradient)
    {
        ArgumentNullException.ThrowIfNull(seed);
        int d = FeatureCount, k = OutputCount;
        ComputeOutputs(features, rows, outputs);
        if (inputGradient.Length < rows * d) throw new ArgumentException($"inputGradient holds {inputGradient.Length} values; {rows * d} are needed.", nameof(inputGradient));
        if (_outputGradient.Length < rows * k) _outputGradient = new float[rows * k];
        seed.Compute(0, rows, outputs[..(rows * k)], _outputGradient.AsSpan(0, rows * k));
        for (int i = 0; i < rows; i++)
        {
            Span<float> gradient = inputGradient.Slice(i * d, d);
            gradient.Clear();
            for (int c = 0; c < k; c++)
            {
                float g = _outputGradient[i * k + c] * (_exponential ? outputs[i * k + c] : 1f);   // d exp(z)/dz = exp(z)
                if (g != 0f) TensorPrimitives.MultiplyAdd(_weights.AsSpan(c * d, d), g, gradient, gradient);
            }
        }
    }

    /// <inheritdoc />
    public void ComputeJacobian(ReadOnlySpan<float> features, Span<double> outputs, Span<double> jacobian)
    {
        ModelPredictions.CheckJacobian(this, features, outputs.Length, jacobian.Length);
        int d = FeatureCount, k = OutputCount;
        for (int c = 0; c < k; c++)
        {
            double sum = _biases[c];
            for (int j = 0; j < d; j++)
            {
                double w = _weights[c * d + j];
                jacobian[c * d + j] = w;
                sum += w * features[j];
            }

            outputs[c] = _exponential ? Math.Exp(sum) : sum;
            if (_exponential)
            {
                for (int j = 0; j < d; j++) jacobian[c * d + j] *= outputs[c];
            }
        }
    }

    /// <inheritdoc />
    public IModel CreateThreadInstance() => new LinearModel(_weights, _biases, FeatureCount, Description, ClassNames, Task, _exponential);

    /// <summary>
    /// The model of the composition with an affine map in front, <c>x -> (x - offset) * scale</c> (ML.NET's affine
    /// normalizers): <c>W' = W diag(scale)</c>, <c>b' = b - W (offset * scale)</c>.
    /// </summary>
    /// <param name="scale">Per-feature scale, <c>[D]</c>.</param>
    /// <param name="offset">Per-feature offset, <c>[D]</c>, or empty when all offsets are zero.</param>
    /// <param name="description">The description of the composed model.</param>
    /// <exception cref="ArgumentException">The scale or offset does not hold D values.</exception>
    public LinearModel PrependAffine(ReadOnlySpan<float> scale, ReadOnlySpan<float> offset, string description)
    {
        int d = FeatureCount, k = OutputCount;
        if (scale.Length != d) throw new ArgumentException($"The scale must hold {d} values, not {scale.Length}.", nameof(scale));
        if (offset.Length != d && offset.Length != 0) throw new ArgumentException($"The offset must hold {d} or 0 values, not {offset.Length}.", nameof(offset));
        var weights = new float[k * d];
        var biases = new float[k];
        for (int c = 0; c < k; c++)
        {
            Span<float> folded = weights.AsSpan(c * d, d);
            TensorPrimitives.Multiply(_weights.AsSpan(c * d, d), scale, folded);
            double bias = _biases[c];
            if (offset.Length == d)
            {
                for (int j = 0; j < d; j++) bias -= (double)folded[j] * offset[j];
            }

            biases[c] = (float)bias;
        }

        return new LinearModel(weights, biases, d, description, ClassNames, Task, _exponential);
    }
}
