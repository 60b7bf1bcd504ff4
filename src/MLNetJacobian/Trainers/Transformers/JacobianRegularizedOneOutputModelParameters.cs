using System.Globalization;
using MLNetJacobian.Models;
using MLNetJacobian.Network;
using MLNetJacobian.Onnx;
using MLNetJacobian.Training;

namespace MLNetJacobian.Trainers;

/// <summary>
/// The trained network of a binary classifier or a regressor (one output): layer sizes, activation, every weight and
/// bias (read-only), the task, and for regression the label scaling the network was trained in.
/// </summary>
/// <remarks>
/// <para>The network computes <c>a_l = W_l h_l + b_l</c>, <c>h_{l+1} = s(a_l)</c> after every hidden layer, and one raw
/// output <c>z = a_{L-1}</c>. Binary: <c>Score = z</c> (the logit), <c>Probability = sigmoid(z)</c>,
/// <c>PredictedLabel = z &gt; 0</c>. Regression: <c>Score = LabelShift + LabelScale z</c>.</para>
/// <para>Regression label standardization: by default the trainer fits the network to <c>(y - mean) / std</c> of the
/// training labels, so the Jacobian penalty acts on <c>z</c>, the standardized output, and one <c>jacobianWeight</c>
/// means the same on any label scale; <see cref="LabelShift"/> = mean and <see cref="LabelScale"/> = std map the
/// prediction back. The Jacobian of the prediction in the label's units is therefore <c>LabelScale</c> times the
/// network's (<see cref="CreateModel"/> models the network of <c>z</c>). Without standardization, shift 0 and scale 1.</para>
/// <para>Parameters are held in one buffer: for each dense layer, <c>W_l</c> row-major <c>[out, in]</c>, then <c>b_l</c>.
/// Instances are immutable.</para>
/// </remarks>
public sealed class JacobianRegularizedOneOutputModelParameters
{
    private readonly float[] _parameters;

    /// <summary>Creates model parameters from an architecture with one output and its parameter buffer (copied).</summary>
    /// <param name="task">Binary classification or regression.</param>
    /// <param name="architecture">The network's shape and activation; one output.</param>
    /// <param name="parameters">All weights and biases; every value finite.</param>
    /// <param name="labelShift">Regression: added to the scaled output (the training labels' mean when standardized); 0 for binary.</param>
    /// <param name="labelScale">Regression: multiplies the output (the labels' standard deviation when standardized), finite and
    /// greater than 0; 1 for binary.</param>
    /// <exception cref="ArgumentException">The task is multiclass, the network has more than one output, the parameter count or a
    /// parameter's finiteness does not fit, or a binary model has a label shift or scale.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The label shift or scale is not finite, or the scale is not positive.</exception>
    public JacobianRegularizedOneOutputModelParameters(ModelTask task, NetworkArchitecture architecture, ReadOnlySpan<float> parameters,
        float labelShift = 0, float labelScale = 1)
        : this(task, architecture, parameters, labelShift, labelScale, null)
    {
    }

    /// <summary>Creates model parameters with the record of the training run that produced them.</summary>
    internal JacobianRegularizedOneOutputModelParameters(ModelTask task, NetworkArchitecture architecture, ReadOnlySpan<float> parameters,
        float labelShift, float labelScale, TrainingHistory? trainingHistory)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        if (task is not (ModelTask.BinaryClassification or ModelTask.Regression))
        {
            throw new ArgumentException($"The task is {task}; one-output model parameters are for binary classification or regression.", nameof(task));
        }

        if (architecture.OutputSize != 1)
        {
            throw new ArgumentException($"The network {architecture} has {architecture.OutputSize} outputs; a {task} model has one.", nameof(architecture));
        }

