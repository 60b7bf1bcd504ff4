using Microsoft.ML;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>A fitted ML.NET model with what the commands report about it.</summary>
/// <param name="Name">A short name for tables and plots (for example <c>lambda 0.1</c>).</param>
/// <param name="Model">The whole fitted pipeline, as saved.</param>
/// <param name="InputSchema">The schema the model was fitted on (saved with it).</param>
/// <param name="Network">This library's model parameters when the model was trained here, else null.</param>
/// <param name="TrainingTime">Wall-clock training time, or null for a loaded model.</param>
/// <param name="Normalization">
/// The normalizer in front of <paramref name="Network"/> when the model was trained here with <c>--normalize</c>, else
/// null: the network then sees <c>(x - Offset) * Scale</c>, not the raw features.
/// </param>
internal sealed record TrainedModel(string Name, ITransformer Model, DataViewSchema InputSchema, JacobianRegularizedModelParameters? Network, TimeSpan? TrainingTime,
    FittedNormalization? Normalization = null);
