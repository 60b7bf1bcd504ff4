using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetJacobian.Trainers;

/// <summary>
/// The fitted Jacobian-regularized classifier in an ML.NET pipeline: reads the feature column and adds
/// <c>Score</c> (class probabilities, <c>Vector&lt;Single, C&gt;</c> with SlotNames = class names) and
/// <c>PredictedLabel</c> (a key over the class names, with KeyValues), as ML.NET's multiclass trainers do.
/// </summary>
/// <remarks>
/// It scores, saves and maps rows through <see cref="ScoringChain"/>, a chain of first-party ML.NET transformers
/// holding the network as ONNX. <c>mlContext.Model.Save</c> therefore writes a standard zip, and
/// <c>mlContext.Model.Load</c> returns that chain in place of this type (with the same columns and scores), in any
/// process that references ML.NET, Microsoft.ML.OnnxTransformer and this library.
/// </remarks>
public sealed class JacobianRegularizedPredictionTransformer : ISingleFeaturePredictionTransformer<JacobianRegularizedModelParameters>
{
    private readonly ITransformer _chain;

    /// <summary>Wraps trained (or hand-set) model parameters as a transformer reading <paramref name="featureColumnName"/>.</summary>
    /// <param name="context">The ML.NET context that builds the scoring chain.</param>
    /// <param name="model">The network and class names.</param>
    /// <param name="featureColumnName">The feature column, <c>Vector&lt;Single, D&gt;</c>; it may not be named Score or PredictedLabel.</param>
    public JacobianRegularizedPredictionTransformer(MLContext context, JacobianRegularizedModelParameters model, string featureColumnName = "Features")
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(model);
        if (string.IsNullOrWhiteSpace(featureColumnName))
        {
            throw new ArgumentException($"The feature column name must not be empty; it is '{featureColumnName}'.", nameof(featureColumnName));
        }

        if (featureColumnName is ScoringChain.ScoreColumnName or ScoringChain.PredictedLabelColumnName)
        {
            throw new ArgumentException(
                $"The feature column may not be named '{featureColumnName}': the transformer writes a column of that name.", nameof(featureColumnName));
        }

        Model = model;
        FeatureColumnName = featureColumnName;
        FeatureColumnType = new VectorDataViewType(NumberDataViewType.Single, model.FeatureCount);
        _chain = ScoringChain.Build(context, model, featureColumnName);
    }

    /// <summary>The trained network and class names.</summary>
    public JacobianRegularizedModelParameters Model { get; }

    /// <summary>The feature column this transformer reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The feature column's type, <c>Vector&lt;Single, D&gt;</c>.</summary>
    public DataViewType FeatureColumnType { get; }

    /// <summary>Always true: the transformer maps each row independently.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The first-party ML.NET transformers this transformer delegates to, and what a saved zip holds.</summary>
    public ITransformer ScoringTransformer => _chain;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckInput(inputSchema, nameof(inputSchema));
        return _chain.GetOutputSchema(inputSchema);
    }

    /// <summary>
    /// The row mapper a <c>PredictionEngine</c> uses. A row it makes serves one thread at a time: a concurrent call
    /// throws <see cref="InvalidOperationException"/> (two threads in ONNX Runtime through one row's buffers corrupt
    /// native memory). Use one engine per thread, or <see cref="PooledPredictionEngine{TInput, TPrediction}"/>.
    /// </summary>
    /// <param name="inputSchema">The schema of the rows to map.</param>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckInput(inputSchema, nameof(inputSchema));
        return new SingleUserRowMapper(_chain.GetRowToRowMapper(inputSchema));
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input.Schema, nameof(input));
        return _chain.Transform(input);
    }

    /// <summary>Saves the scoring chain: the zip holds first-party ML.NET transformers only (see the remarks).</summary>
    /// <param name="ctx">ML.NET's save context.</param>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _chain.Save(ctx);

    private void CheckInput(DataViewSchema schema, string parameterName) =>
        SchemaChecks.FeatureColumn(schema, FeatureColumnName, Model.FeatureCount, parameterName);
}