        OnnxClassifierWriter.ValidateParameters(architecture, parameters);
        if (!float.IsFinite(labelShift)) throw new ArgumentOutOfRangeException(nameof(labelShift), labelShift, "The label shift must be finite.");
        if (!(labelScale > 0) || !float.IsFinite(labelScale))
        {
            throw new ArgumentOutOfRangeException(nameof(labelScale), labelScale, "The label scale must be finite and greater than 0.");
        }

        if (task == ModelTask.BinaryClassification && (labelShift != 0 || labelScale != 1))
        {
            throw new ArgumentException(
                $"A binary classifier's output is its logit; it has no label shift or scale (given {labelShift} and {labelScale}).", nameof(labelShift));
        }

        Task = task;
        Architecture = architecture;
        LabelShift = labelShift;
        LabelScale = labelScale;
        TrainingHistory = trainingHistory;
        _parameters = parameters.ToArray();
    }

    /// <summary>Binary classification or regression.</summary>
    public ModelTask Task { get; }

    /// <summary>The network's shape and activation (one output).</summary>
    public NetworkArchitecture Architecture { get; }

    /// <summary>D, the number of input features.</summary>
    public int FeatureCount => Architecture.InputSize;

    /// <summary>Regression: <c>Score = LabelShift + LabelScale z</c>; 0 for binary.</summary>
    public float LabelShift { get; }

    /// <summary>Regression: <c>Score = LabelShift + LabelScale z</c>; 1 for binary.</summary>
    public float LabelScale { get; }

    /// <summary>The metrics of every training epoch, or null for parameters not trained in this process.</summary>
    public TrainingHistory? TrainingHistory { get; }

    /// <summary>Every weight and bias in one buffer (see the remarks).</summary>
    public ReadOnlySpan<float> Parameters => _parameters;

    /// <summary>A copy of the network of the raw output <c>z</c>, for the library's network-level tools (Jacobians, attacks, analysis).</summary>
    internal FeedForwardNetwork<float> CreateNetwork() => FeedForwardNetwork<float>.FromParameters(Architecture, _parameters);

    /// <summary>
    /// The network as a white-box model (its output z, exact input gradients, exact Jacobians) for the robustness evaluator
    /// and the analysis tools. It sees the features the network sees (after any normalization earlier in the pipeline).
    /// </summary>
    /// <param name="numberOfThreads">Threads of its matrix products; null for all cores. Give 1 when several models run in
    /// parallel (the robustness evaluator runs one per thread).</param>
    /// <param name="maxBatchSize">Rows per pass (larger batches are sliced); at least 1.</param>
    /// <param name="description">A description for reports; null to describe the architecture.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numberOfThreads"/> or <paramref name="maxBatchSize"/> is below 1.</exception>
    public NetworkModel<float> CreateModel(int? numberOfThreads = null, int maxBatchSize = 256, string? description = null)
        => NetworkModel<float>.Create(CreateNetwork(), null, numberOfThreads, maxBatchSize, description,
            Task == ModelTask.Regression ? ModelTask.Regression : ModelTask.BinaryClassification);

    /// <summary>
    /// Writes the model as ONNX with input <c>Features</c> <c>[N, D]</c> and outputs <c>Score</c> <c>[N]</c> and, for a
    /// binary classifier, <c>Probability</c> <c>[N]</c> and <c>PredictedLabel</c> <c>[N]</c> (bool); see <see cref="OnnxOneOutputWriter"/>.
    /// </summary>
    /// <param name="destination">A writable stream; it is left open.</param>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    public void ExportOnnx(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination.Write(OnnxOneOutputWriter.ToBytes(this, "Features", "Score", "Probability", "PredictedLabel", OnnxRowLayout.Batched));
    }

    /// <inheritdoc />
    public override string ToString() => Task == ModelTask.Regression
        ? string.Create(CultureInfo.InvariantCulture, $"Jacobian-regularized regressor {Architecture}, label shift {LabelShift}, scale {LabelScale}")
        : $"Jacobian-regularized binary classifier {Architecture}";
}
