using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetJacobian.Models;
using MLNetJacobian.Network;
using MLNetJacobian.Training;

namespace MLNetJacobian.Trainers;

/// <summary>
/// Trains a feedforward classifier with the Jacobian penalty of Hoffman, Roberts and Yaida (2019) inside ML.NET
/// pipelines: <c>mlContext.MulticlassClassification.Trainers.JacobianRegularized(...)</c>.
/// </summary>
/// <remarks>
/// <para>The objective, for rows <c>x_i</c> with labels <c>y_i</c> and weights <c>w_i</c>:
/// <c>L = sum_i w_i (CE(f(x_i), y_i) + (lambda/2) ||J(x_i)||_F^2) / sum_i w_i</c>, with <c>J = df/dx</c> the
/// Jacobian of the logits with respect to the input the network sees, <c>||J||_F^2</c> estimated by
/// <c>(C / n_proj) sum_k ||v_k^T J||^2</c> over random unit vectors <c>v_k</c> (or exactly). See
/// <see cref="JacobianRegularizedObjective{T}"/> and docs/jacobian-math.md.</para>
/// <para>Input: a key label column (put <c>MapValueToKey</c> first), a known-size float vector feature column and
/// optionally a float weight column. Output: <c>Score</c> (class probabilities, SlotNames = class names) and
/// <c>PredictedLabel</c> (key, KeyValues = class names). Training streams the data through cursors (see
/// <see cref="DataViewTrainingData"/> for what is held in memory); per-epoch metrics go to <c>MLContext.Log</c>.</para>
/// <para>The fitted model saves as a standard ML.NET zip: see <see cref="JacobianRegularizedPredictionTransformer"/>.
/// The training itself is shared with the binary and regression trainers (<see cref="JacobianRegularizedTrainerBase{TTransformer}"/>).</para>
/// </remarks>
public sealed partial class JacobianRegularizedTrainer : JacobianRegularizedTrainerBase<JacobianRegularizedPredictionTransformer>
{
    /// <summary>Creates the trainer.</summary>
    /// <param name="context">The ML.NET context: its log receives the progress, its seeded random source the default seed.</param>
    /// <param name="options">The settings; validated here.</param>
    /// <exception cref="ArgumentException">An option is invalid (the message names it and carries its value).</exception>
    public JacobianRegularizedTrainer(MLContext context, Options options)
        : base((IHostEnvironment)(context ?? throw new ArgumentNullException(nameof(context))), context, options)
    {
    }

    /// <summary>Creates the trainer for the ML.NET environment behind a catalog.</summary>
    internal JacobianRegularizedTrainer(IHostEnvironment environment, Options options)
        : base(environment, null, options)
    {
    }

    /// <summary>
    /// Continues training from <paramref name="modelParameters"/> (warm start, as ML.NET's L-BFGS trainers offer), or
    /// starts from given initial weights (to reproduce a run made elsewhere): the network begins with those weights
    /// instead of a random initialization; the optimizer's state (momentum, Adam moments) and the learning-rate
    /// schedule start afresh, and every option applies as in <see cref="JacobianRegularizedTrainerBase{TTransformer}.Fit(IDataView)"/>.
    /// </summary>
    /// <param name="trainData">The training data.</param>
    /// <param name="modelParameters">
    /// The starting network: a trained model's <see cref="JacobianRegularizedPredictionTransformerBase{TModel}.Model"/>, or
    /// parameters built with the public constructor. Its input size must match the feature column, its hidden layers and
    /// activation <see cref="JacobianRegularizedOptions.HiddenLayers"/> and <see cref="JacobianRegularizedOptions.Activation"/>,
    /// and its class names the label's.
    /// </param>
    /// <exception cref="ArgumentException">The starting network does not fit the data or the options (the message says how).</exception>
    public JacobianRegularizedPredictionTransformer Fit(IDataView trainData, JacobianRegularizedModelParameters modelParameters)
    {
        ArgumentNullException.ThrowIfNull(modelParameters);
        return Train(trainData, null, WarmStart(modelParameters));
    }

