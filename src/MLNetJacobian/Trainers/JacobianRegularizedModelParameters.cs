using Microsoft.ML.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Onnx;
using MLNetJacobian.Training;

namespace MLNetJacobian.Trainers;

/// <summary>
/// The trained network of a <see cref="JacobianRegularizedPredictionTransformer"/>: layer sizes, activation, every
/// weight and bias (read-only), and the class names in logit order.
/// </summary>
/// <remarks>
/// The network computes, for dense layers <c>l = 0..L-1</c>, <c>a_l = W_l h_l + b_l</c> with <c>h_0 = x</c> and
/// <c>h_{l+1} = s(a_l)</c> after every hidden layer; the logits are <c>a_{L-1}</c> and the scores their softmax.
/// Parameters are held in one buffer: for each dense layer, <c>W_l</c> row-major <c>[out, in]</c>, then
/// <c>b_l</c> <c>[out]</c>. Instances are immutable.
/// </remarks>
public sealed class JacobianRegularizedModelParameters
{
    private readonly float[] _parameters;
    private readonly string[] _classNames;
    private readonly int[] _weightOffsets;

    /// <summary>Creates model parameters from an architecture, its parameter buffer (copied) and the class names.</summary>
    /// <param name="architecture">The network's shape and activation.</param>
    /// <param name="parameters">All weights and biases in the layout above; every value finite.</param>
    /// <param name="classNames">One distinct name per output, in logit order.</param>
    /// <exception cref="ArgumentException">The parameter count, a parameter's finiteness or the class names do not fit.</exception>
    public JacobianRegularizedModelParameters(NetworkArchitecture architecture, ReadOnlySpan<float> parameters, IReadOnlyList<string> classNames)
        : this(architecture, parameters, classNames, TextDataViewType.Instance, null)
    {
    }

    /// <summary>
    /// Creates model parameters whose classes are values of <paramref name="classValueType"/> (the raw type of the
    /// label's key values: text, Single, Double, Int32, UInt32, Int64 or Boolean), written as text in the invariant culture.
    /// </summary>
    /// <param name="architecture">The network's shape and activation.</param>
    /// <param name="parameters">All weights and biases in the layout above; every value finite.</param>
    /// <param name="classNames">One distinct name per output, in logit order; each must parse as a <paramref name="classValueType"/>.</param>
    /// <param name="classValueType">The type of the <c>PredictedLabel</c> key values (what <c>MapKeyToValue</c> gives back).</param>
    /// <exception cref="ArgumentException">The type is not supported, or a class name is not a value of it, or the rest does not fit.</exception>
    public JacobianRegularizedModelParameters(NetworkArchitecture architecture, ReadOnlySpan<float> parameters, IReadOnlyList<string> classNames,
        PrimitiveDataViewType classValueType)
        : this(architecture, parameters, classNames, classValueType, null)
    {
    }

