using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetJacobian.Training;
using MLNetJacobian.Models;

namespace MLNetJacobian.Trainers;

/// <summary>
/// Trains a feedforward regressor with the Jacobian penalty inside ML.NET pipelines:
/// <c>mlContext.Regression.Trainers.JacobianRegularized(...)</c>.
/// </summary>
/// <remarks>
/// <para>Label standardization (on by default, <see cref="Options.StandardizeLabel"/>): the network is fitted to
/// <c>t = (y - m) / s</c>, with <c>m</c> and <c>s</c> the mean and (population) standard deviation of the training labels,
/// and the saved model predicts <c>m + s z</c>. The objective is therefore
/// <c>L = sum_i w_i (loss(z_i, t_i) + (lambda/2) ||dz/dx (x_i)||^2) / sum_i w_i</c>: the penalty acts on the
/// standardized output, so one <c>jacobianWeight</c> means the same whether fares are in dollars or cents, and the
/// Huber delta is in standard deviations of the label. With standardization off, <c>t = y</c> and the penalty acts on
/// the prediction in the label's units (lambda then has to be scaled by <c>1 / s^2</c> to mean the same).</para>
/// <para>Loss: squared error <c>(z - t)^2</c> (no 1/2; default) or Huber with <see cref="Options.HuberDelta"/>.
/// One output, so the Jacobian is one row and the penalty is exact; the projection options do not apply (refused).</para>
/// <para>Input: a Single label (NaN or infinite labels are an error naming the row, or skipped with
/// <see cref="Options.SkipRowsWithNonFiniteLabels"/>; a constant label is refused), a known-size float vector feature
/// column and optionally a float weight column. Output: <c>Score</c> (Single), so <c>Regression.Evaluate</c>,
/// <c>CrossValidate</c> and <c>PermutationFeatureImportance</c> work.</para>
/// </remarks>
public sealed class JacobianRegularizedRegressionTrainer : JacobianRegularizedTrainerBase<JacobianRegularizedOneOutputPredictionTransformer>
{
    private readonly Options _options;

    /// <summary>Creates the trainer.</summary>
    /// <param name="context">The ML.NET context: its log receives the progress, its seeded random source the default seed.</param>
    /// <param name="options">The settings; validated here.</param>
    /// <exception cref="ArgumentException">An option is invalid (the message names it and carries its value).</exception>
    public JacobianRegularizedRegressionTrainer(MLContext context, Options options)
        : base((IHostEnvironment)(context ?? throw new ArgumentNullException(nameof(context))), context, options)
    {
        _options = options;
    }

    /// <summary>Creates the trainer for the ML.NET environment behind a catalog.</summary>
    internal JacobianRegularizedRegressionTrainer(IHostEnvironment environment, Options options)
        : base(environment, null, options)
    {
        _options = options;
    }

    private protected override ModelTask ModelTask => ModelTask.Regression;

    private protected override bool SkipNonFiniteLabels => _options.SkipRowsWithNonFiniteLabels;

    private protected override void CheckLabelShape(SchemaShape.Column label) => SchemaShapeChecks.CheckSingleLabel(label);

    /// <summary>The input columns plus <c>Score</c> (Single).</summary>
    private protected override SchemaShape OutputShape(MLContext context, SchemaShape inputShape) =>
        OneOutputScoringChain.OutputShape(context, inputShape, FeatureColumnName, ModelTask.Regression);

    private protected override TaskSetup Prepare(DataViewSchema.Column label, DataViewTrainingData train, DataViewTrainingData? validation)
    {
        LabelStatistics labels = train.Labels;
        if (!(labels.Maximum > labels.Minimum))
        {
            string value = labels.Minimum.ToString("R", CultureInfo.InvariantCulture);
            throw new InvalidDataException(
                $"Every one of the {labels.Count} rows of the training data has label {value} in column '{label.Name}'; " +
                "a constant label leaves nothing to learn.");
        }

        float shift = 0, scale = 1;
        if (_options.StandardizeLabel)
        {
            shift = (float)labels.Mean;
            scale = (float)labels.StandardDeviation;
            train.SetTargetStandardization(shift, scale);
            validation?.SetTargetStandardization(shift, scale);
        }

        OutputLoss loss = _options.LossFunction == RegressionLossFunction.Huber ? OutputLoss.Huber(_options.HuberDelta) : OutputLoss.SquaredError;
        string space = _options.StandardizeLabel
            ? string.Create(CultureInfo.InvariantCulture, $"on standardized labels (mean {shift:G6}, standard deviation {scale:G6})")
            : "on the labels as they are (no standardization)";
        return new TaskSetup(1, loss, $"{loss.Name} {space}",
            (context, architecture, parameters, history) => new JacobianRegularizedOneOutputPredictionTransformer(context,
                new JacobianRegularizedOneOutputModelParameters(ModelTask.Regression, architecture, parameters, shift, scale, history),
                FeatureColumnName));
    }

    /// <summary>
    /// Everything <see cref="JacobianRegularizedRegressionTrainer"/> can be told: the shared settings of
    /// <see cref="JacobianRegularizedOptions"/>, the loss, label standardization and what to do with non-finite labels.
    /// The label is Single; the projection options must keep their defaults.
    /// </summary>
    public sealed class Options : JacobianRegularizedOptions
    {
        /// <summary>The data loss: squared error (default) or Huber.</summary>
        public RegressionLossFunction LossFunction { get; set; } = RegressionLossFunction.SquaredError;

        /// <summary>
        /// With the Huber loss: where it turns from quadratic to linear, finite and greater than 0; in standard deviations
        /// of the label when <see cref="StandardizeLabel"/> is on, else in the label's units. Default 1.
        /// </summary>
        public double HuberDelta { get; set; } = 1.0;

        /// <summary>
        /// Fit the network to the standardized label <c>(y - mean) / std</c> of the training data and map its prediction
        /// back in the saved model, so the Jacobian penalty acts on the standardized output (see the trainer's remarks).
        /// Default true.
        /// </summary>
        public bool StandardizeLabel { get; set; } = true;

        /// <summary>Skip rows whose label is NaN or infinite instead of failing with an error naming the row. Default false.</summary>
        public bool SkipRowsWithNonFiniteLabels { get; set; }

        /// <inheritdoc />
        public override void Validate()
        {
            base.Validate();
            RefuseProjections("a regression network");
            Require(Enum.IsDefined(LossFunction), nameof(LossFunction), LossFunction, "must be a defined loss");
            Require(HuberDelta > 0 && double.IsFinite(HuberDelta), nameof(HuberDelta), HuberDelta, "must be finite and greater than 0");
        }
    }
}
