using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Data;

namespace MLNetJacobian.Models;

/// <summary>
/// Any fitted ML.NET model (<see cref="ITransformer"/>) as a black box: its Score column for a batch of rows. One
/// transformed view over an in-memory batch is built per instance and re-read batch after batch (no prediction
/// engine per row, no data view per batch).
/// </summary>
/// <remarks>
/// A vector Score of C values is a multiclass classifier (class names from the Score's slot names, else the
/// indices; the predicted class is the arg-max, ML.NET's own rule). A scalar Score next to a Boolean PredictedLabel
/// is a binary classifier (class "True" when the score is positive, ML.NET's default threshold); a scalar Score alone
/// is a regression. Columns of the input schema other than the features read as zero, so the model must not need
/// them to score (the label's <c>MapValueToKey</c> is fine).
/// </remarks>
public sealed class TransformerModel : IModel
{
    private readonly ITransformer _model;
    private readonly DataViewSchema _inputSchema;
    private readonly int _featureColumn;
    private readonly string _scoreColumnName;
    private readonly FeatureBatchDataView _batch;
    private readonly IDataView _scored;
    private readonly DataViewSchema.Column _scoreColumn;
    private VBuffer<float> _scores;

    /// <summary>Wraps <paramref name="model"/> applied to data of <paramref name="inputSchema"/>.</summary>
    /// <param name="model">The fitted model.</param>
    /// <param name="inputSchema">The schema of the data the model is applied to.</param>
    /// <param name="featureColumnName">The input column that receives the features (a known-size vector of Single, or a Single).</param>
    /// <param name="scoreColumnName">The output column of scores.</param>
    /// <param name="description">A description for reports; null to name the model's parts.</param>
    /// <exception cref="ArgumentException">A column is missing or has an unusable type.</exception>
    public TransformerModel(ITransformer model, DataViewSchema inputSchema, string featureColumnName = "Features", string scoreColumnName = "Score", string? description = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentException.ThrowIfNullOrEmpty(featureColumnName);
        ArgumentException.ThrowIfNullOrEmpty(scoreColumnName);
        DataViewSchema.Column feature = DataViewRowReader.Column(inputSchema, featureColumnName, "feature", nameof(featureColumnName));
        FeatureCount = feature.Type switch
        {
            VectorDataViewType { ItemType: NumberDataViewType, Size: > 0 } v when v.ItemType.RawType == typeof(float) => v.Size,
            NumberDataViewType n when n.RawType == typeof(float) => 1,
            _ => throw new ArgumentException($"The feature column '{featureColumnName}' has type {feature.Type}; a known-size vector of Single (or a Single) is needed.", nameof(featureColumnName)),
        };

        DataViewSchema output;
        try
        {
            output = model.GetOutputSchema(inputSchema);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            string rows = inputSchema.Count == 1
                ? $"rows holding only the feature column '{featureColumnName}' (a vector of {FeatureCount} floats)"
                : $"data with the columns {string.Join(", ", inputSchema.Select(c => $"'{c.Name}'"))}";
            throw new ArgumentException(
                $"The model cannot run on {rows}: {ex.Message} Pass the trainer's transformer, or a chain that does not need the other columns.", nameof(model), ex);
        }

        DataViewSchema.Column score = output.GetColumnOrNull(scoreColumnName)
            ?? throw new ArgumentException($"The model has no '{scoreColumnName}' column in its output (columns: {string.Join(", ", output.Select(c => c.Name))}).", nameof(scoreColumnName));
        if (score.Type is VectorDataViewType { Size: > 0 } vector && vector.ItemType.RawType == typeof(float))
        {
            OutputCount = vector.Size;
            Task = ModelTask.MulticlassClassification;
            ClassNames = SlotNamesOf(score, vector.Size);
        }
        else if (score.Type is NumberDataViewType scalar && scalar.RawType == typeof(float))
        {
            OutputCount = 1;
            bool binary = output.GetColumnOrNull("PredictedLabel") is { Type: BooleanDataViewType };
            Task = binary ? ModelTask.BinaryClassification : ModelTask.Regression;
            ClassNames = binary ? ["False", "True"] : [];
        }
        else
        {
            throw new ArgumentException($"The model's '{scoreColumnName}' column has type {score.Type}; a known-size vector of Single (one score per class) or a Single is needed.", nameof(scoreColumnName));
        }

        _model = model;
        _inputSchema = inputSchema;
        _featureColumn = feature.Index;
        _scoreColumnName = scoreColumnName;
        _batch = new FeatureBatchDataView(inputSchema, feature.Index, FeatureCount);
        _scored = model.Transform(_batch);
        _scoreColumn = _scored.Schema[scoreColumnName];
        Description = description ?? $"ML.NET model {Describe(model)} (black box, {scoreColumnName} column)";
    }

