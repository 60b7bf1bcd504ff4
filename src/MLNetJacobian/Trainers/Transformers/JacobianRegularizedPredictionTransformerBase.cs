using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetJacobian.Trainers;

/// <summary>
/// What the fitted transformers of every task share: they read one feature column and score, save and map rows
/// through a chain of first-party ML.NET transformers that holds the network as ONNX (<see cref="ScoringTransformer"/>),
/// so <c>mlContext.Model.Save</c> writes a standard zip and <c>mlContext.Model.Load</c> returns that chain, with the
/// same columns and scores, in any process that references ML.NET, Microsoft.ML.OnnxTransformer and this library.
/// </summary>
/// <typeparam name="TModel">The model parameters.</typeparam>
public abstract class JacobianRegularizedPredictionTransformerBase<TModel> : ISingleFeaturePredictionTransformer<TModel> where TModel : class
{
    private readonly ITransformer _chain;

    private protected JacobianRegularizedPredictionTransformerBase(TModel model, string featureColumnName, int featureCount,
        IReadOnlyCollection<string> outputColumnNames, Func<ITransformer> buildChain)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (string.IsNullOrWhiteSpace(featureColumnName))
        {
            throw new ArgumentException($"The feature column name must not be empty; it is '{featureColumnName}'.", nameof(featureColumnName));
        }

        if (outputColumnNames.Contains(featureColumnName))
        {
            throw new ArgumentException(
                $"The feature column may not be named '{featureColumnName}': the transformer writes a column of that name.", nameof(featureColumnName));
        }

        Model = model;
        FeatureColumnName = featureColumnName;
        FeatureCount = featureCount;
        FeatureColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        _chain = buildChain();
    }

    /// <summary>The trained network and what the task needs to score with it.</summary>
    public TModel Model { get; }

    /// <summary>The feature column this transformer reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The feature column's type, <c>Vector&lt;Single, D&gt;</c>.</summary>
    public DataViewType FeatureColumnType { get; }

    /// <summary>Always true: the transformer maps each row independently.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The first-party ML.NET transformers this transformer delegates to, and what a saved zip holds.</summary>
    public ITransformer ScoringTransformer => _chain;

    private int FeatureCount { get; }

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
    /// native memory). Use one engine per thread, or a pool of engines (Microsoft.Extensions.ML's <c>PredictionEnginePool</c>,
    /// or an <c>ObjectPool</c> of engines).
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

    /// <summary>Saves the scoring chain: the zip holds first-party ML.NET transformers only.</summary>
    /// <param name="ctx">ML.NET's save context.</param>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _chain.Save(ctx);

    private void CheckInput(DataViewSchema schema, string parameterName) =>
        SchemaChecks.FeatureColumn(schema, FeatureColumnName, FeatureCount, parameterName);
}
