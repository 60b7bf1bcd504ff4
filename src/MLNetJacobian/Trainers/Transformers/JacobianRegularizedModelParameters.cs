using Microsoft.ML.Data;
using MLNetJacobian.Models;
using MLNetJacobian.Network;
using MLNetJacobian.Onnx;
using MLNetJacobian.Training;

namespace MLNetJacobian.Trainers;

/// <summary>
/// The trained network of a <see cref="JacobianRegularizedPredictionTransformer"/>: its architecture (the input shape
/// and the layer list), every weight and bias (read-only), and the class names in logit order.
/// </summary>
/// <remarks>
/// For a multilayer perceptron the network computes, for dense layers <c>l = 0..L-1</c>, <c>a_l = W_l h_l + b_l</c>
/// with <c>h_0 = x</c> and <c>h_{l+1} = s(a_l)</c> after every hidden layer; the logits are <c>a_{L-1}</c> and the
/// scores their softmax. In general it runs <see cref="NetworkArchitecture.Layers"/> and a dense logit layer.
/// Parameters are held in one buffer: for each weight layer (convolutions and dense layers in order), its weights
/// row-major (dense <c>[out, in]</c>, convolution <c>[out, in, kh, kw]</c>), then its biases <c>[out]</c>. Instances
/// are immutable.
/// </remarks>
public sealed class JacobianRegularizedModelParameters
{
    private readonly float[] _parameters;
    private readonly string[] _classNames;

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
    }

    /// <summary>The network's shape and activation.</summary>
    public NetworkArchitecture Architecture { get; }

    /// <summary>The layers before the logits, as the architecture lists them (for example <c>conv 6 5 pad 2, tanh, maxpool 2</c>).</summary>
    public IReadOnlyList<LayerSpec> Layers => Architecture.Layers;

    /// <summary>The input image (planar), or null for flat features.</summary>
    public ImageShape? ImageShape => Architecture.InputShape;

    /// <summary>All layer widths of a multilayer perceptron from input to output: <c>[D, hidden..., C]</c>.</summary>
    /// <exception cref="InvalidOperationException">The network is not a multilayer perceptron (read <see cref="Layers"/>).</exception>
    public IReadOnlyList<int> LayerSizes => Architecture.LayerSizes;

    /// <summary>The activation after every hidden layer of a multilayer perceptron.</summary>
    /// <exception cref="InvalidOperationException">The network is not a multilayer perceptron (read <see cref="Layers"/>).</exception>
    public Activation Activation => Architecture.Activation;

    /// <summary>D, the number of input features.</summary>
    public int FeatureCount => Architecture.InputSize;

    /// <summary>C, the number of classes.</summary>
    public int ClassCount => Architecture.OutputSize;

    /// <summary>The number of dense layers of a multilayer perceptron.</summary>
    /// <exception cref="InvalidOperationException">The network is not a multilayer perceptron.</exception>
    public int DenseLayerCount => Architecture.DenseLayerCount;

    /// <summary>The number of weight layers (convolutions and dense layers, the logit layer included).</summary>
    public int WeightLayerCount => Architecture.WeightLayerCount;

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

    /// <summary>
    /// The weights of weight layer <paramref name="layer"/> (convolutions and dense layers in order), row-major: dense
    /// <c>[out, in]</c>, convolution <c>[out, in, kh, kw]</c>.
    /// </summary>
    /// <param name="layer">0 for the first weight layer, up to <see cref="WeightLayerCount"/> - 1 for the logits.</param>
    /// <exception cref="ArgumentOutOfRangeException">No such layer.</exception>
    public ReadOnlySpan<float> GetWeights(int layer)
    {
        WeightLayerSlice slice = Architecture.WeightLayer(layer);
        return _parameters.AsSpan(slice.Offset, slice.WeightCount);
    }

    /// <summary>The biases of weight layer <paramref name="layer"/>, <c>[out]</c>.</summary>
    /// <param name="layer">0 for the first weight layer, up to <see cref="WeightLayerCount"/> - 1 for the logits.</param>
    /// <exception cref="ArgumentOutOfRangeException">No such layer.</exception>
    public ReadOnlySpan<float> GetBiases(int layer)
    {
        WeightLayerSlice slice = Architecture.WeightLayer(layer);
        return _parameters.AsSpan(slice.Offset + slice.WeightCount, slice.BiasCount);
    }

    /// <summary>A copy of the network, for the library's network-level tools (Jacobians, attacks, analysis).</summary>
    internal FeedForwardNetwork<float> CreateNetwork() => FeedForwardNetwork<float>.FromParameters(Architecture, _parameters);

    /// <summary>
    /// The network as a white-box model (logits, exact input gradients, exact Jacobians) for the robustness evaluator
    /// and the analysis tools. It sees the features the network sees (after any normalization earlier in the pipeline).
    /// </summary>
    /// <param name="numberOfThreads">Threads of its matrix products; null for all cores. Give 1 when several models run in
    /// parallel (the robustness evaluator runs one per thread).</param>
    /// <param name="maxBatchSize">Rows per pass (larger batches are sliced); at least 1.</param>
    /// <param name="description">A description for reports; null to describe the architecture.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numberOfThreads"/> or <paramref name="maxBatchSize"/> is below 1.</exception>
    public NetworkModel<float> CreateModel(int? numberOfThreads = null, int maxBatchSize = 256, string? description = null)
        => NetworkModel<float>.Create(CreateNetwork(), _classNames, numberOfThreads, maxBatchSize, description, ModelTask.MulticlassClassification);

    /// <summary>
    /// Writes the network as an ONNX model with input <c>Features</c> <c>[N, D]</c> and outputs <c>Score</c>
    /// (probabilities <c>[N, C]</c>), <c>PredictedLabel</c> (class names <c>[N]</c>) and <c>Logits</c>
    /// <c>[N, C]</c>, for ONNX Runtime or any other ONNX runtime (the names of the columns ML.NET's
    /// <c>ApplyOnnxModel</c> creates).
    /// </summary>
    /// <param name="destination">A writable stream; it is left open.</param>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    public void ExportOnnx(Stream destination) => ExportOnnx(destination, new OnnxClassifierNames());

    /// <summary>Writes the network as an ONNX model with the given input and output names.</summary>
    /// <param name="destination">A writable stream; it is left open.</param>
    /// <param name="names">The input and output names.</param>
    internal void ExportOnnx(Stream destination, OnnxClassifierNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(destination);
        destination.Write(OnnxClassifierWriter.ToBytes(Architecture, _parameters, _classNames, names, OnnxRowLayout.Batched, ClassValueTypes.NameOf(ClassValueType)));
    }

    /// <inheritdoc />
    public override string ToString() => $"Jacobian-regularized network {Architecture}, classes {string.Join(", ", _classNames)}";
}
