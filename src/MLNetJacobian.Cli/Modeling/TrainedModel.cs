using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>A fitted ML.NET model with what the commands report about it.</summary>
/// <param name="Name">A short name for tables and plots (for example <c>lambda 0.1</c>).</param>
/// <param name="Model">The fitted pipeline on the Features column (saved as <see cref="SavedModel"/>).</param>
/// <param name="InputSchema">The schema the model was fitted on (saved with it).</param>
/// <param name="Network">This library's model parameters when the model was trained here, else null.</param>
/// <param name="TrainingTime">Wall-clock training time, or null for a loaded model.</param>
/// <param name="Normalization">
/// The normalizer in front of <paramref name="Network"/> when the model was trained here with <c>--normalize</c>, else
/// null: the network then sees <c>(x - Offset) * Scale</c>, not the raw features.
/// </param>
/// <param name="OneOutputNetwork">This library's binary or regression network when the model was trained here, else null.</param>
/// <param name="Featurizer">
/// The one-hot encoding in front of <paramref name="Model"/> (which reads the featurized Features column) when the data
/// has categorical columns: the saved model is the two together (<see cref="SavedModel"/>), taking the raw columns.
/// </param>
internal sealed record TrainedModel(string Name, ITransformer Model, DataViewSchema InputSchema, JacobianRegularizedModelParameters? Network, TimeSpan? TrainingTime,
    FittedNormalization? Normalization = null, JacobianRegularizedOneOutputModelParameters? OneOutputNetwork = null, ITransformer? Featurizer = null)
{
    /// <summary>The model to save: the featurizer (when any) followed by <see cref="Model"/>.</summary>
    public ITransformer SavedModel => Featurizer is null ? Model : new TransformerChain<ITransformer>(Featurizer, Model);

    /// <summary>The training history of a network trained here, else null.</summary>
    public MLNetJacobian.Training.TrainingHistory? History => Network?.TrainingHistory ?? OneOutputNetwork?.TrainingHistory;

    /// <summary>The architecture of a network trained here, else null.</summary>
    public MLNetJacobian.Network.NetworkArchitecture? Architecture => Network?.Architecture ?? OneOutputNetwork?.Architecture;
}