    /// <summary>Creates model parameters with the record of the training run that produced them.</summary>
    internal JacobianRegularizedModelParameters(NetworkArchitecture architecture, ReadOnlySpan<float> parameters,
        IReadOnlyList<string> classNames, PrimitiveDataViewType classValueType, TrainingHistory? trainingHistory)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(classValueType);
        OnnxClassifierWriter.ValidateClassifier(architecture, parameters, classNames);
        _ = ClassValueTypes.NameOf(classValueType);
        ClassValueTypes.CheckNames(classValueType, classNames, nameof(classNames));
        Architecture = architecture;
        ClassValueType = classValueType;
        TrainingHistory = trainingHistory;
        _parameters = parameters.ToArray();
        _classNames = classNames.ToArray();
        IReadOnlyList<int> sizes = architecture.LayerSizes;
        _weightOffsets = new int[architecture.DenseLayerCount];
        int offset = 0;
        for (int layer = 0; layer < _weightOffsets.Length; layer++)
        {
            _weightOffsets[layer] = offset;
            offset += sizes[layer + 1] * sizes[layer] + sizes[layer + 1];
        }
    }

    /// <summary>The network's shape and activation.</summary>
    public NetworkArchitecture Architecture { get; }

    /// <summary>All layer widths from input to output: <c>[D, hidden..., C]</c>.</summary>
    public IReadOnlyList<int> LayerSizes => Architecture.LayerSizes;

    /// <summary>The activation after every hidden layer.</summary>
    public Activation Activation => Architecture.Activation;

    /// <summary>D, the number of input features.</summary>
    public int FeatureCount => Architecture.InputSize;

    /// <summary>C, the number of classes.</summary>
    public int ClassCount => Architecture.OutputSize;

    /// <summary>The number of dense (weight) layers.</summary>
    public int DenseLayerCount => Architecture.DenseLayerCount;

    /// <summary>The class names in logit order: <c>Score[k]</c> is the probability of <c>ClassNames[k]</c>.</summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>
    /// The raw type of the label's key values (text, Single, ...): <c>PredictedLabel</c>'s KeyValues have this type, so
    /// <c>MapKeyToValue("PredictedLabel")</c> gives the label's own type, as ML.NET's multiclass trainers do. Kept in saved zips.
    /// </summary>
    public PrimitiveDataViewType ClassValueType { get; }

    /// <summary>
    /// The metrics of every training epoch (loss, penalty, accuracies, root-mean-square <c>||J||_F</c> estimate, speed), or null
    /// for parameters that were not trained by <see cref="JacobianRegularizedTrainer"/> in this process (a saved zip
    /// holds the network, not its history).
    /// </summary>
    public TrainingHistory? TrainingHistory { get; }

    /// <summary>Every weight and bias in one buffer, laid out as described in the remarks.</summary>
    public ReadOnlySpan<float> Parameters => _parameters;

    /// <summary>The weights of dense layer <paramref name="layer"/>, row-major <c>[out, in]</c>.</summary>
    /// <param name="layer">The dense layer, 0 for the first, up to <see cref="DenseLayerCount"/> - 1 for the logits.</param>
    public ReadOnlySpan<float> GetWeights(int layer)
    {
        CheckLayer(layer);
        return _parameters.AsSpan(_weightOffsets[layer], LayerSizes[layer + 1] * LayerSizes[layer]);
    }

    /// <summary>The biases of dense layer <paramref name="layer"/>, <c>[out]</c>.</summary>
    /// <param name="layer">The dense layer, 0 for the first, up to <see cref="DenseLayerCount"/> - 1 for the logits.</param>
    public ReadOnlySpan<float> GetBiases(int layer)
    {
        CheckLayer(layer);
        return _parameters.AsSpan(_weightOffsets[layer] + LayerSizes[layer + 1] * LayerSizes[layer], LayerSizes[layer + 1]);
    }

    /// <summary>A copy of the network, for the library's network-level tools (Jacobians, attacks, analysis).</summary>
    public FeedForwardNetwork<float> CreateNetwork() => FeedForwardNetwork<float>.FromParameters(Architecture, _parameters);

    /// <summary>
    /// Writes the network as an ONNX model with input <c>Features</c> <c>[N, D]</c> and outputs <c>Score</c>
    /// (probabilities <c>[N, C]</c>), <c>PredictedLabel</c> (class names <c>[N]</c>) and <c>Logits</c>
    /// <c>[N, C]</c>, for ONNX Runtime or any other ONNX runtime. See <see cref="OnnxClassifierWriter"/>.
    /// </summary>
    /// <param name="destination">A writable stream; it is left open.</param>
    public void ExportOnnx(Stream destination) => ExportOnnx(destination, new OnnxClassifierNames());

    /// <summary>Writes the network as an ONNX model with the given input and output names.</summary>
    /// <param name="destination">A writable stream; it is left open.</param>
    /// <param name="names">The input and output names.</param>
    public void ExportOnnx(Stream destination, OnnxClassifierNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(destination);
        destination.Write(OnnxClassifierWriter.ToBytes(Architecture, _parameters, _classNames, names, OnnxRowLayout.Batched, ClassValueTypes.NameOf(ClassValueType)));
    }

    /// <inheritdoc />
    public override string ToString() => $"Jacobian-regularized network {Architecture}, classes {string.Join(", ", _classNames)}";

    private void CheckLayer(int layer)
    {
        if (layer < 0 || layer >= DenseLayerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The network has dense layers 0 to {DenseLayerCount - 1}.");
        }
    }
}
