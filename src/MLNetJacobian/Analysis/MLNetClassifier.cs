using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetJacobian.Analysis;

/// <summary>
/// Any fitted ML.NET classifier (multiclass or binary) seen as an <see cref="IBatchClassifier"/>: batches of rows go
/// through one in-memory data view and one <c>Transform</c> per batch, never a prediction engine per row.
/// </summary>
/// <remarks>
/// The model must run on rows that hold only the feature column (a vector of D floats): pass the trainer's
/// transformer, or a chain that does not need the label column. Multiclass models: the scores are the Score vector
/// and the predicted class is its arg-max (ML.NET's own rule; the first index wins ties). Binary models: the score
/// is the scalar Score and the predicted class is PredictedLabel (0 = false, 1 = true).
/// Class names come from the Score column's slot names, else the indices.
/// </remarks>
public sealed class MLNetClassifier : IBatchClassifier
{
    private readonly ITransformer _model;
    private readonly FeatureRowsDataView _input;
    private readonly string _scoreColumnName;
    private readonly string _predictedLabelColumnName;
    private readonly bool _isBinary;

    /// <summary>Wraps a fitted model.</summary>
    /// <param name="model">The fitted model (for example the transformer returned by a trainer's Fit).</param>
    /// <param name="featureCount">D, the length of the feature vector.</param>
    /// <param name="featureColumnName">The model's input feature column.</param>
    /// <param name="scoreColumnName">The model's score column.</param>
    /// <param name="predictedLabelColumnName">The model's predicted label column (read for binary models only).</param>
    /// <param name="batchSize">Rows per Transform call (memory bound); at least 1.</param>
    /// <exception cref="ArgumentException">The model cannot run on the feature column, or lacks a usable score column.</exception>
    public MLNetClassifier(ITransformer model, int featureCount, string featureColumnName = "Features",
        string scoreColumnName = "Score", string predictedLabelColumnName = "PredictedLabel", int batchSize = 4096)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(featureColumnName);
        ArgumentException.ThrowIfNullOrEmpty(scoreColumnName);
        ArgumentException.ThrowIfNullOrEmpty(predictedLabelColumnName);
        if (featureCount < 1) throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "D must be at least 1.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
        _model = model;
        _scoreColumnName = scoreColumnName;
        _predictedLabelColumnName = predictedLabelColumnName;
        _input = new FeatureRowsDataView(featureColumnName, featureCount, batchSize);
        FeatureCount = featureCount;

        DataViewSchema output;
        try
        {
            output = model.GetOutputSchema(_input.Schema);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            throw new ArgumentException(
                $"The model cannot run on rows holding only the feature column '{featureColumnName}' (a vector of {featureCount} floats): {ex.Message} " +
                "Pass the trainer's transformer, or a chain that does not need the label column.", nameof(model), ex);
        }

        DataViewSchema.Column score = output.GetColumnOrNull(scoreColumnName)
            ?? throw new ArgumentException($"The model's output has no score column '{scoreColumnName}'; its columns are: {string.Join(", ", output.Select(c => c.Name))}.", nameof(scoreColumnName));
        if (score.Type is VectorDataViewType { ItemType: NumberDataViewType } vector && vector.ItemType == NumberDataViewType.Single && vector.Size > 0)
        {
            OutputCount = vector.Size;
            ClassNames = SlotNamesOf(score, vector.Size);
        }
        else if (score.Type == NumberDataViewType.Single)
        {
            DataViewSchema.Column predicted = output.GetColumnOrNull(predictedLabelColumnName)
                ?? throw new ArgumentException($"The model's Score is a scalar (binary model) but it has no '{predictedLabelColumnName}' column.", nameof(predictedLabelColumnName));
            if (predicted.Type != BooleanDataViewType.Instance)
            {
                throw new ArgumentException($"Column '{predictedLabelColumnName}' has type {predicted.Type}; a binary model's predicted label must be Boolean.", nameof(predictedLabelColumnName));
            }

            _isBinary = true;
            OutputCount = 1;
            ClassNames = ["False", "True"];
        }
        else
        {
            throw new ArgumentException($"Score column '{scoreColumnName}' has type {score.Type}; a known-size float vector or a float scalar is needed.", nameof(scoreColumnName));
        }
    }

    /// <inheritdoc />
    public int FeatureCount { get; }

    /// <inheritdoc />
    public int OutputCount { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc />
    public JacobianOutputKind OutputKind => JacobianOutputKind.Scores;

    /// <inheritdoc />
    public void Classify(ReadOnlySpan<float> features, int rows, Span<float> scores, Span<int> predictedClasses)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "The row count cannot be negative.");
        if (features.Length != rows * FeatureCount)
        {
            throw new ArgumentException($"features has {features.Length} values; rows * D = {rows} * {FeatureCount} = {rows * FeatureCount} expected.", nameof(features));
        }

        if (scores.Length < rows * OutputCount) throw new ArgumentException($"scores has {scores.Length} values; {rows * OutputCount} needed.", nameof(scores));
        if (predictedClasses.Length < rows) throw new ArgumentException($"predictedClasses has {predictedClasses.Length} entries; {rows} needed.", nameof(predictedClasses));

        for (int start = 0; start < rows; start += _input.Capacity)
        {
            int count = Math.Min(_input.Capacity, rows - start);
            _input.SetRows(features.Slice(start * FeatureCount, count * FeatureCount), count);
            ClassifyBatch(count, scores.Slice(start * OutputCount, count * OutputCount), predictedClasses.Slice(start, count));
        }
    }

    private void ClassifyBatch(int rows, Span<float> scores, Span<int> predictedClasses)
    {
        IDataView output = _model.Transform(_input);
        DataViewSchema.Column score = output.Schema[_scoreColumnName];
        if (_isBinary)
        {
            DataViewSchema.Column predicted = output.Schema[_predictedLabelColumnName];
            using DataViewRowCursor cursor = output.GetRowCursor([score, predicted]);
            ValueGetter<float> scoreGetter = cursor.GetGetter<float>(score);
            ValueGetter<bool> labelGetter = cursor.GetGetter<bool>(predicted);
            int row = 0;
            float value = 0;
            bool label = false;
            while (cursor.MoveNext())
            {
                scoreGetter(ref value);
                labelGetter(ref label);
                scores[row] = value;
                predictedClasses[row] = label ? 1 : 0;
                row++;
            }

            System.Diagnostics.Debug.Assert(row == rows);
        }
        else
        {
            using DataViewRowCursor cursor = output.GetRowCursor([score]);
            ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(score);
            VBuffer<float> buffer = default;
            int row = 0;
            while (cursor.MoveNext())
            {
                getter(ref buffer);
                Span<float> target = scores.Slice(row * OutputCount, OutputCount);
                buffer.CopyTo(target);
                int best = 0;
                for (int k = 1; k < OutputCount; k++) if (target[k] > target[best]) best = k;
                predictedClasses[row] = best;
                row++;
            }

            System.Diagnostics.Debug.Assert(row == rows);
        }
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

        return Enumerable.Range(0, size).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
    }
}