    /// <summary>Warm start (see <see cref="Fit(IDataView, JacobianRegularizedModelParameters)"/>) with validation data.</summary>
    /// <param name="trainData">The training data.</param>
    /// <param name="validationData">Validation data with the training data's schema.</param>
    /// <param name="modelParameters">The starting network.</param>
    /// <exception cref="ArgumentException">The starting network does not fit the data or the options.</exception>
    public JacobianRegularizedPredictionTransformer Fit(IDataView trainData, IDataView validationData, JacobianRegularizedModelParameters modelParameters)
    {
        ArgumentNullException.ThrowIfNull(validationData);
        ArgumentNullException.ThrowIfNull(modelParameters);
        return Train(trainData, validationData, WarmStart(modelParameters));
    }

    /// <summary>The warm start's parameters, after checking that the network has the architecture and the classes this run would build.</summary>
    private static Func<NetworkArchitecture, DataViewSchema.Column, float[]> WarmStart(JacobianRegularizedModelParameters initial) =>
        (architecture, label) =>
        {
            if (!initial.Architecture.Equals(architecture))
            {
                throw new ArgumentException(
                    $"The starting network is {initial.Architecture}, but the data and options make {architecture} " +
                    "(input size from the feature column, classes from the label, layers from the options); set Options.HiddenLayers and " +
                    "Options.Activation, or Options.Layers and Options.ImageShape, to the starting network's.", "modelParameters");
            }

            IReadOnlyList<string> classNames = SchemaChecks.ClassNames(label, architecture.OutputSize);
            if (!initial.ClassNames.SequenceEqual(classNames, StringComparer.Ordinal))
            {
                throw new ArgumentException(
                    $"The starting network's classes are [{string.Join(", ", initial.ClassNames)}], but the label's are [{string.Join(", ", classNames)}]; " +
                    "map the label with the same MapValueToKey as the run that trained it.", "modelParameters");
            }

            return initial.Parameters.ToArray();
        };

    /// <summary>The penalty settings <paramref name="options"/> describe.</summary>
    internal static JacobianPenaltyOptions PenaltyOptions(Options options) => options.ToPenaltyOptions();

    /// <summary>
    /// The training-loop settings <paramref name="options"/> describe: the one mapping from the public options to the
    /// engine's (tests and benchmarks use it to train the engine directly with the trainer's defaults).
    /// </summary>
    internal static NetworkTrainerOptions EngineOptions(Options options) => options.ToEngineOptions();

    private protected override ModelTask ModelTask => ModelTask.MulticlassClassification;

    private protected override void CheckLabelShape(SchemaShape.Column label) => SchemaShapeChecks.CheckKeyLabel(label);

    /// <summary>The input columns plus <c>Score</c> (vector of Single) and <c>PredictedLabel</c> (key with KeyValues).</summary>
    private protected override SchemaShape OutputShape(MLContext context, SchemaShape inputShape) =>
        ScoringChain.OutputShape(context, inputShape, FeatureColumnName, SchemaChecks.ClassValueType(inputShape, LabelColumnName));

    private protected override TaskSetup Prepare(DataViewSchema.Column label, DataViewTrainingData train, DataViewTrainingData? validation)
    {
        int classCount = train.ClassCount;
        (IReadOnlyList<string> classNames, PrimitiveDataViewType classValueType) = SchemaChecks.Classes(label, classCount);
        return new TaskSetup(classCount, OutputLoss.SoftmaxCrossEntropy, string.Empty,
            (context, architecture, parameters, history) => new JacobianRegularizedPredictionTransformer(context,
                new JacobianRegularizedModelParameters(architecture, parameters, classNames, classValueType, history), FeatureColumnName));
    }
}
