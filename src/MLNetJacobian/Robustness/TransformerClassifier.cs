using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetJacobian.Robustness;

/// <summary>
/// Any ML.NET model (<see cref="ITransformer"/>) as a black-box classifier: its Score column for a batch of inputs.
/// One transformed view is built per instance and re-read batch after batch.
/// </summary>
public sealed class TransformerClassifier : IClassifierScores
{
    private readonly ITransformer _model;
    private readonly DataViewSchema _inputSchema;
    private readonly int _featureColumn;
    private readonly string _scoreColumnName;
    private readonly FeatureBatchDataView _batch;
    private readonly IDataView _scored;
    private readonly DataViewSchema.Column _scoreColumn;
    private VBuffer<float> _scores;

    /// <summary>Wraps <paramref name="model"/>.</summary>
    /// <param name="model">The fitted model.</param>
    /// <param name="inputSchema">The schema of the data the model is applied to.</param>
    /// <param name="featureColumnName">The input column that receives the features.</param>
    /// <param name="scoreColumnName">The output column of class scores.</param>
    /// <param name="description">A description for reports.</param>
    public TransformerClassifier(ITransformer model, DataViewSchema inputSchema, string featureColumnName = "Features", string scoreColumnName = "Score", string? description = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        DataViewSchema.Column feature = inputSchema.GetColumnOrNull(featureColumnName)
            ?? throw new ArgumentException($"The data has no feature column '{featureColumnName}'; its columns are: {string.Join(", ", inputSchema.Select(c => c.Name))}.", nameof(featureColumnName));
        FeatureCount = feature.Type switch
        {
            VectorDataViewType { ItemType: NumberDataViewType, Size: > 0 } v when v.ItemType.RawType == typeof(float) => v.Size,
            NumberDataViewType n when n.RawType == typeof(float) => 1,
            _ => throw new ArgumentException($"The feature column '{featureColumnName}' has type {feature.Type}; a known-size vector of Single (or a Single) is needed.", nameof(featureColumnName)),
        };
        DataViewSchema output = model.GetOutputSchema(inputSchema);
        DataViewSchema.Column score = output.GetColumnOrNull(scoreColumnName)
            ?? throw new ArgumentException($"The model has no '{scoreColumnName}' column in its output (columns: {string.Join(", ", output.Select(c => c.Name))}); a multiclass classifier with a score per class is needed.", nameof(model));
        if (score.Type is not VectorDataViewType { Size: > 0 } scoreType || scoreType.ItemType.RawType != typeof(float))
        {
            throw new ArgumentException($"The model's '{scoreColumnName}' column has type {score.Type}; a known-size vector of Single (one score per class) is needed.", nameof(model));
        }

        ClassCount = scoreType.Size;
        _model = model;
        _inputSchema = inputSchema;
        _featureColumn = feature.Index;
        _scoreColumnName = scoreColumnName;
        _batch = new FeatureBatchDataView(inputSchema, feature.Index, FeatureCount);
        _scored = model.Transform(_batch);
        _scoreColumn = _scored.Schema[scoreColumnName];
        Description = description ?? $"ML.NET model {DescribeModel(model)} (black box, Score column)";
    }

    /// <inheritdoc />
    public int FeatureCount { get; }

    /// <inheritdoc />
    public int ClassCount { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public void ComputeScores(ReadOnlySpan<float> features, int rows, Span<float> scores)
    {
        _batch.SetRows(features, rows);
        using DataViewRowCursor cursor = _scored.GetRowCursor([_scoreColumn]);
        ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(_scoreColumn);
        int i = 0;
        while (cursor.MoveNext())
        {
            getter(ref _scores);
            Span<float> row = scores.Slice(i * ClassCount, ClassCount);
            if (_scores.IsDense)
            {
                _scores.GetValues().CopyTo(row);
            }
            else
            {
                row.Clear();
                ReadOnlySpan<int> indices = _scores.GetIndices();
                ReadOnlySpan<float> values = _scores.GetValues();
                for (int k = 0; k < indices.Length; k++) row[indices[k]] = values[k];
            }

            i++;
        }

        if (i != rows) throw new InvalidOperationException($"The model returned {i} rows of scores for {rows} inputs; models that filter rows cannot be attacked.");
    }

    /// <summary>The schema of the data the model is applied to.</summary>
    internal DataViewSchema InputSchema => _inputSchema;

    /// <summary>The input column that receives the features.</summary>
    internal string FeatureColumnName => _inputSchema[_featureColumn].Name;

    /// <inheritdoc />
    public IClassifierScores CreateThreadInstance() =>
        new TransformerClassifier(_model, _inputSchema, _inputSchema[_featureColumn].Name, _scoreColumnName, Description);

    internal static string DescribeModel(ITransformer model)
    {
        IEnumerable<ITransformer> parts = model is IEnumerable<ITransformer> chain ? chain : [model];
        return string.Join(" -> ", parts.Select(DescribePart));
    }

    private static string DescribePart(ITransformer part)
    {
        Type type = part.GetType();
        if (part is ISingleFeaturePredictionTransformer<object> prediction && prediction.Model is { } parameters)
        {
            return parameters.GetType().Name.Replace("ModelParameters", "", StringComparison.Ordinal);
        }

        return type.IsGenericType ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] : type.Name.Replace("Transformer", "", StringComparison.Ordinal);
    }
}