    /// <summary>Wraps <paramref name="model"/> applied to rows that hold only the feature column (a vector of D floats).</summary>
    /// <param name="model">The fitted model (for example the transformer returned by a trainer's Fit).</param>
    /// <param name="featureCount">D.</param>
    /// <param name="featureColumnName">The model's input feature column.</param>
    /// <param name="scoreColumnName">The model's score column.</param>
    /// <param name="description">A description for reports; null to name the model's parts.</param>
    /// <exception cref="ArgumentException">The model cannot run on the feature column alone, or lacks a usable score column.</exception>
    public TransformerModel(ITransformer model, int featureCount, string featureColumnName = "Features", string scoreColumnName = "Score", string? description = null)
        : this(model, FeatureOnlySchema(featureCount, featureColumnName), featureColumnName, scoreColumnName, description)
    {
    }

    /// <inheritdoc />
    public int FeatureCount { get; }

    /// <inheritdoc />
    public int OutputCount { get; }

    /// <inheritdoc />
    public ModelTask Task { get; }

    /// <inheritdoc />
    public ModelOutputKind OutputKind => ModelOutputKind.Scores;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>The schema of the data the model is applied to.</summary>
    internal DataViewSchema InputSchema => _inputSchema;

    /// <summary>The input column that receives the features.</summary>
    internal string FeatureColumnName => _inputSchema[_featureColumn].Name;

    /// <summary>The wrapped model.</summary>
    internal ITransformer Transformer => _model;

    /// <inheritdoc />
    public void ComputeOutputs(ReadOnlySpan<float> features, int rows, Span<float> outputs)
    {
        ModelPredictions.CheckBatch(this, features, rows, outputs.Length, nameof(outputs));
        int k = OutputCount;
        _batch.SetRows(features, rows);
        using DataViewRowCursor cursor = _scored.GetRowCursor([_scoreColumn]);
        int i = 0;
        if (k == 1 && _scoreColumn.Type is NumberDataViewType)
        {
            ValueGetter<float> scalar = cursor.GetGetter<float>(_scoreColumn);
            float value = 0;
            while (cursor.MoveNext() && i < rows)
            {
                scalar(ref value);
                outputs[i++] = value;
            }
        }
        else
        {
            ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(_scoreColumn);
            while (cursor.MoveNext() && i < rows)
            {
                getter(ref _scores);
                _scores.CopyTo(outputs.Slice(i * k, k));
                i++;
            }
        }

        if (i != rows) throw new InvalidOperationException($"The model returned {i} rows of scores for {rows} inputs; models that filter rows cannot be used.");
    }

    /// <inheritdoc />
    public IModel CreateThreadInstance() => new TransformerModel(_model, _inputSchema, FeatureColumnName, _scoreColumnName, Description);

    /// <summary>The model's parts for a report, for example "NormalizingTransformer -> MaximumEntropy".</summary>
    internal static string Describe(ITransformer model)
    {
        IEnumerable<ITransformer> parts = model is IEnumerable<ITransformer> chain ? chain : [model];
        return string.Join(" -> ", parts.Select(DescribePart));
    }

    private static string DescribePart(ITransformer part)
    {
        Type type = part.GetType();
        if (part is ISingleFeaturePredictionTransformer<object> prediction && prediction.Model is { } parameters)
        {
            // A calibrated binary model names its scoring sub-model (its public SubModel), for example "LinearBinary (calibrated)".
            object? subModel = WhiteBoxModel.CalibratedSubModel(parameters);
            return subModel is null
                ? parameters.GetType().Name.Replace("ModelParameters", "", StringComparison.Ordinal)
                : subModel.GetType().Name.Replace("ModelParameters", "", StringComparison.Ordinal) + " (calibrated)";
        }

        return type.IsGenericType ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] : type.Name.Replace("Transformer", "", StringComparison.Ordinal);
    }

    private static DataViewSchema FeatureOnlySchema(int featureCount, string featureColumnName)
    {
        if (featureCount < 1) throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "D must be at least 1.");
        ArgumentException.ThrowIfNullOrEmpty(featureColumnName);
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(featureColumnName, new VectorDataViewType(NumberDataViewType.Single, featureCount));
        return builder.ToSchema();
    }

    private static string[] SlotNamesOf(DataViewSchema.Column score, int size)
    {
        if (score.HasSlotNames())
        {
            VBuffer<ReadOnlyMemory<char>> names = default;
            score.GetSlotNames(ref names);
            string[] result = names.DenseValues().Select(n => n.ToString()).ToArray();
            if (result.Length == size && result.All(n => n.Length > 0)) return result;
        }

        return ModelPredictions.IndexNames(size);
    }
}
