using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetJacobian.Training;
using MLNetJacobian.Models;

namespace MLNetJacobian.Trainers;

/// <summary>
/// Trains a feedforward binary classifier with the Jacobian penalty inside ML.NET pipelines:
/// <c>mlContext.BinaryClassification.Trainers.JacobianRegularized(...)</c>.
/// </summary>
/// <remarks>
/// <para>The objective, for rows <c>x_i</c> with Boolean labels <c>y_i</c> (1 for true) and weights <c>w_i</c>:
/// <c>L = sum_i w_i (log(1 + exp(z_i)) - y_i z_i + (lambda/2) ||J(x_i)||^2) / sum_i w_i</c>, with <c>z = f(x)</c> the
/// network's one logit and <c>J = dz/dx</c> its gradient, a single row: the penalty is exact at the cost of one extra
/// backward pass and its reverse, so the projection options do not apply (they are refused).</para>
/// <para>Input: a Boolean label, a known-size float vector feature column and optionally a float weight column.
/// Output: <c>Score</c> (the logit), <c>Probability</c> (its sigmoid) and <c>PredictedLabel</c> (Boolean,
/// <c>Score &gt; 0</c>), as <c>LbfgsLogisticRegression</c> gives them, so <c>BinaryClassification.Evaluate</c> (with the
/// calibrated metrics), <c>CrossValidate</c> and <c>PermutationFeatureImportance</c> work. Training data with one class
/// only is refused.</para>
/// </remarks>
public sealed class JacobianRegularizedBinaryTrainer : JacobianRegularizedTrainerBase<JacobianRegularizedOneOutputPredictionTransformer>
{
    /// <summary>Creates the trainer.</summary>
    /// <param name="context">The ML.NET context: its log receives the progress, its seeded random source the default seed.</param>
    /// <param name="options">The settings; validated here.</param>
    /// <exception cref="ArgumentException">An option is invalid (the message names it and carries its value).</exception>
    public JacobianRegularizedBinaryTrainer(MLContext context, Options options)
        : base((IHostEnvironment)(context ?? throw new ArgumentNullException(nameof(context))), context, options)
    {
    }

    /// <summary>Creates the trainer for the ML.NET environment behind a catalog.</summary>
    internal JacobianRegularizedBinaryTrainer(IHostEnvironment environment, Options options)
        : base(environment, null, options)
    {
    }

    private protected override ModelTask ModelTask => ModelTask.BinaryClassification;

    private protected override void CheckLabelShape(SchemaShape.Column label) => SchemaShapeChecks.CheckBooleanLabel(label);

    /// <summary>The input columns plus <c>Score</c>, <c>Probability</c> (Single) and <c>PredictedLabel</c> (Boolean).</summary>
    private protected override SchemaShape OutputShape(MLContext context, SchemaShape inputShape) =>
        OneOutputScoringChain.OutputShape(context, inputShape, FeatureColumnName, ModelTask.BinaryClassification);

    private protected override TaskSetup Prepare(DataViewSchema.Column label, DataViewTrainingData train, DataViewTrainingData? validation)
    {
        LabelStatistics labels = train.Labels;
        if (labels.PositiveCount == 0 || labels.PositiveCount == labels.Count)
        {
            throw new InvalidDataException(
                $"Every one of the {labels.Count} rows of the training data has label {labels.PositiveCount > 0} in column '{label.Name}'; " +
                "a binary classifier needs rows of both classes.");
        }

        return new TaskSetup(1, OutputLoss.SigmoidLogLoss, string.Create(CultureInfo.InvariantCulture,
                $"sigmoid log-loss ({labels.PositiveCount} of {labels.Count} rows positive)"),
            (context, architecture, parameters, history) => new JacobianRegularizedOneOutputPredictionTransformer(context,
                new JacobianRegularizedOneOutputModelParameters(ModelTask.BinaryClassification, architecture, parameters, 0, 1, history),
                FeatureColumnName));
    }

    /// <summary>
    /// Everything <see cref="JacobianRegularizedBinaryTrainer"/> can be told: the shared settings of
    /// <see cref="JacobianRegularizedOptions"/>. The label is Boolean; the projection options must keep their defaults.
    /// </summary>
    public sealed class Options : JacobianRegularizedOptions
    {
        /// <inheritdoc />
        public override void Validate()
        {
            base.Validate();
            RefuseProjections("a binary classifier");
            if (FeatureColumnName == OneOutputScoringChain.ProbabilityColumnName)
            {
                throw new ArgumentException(
                    $"Options.FeatureColumnName is '{FeatureColumnName}', a column the trainer writes; rename the feature column.", nameof(FeatureColumnName));
            }
        }
    }
}
