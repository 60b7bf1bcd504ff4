using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Data;
using MLNetJacobian.Models;
using MLNetJacobian.Training;

namespace MLNetJacobian.Trainers;

/// <summary>
/// Training (or validation) rows streamed from an ML.NET <see cref="IDataView"/> through row cursors over only the
/// feature, label and weight columns (<see cref="DataViewRowReader"/>, the library's one reader from a view to rows), so
/// the data never has to fit in a .NET array.
/// </summary>
/// <remarks>
/// <para>What is held in memory: one row's feature buffer, and for a view that cannot shuffle itself
/// (<see cref="IDataView.CanShuffle"/> false, e.g. a text file or <c>LoadFromEnumerable</c>) a window of at most
/// <c>ShuffleWindowSize</c> rows (<c>window * D</c> floats). Views that can shuffle (cached views and views
/// transformed from them) are read through ML.NET's own shuffled cursors, which hold what the view holds anyway.</para>
/// <para>Labels become the objective's targets: a key label's class index <c>key - 1</c> (multiclass), a Boolean
/// label's 0 or 1 (binary), a Single label's value (regression), optionally standardized
/// (<see cref="SetTargetStandardization"/>).</para>
/// <para>The constructor reads the data once, in stored order, to count the rows and validate them, so that errors
/// name the row's position in the data: a non-finite feature (an error, or the row is skipped when
/// <c>skipRowsWithNonFiniteFeatures</c>), a non-finite regression label (likewise, with <c>skipRowsWithNonFiniteLabels</c>),
/// a weight that is negative or non-finite (an error). Rows with a missing key label (key value 0) are skipped, as
/// ML.NET's trainers do. The same read measures the labels (<see cref="Labels"/>). For a view that cannot shuffle, that read also fills the
/// window: when every usable row fits in it (<c>RowCount &lt;= ShuffleWindowSize</c>), the window is a cache of the
/// whole data and the epochs read it instead of the view (no more memory than the window would take anyway, and
/// no cursor per epoch); otherwise each epoch streams the view through the window.</para>
/// <para>Shuffling with a window draws each emitted row uniformly from the window and refills its slot with the next
/// row of the data: a full permutation when the window holds all rows, a local one otherwise. Reading the cache
/// draws the same slots from the same <see cref="Random"/>, so the row order does not depend on whether the rows
/// were cached. Features are checked for NaN and infinity with vectorized <c>TensorPrimitives.IsFiniteAll</c>.</para>
/// </remarks>
internal sealed class DataViewTrainingData : ITrainingData<float>, IDisposable
{
    /// <summary>The window's first allocation in rows while the validating read fills it (it doubles up to its size).</summary>
    private const int InitialWindowRows = 256;

    private readonly IDataView _data;
    private readonly DataViewSchema.Column _featureColumn;
    private readonly DataViewSchema.Column _labelColumn;
    private readonly DataViewSchema.Column? _weightColumn;
    private readonly bool _skipNonFinite;
    private readonly string _description;
    private readonly int _windowSize;
    private float[] _windowFeatures = [];       // [window, D] row-major (the cache when _cached)
    private float[] _windowTargets = [];        // [window]
    private float[] _windowWeights = [];        // [window] or empty
    private readonly bool _cached;              // every usable row is in the window: epochs never open a cursor
    private readonly int[] _cacheOrder;         // [N] when cached: the rows still to emit this epoch (window slots)

    private DataViewRowReader? _reader;
    private readonly ModelTask _task;
    private readonly bool _skipNonFiniteLabels;
    private float _targetShift;         // emitted target = (label - shift) / scale
    private float _targetScale = 1f;
    private Random? _windowRandom;
    private int _windowCount;
    private int _cachePosition;   // next cached row when reading the cache in stored order
    private bool _epochOpen;

    /// <summary>Checks the schema and reads the data once to count and validate its rows.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="featureColumnName">A known-size vector of Single.</param>
    /// <param name="labelColumnName">A key column with at least 2 classes; label k (1-based key) is class k - 1.</param>
    /// <param name="exampleWeightColumnName">A Single column of weights (finite, at least 0), or null for unit weights.</param>
    /// <param name="skipRowsWithNonFiniteFeatures">Skip rows with a NaN or infinite feature instead of failing.</param>
    /// <param name="shuffleWindowSize">Rows buffered to shuffle a view that cannot shuffle itself (at least 1).</param>
    /// <param name="description">How errors name this data, e.g. "training data".</param>
    public DataViewTrainingData(IDataView data, string featureColumnName, string labelColumnName, string? exampleWeightColumnName = null,
        bool skipRowsWithNonFiniteFeatures = false, int shuffleWindowSize = JacobianRegularizedTrainer.Defaults.ShuffleWindowSize, string description = "training data")
        : this(data, featureColumnName, labelColumnName, ModelTask.MulticlassClassification, exampleWeightColumnName, skipRowsWithNonFiniteFeatures, false,
            shuffleWindowSize, description)
    {
    }

    /// <summary>Checks the schema for a label of <paramref name="task"/> and reads the data once to count, validate and measure its rows.</summary>
    internal DataViewTrainingData(IDataView data, string featureColumnName, string labelColumnName, ModelTask task,
        string? exampleWeightColumnName, bool skipRowsWithNonFiniteFeatures, bool skipRowsWithNonFiniteLabels, int shuffleWindowSize,
        string description)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(description);
        if (shuffleWindowSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(shuffleWindowSize), shuffleWindowSize, "The shuffle window must hold at least 1 row.");
        }

        _data = data;
        _description = description;
        _featureColumn = SchemaChecks.FeatureColumn(data.Schema, featureColumnName, null, nameof(data));
        _task = task;
        _skipNonFiniteLabels = skipRowsWithNonFiniteLabels;
        _labelColumn = SchemaChecks.LabelColumn(task, data.Schema, labelColumnName, nameof(data));
        int classCount = task == ModelTask.MulticlassClassification ? (int)((KeyDataViewType)_labelColumn.Type).Count : 0;

        _weightColumn = exampleWeightColumnName is null ? null : SchemaChecks.WeightColumn(data.Schema, exampleWeightColumnName, nameof(data));
        _skipNonFinite = skipRowsWithNonFiniteFeatures;
        FeatureCount = ((VectorDataViewType)_featureColumn.Type).Size;
        ClassCount = classCount;
        _windowSize = shuffleWindowSize;
        _cached = Scan(fillWindow: !data.CanShuffle);
        _cacheOrder = _cached ? new int[_windowCount] : [];
        _windowCount = 0;
    }

    /// <inheritdoc />
    public int FeatureCount { get; }

    /// <summary>C, the number of classes of a key label (each target is the class index <c>key - 1</c>); 0 for Boolean and Single labels.</summary>
    public int ClassCount { get; }

    /// <summary>The labels of the usable rows, measured by the validating read (unweighted).</summary>
    internal LabelStatistics Labels { get; private set; }

    /// <summary>Rows skipped because their regression label is NaN or infinite (only with skipping on).</summary>
    public long NonFiniteLabelRowCount { get; private set; }

    /// <summary>
    /// Emits <c>(label - shift) / scale</c> as the target from now on (regression's label standardization); the
    /// default is the label itself (shift 0, scale 1).
    /// </summary>
    /// <param name="shift">Subtracted from every label (finite).</param>
    /// <param name="scale">Divides every shifted label (finite, greater than 0).</param>
    internal void SetTargetStandardization(float shift, float scale)
    {
        if (!float.IsFinite(shift)) throw new ArgumentOutOfRangeException(nameof(shift), shift, "The label shift must be finite.");
        if (!(scale > 0) || !float.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The label scale must be finite and greater than 0.");
        _targetShift = shift;
        _targetScale = scale;
    }

    /// <inheritdoc />
    public bool HasWeights => _weightColumn is not null;

    /// <summary>The number of rows read per epoch (skipped rows excluded).</summary>
    public long? RowCount { get; private set; }

    /// <summary>Rows skipped because their label is missing (key value 0).</summary>
    public long MissingLabelRowCount { get; private set; }

    /// <summary>Rows skipped because a feature is NaN or infinite (only with skipping on).</summary>
    public long NonFiniteFeatureRowCount { get; private set; }

    /// <summary>Whether shuffling uses the view's own shuffled cursors (true) or a window of buffered rows (false).</summary>
    public bool ShufflesThroughDataView => _data.CanShuffle;

    /// <inheritdoc />
    public void StartEpoch(Random? shuffleRandom)
    {
        CloseCursor();
        _epochOpen = true;
        if (_cached)
        {
            // The window holds every row: this epoch emits its slots, drawn as the streaming window would draw them.
            _windowRandom = shuffleRandom;
            _windowCount = _cacheOrder.Length;
            for (int slot = 0; slot < _cacheOrder.Length; slot++) _cacheOrder[slot] = slot;
            _cachePosition = 0;
            return;
        }

        bool useWindow = shuffleRandom is not null && !_data.CanShuffle;
        OpenCursor(useWindow ? null : shuffleRandom);
        _windowRandom = useWindow ? shuffleRandom : null;
        _windowCount = 0;
        if (useWindow)
        {
            while (_windowCount < _windowTargets.Length && ReadNextRow(WindowRow(_windowCount), out _windowTargets[_windowCount], out float weight))
            {
                if (HasWeights) _windowWeights[_windowCount] = weight;
                _windowCount++;
            }
        }
    }

    /// <inheritdoc />
    public int NextBatch(Span<float> features, Span<float> targets, Span<float> weights, int maxRows)
    {
        if (maxRows < 1) throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "A batch needs at least 1 row.");
        if (!_epochOpen) return 0;
        if (_cached) return NextCachedBatch(features, targets, weights, maxRows);
        int rows = 0;
        while (rows < maxRows)
        {
            Span<float> destination = features.Slice(rows * FeatureCount, FeatureCount);
            float weight;
            if (_windowRandom is not null)
            {
                if (_windowCount == 0) break;
                int slot = _windowRandom.Next(_windowCount);
                WindowRow(slot).CopyTo(destination);
                targets[rows] = _windowTargets[slot];
                weight = HasWeights ? _windowWeights[slot] : 1f;
                if (ReadNextRow(WindowRow(slot), out _windowTargets[slot], out float nextWeight))
                {
                    if (HasWeights) _windowWeights[slot] = nextWeight;
                }
                else
                {
                    // Data exhausted: move the last buffered row into the emptied slot.
                    _windowCount--;
                    WindowRow(_windowCount).CopyTo(WindowRow(slot));
                    _windowTargets[slot] = _windowTargets[_windowCount];
                    if (HasWeights) _windowWeights[slot] = _windowWeights[_windowCount];
                }
            }
            else if (!ReadNextRow(destination, out targets[rows], out weight))
            {
                break;
            }

            if (HasWeights) weights[rows] = weight;
            rows++;
        }

        if (rows == 0) CloseCursor();
        StandardizeTargets(targets[..rows]);
        return rows;
    }

    /// <summary>Closes the open cursor.</summary>
    public void Dispose() => CloseCursor();

    /// <summary>
    /// The next rows from the cache: in stored order, or each drawn uniformly from the rows not yet emitted, the drawn
    /// slot then taking the last remaining row (the streaming window's draw once the data is exhausted).
    /// </summary>
    private int NextCachedBatch(Span<float> features, Span<float> targets, Span<float> weights, int maxRows)
    {
        int rows = 0;
        while (rows < maxRows)
        {
            int row;
            if (_windowRandom is not null)
            {
                if (_windowCount == 0) break;
                int slot = _windowRandom.Next(_windowCount);
                row = _cacheOrder[slot];
                _windowCount--;
                _cacheOrder[slot] = _cacheOrder[_windowCount];
            }
            else
            {
                if (_cachePosition == _cacheOrder.Length) break;
                row = _cachePosition++;
            }

            WindowRow(row).CopyTo(features.Slice(rows * FeatureCount, FeatureCount));
            targets[rows] = _windowTargets[row];
            if (HasWeights) weights[rows] = _windowWeights[row];
            rows++;
        }

        if (rows == 0) _epochOpen = false;
        StandardizeTargets(targets[..rows]);
        return rows;
    }

    private void StandardizeTargets(Span<float> targets)
    {
        if (_targetShift == 0 && _targetScale == 1) return;
        TensorPrimitives.Subtract(targets, _targetShift, targets);
        TensorPrimitives.Divide(targets, _targetScale, targets);
    }

    private Span<float> WindowRow(int slot) => _windowFeatures.AsSpan(slot * FeatureCount, FeatureCount);

    /// <summary>
    /// Reads every row once in stored order: counts usable rows and fails on invalid values naming the row. With
    /// <paramref name="fillWindow"/>, stores the first usable rows in the window (growing it up to its size) and
    /// returns whether every usable row fitted, leaving their number in <c>_windowCount</c>.
    /// </summary>
    private bool Scan(bool fillWindow)
    {
        OpenCursor(null);
        long usable = 0, missingLabel = 0, nonFinite = 0, nonFiniteLabel = 0;
        var labels = new LabelAccumulator();
        var scratch = new float[FeatureCount];   // [D], a row that does not go to the window
        bool fits = fillWindow;
        _windowCount = 0;
        while (_reader!.MoveNext())
        {
            long row = _reader.Position;
            LabelStatus status = ReadLabel(out float target, out uint key);
            if (status == LabelStatus.Missing)
            {
                missingLabel++;
                continue;
            }

            if (key > ClassCount)
            {
                throw new InvalidDataException($"Row {row} of the {_description} has label key {key}, outside the key type's range 1..{ClassCount}.");
            }

            if (status == LabelStatus.NonFinite)
            {
                if (!_skipNonFiniteLabels)
                {
                    throw new InvalidDataException(
                        $"Row {row} of the {_description} has label {target} in column '{_labelColumn.Name}'; regression labels must be finite. " +
                        "Fix or filter such rows, or set Options.SkipRowsWithNonFiniteLabels = true to skip them.");
                }

                nonFiniteLabel++;
                continue;
            }

            bool toWindow = fillWindow && EnsureWindowSlot();
            Span<float> features = toWindow ? WindowRow(_windowCount) : scratch;
            int bad = _reader.ReadFeatures(features);
            if (bad >= 0)
            {
                if (!_skipNonFinite)
                {
                    throw new InvalidDataException(
                        $"Row {row} of the {_description} has {features[bad]} in feature {bad} of column '{_featureColumn.Name}'. " +
                        "Fix or filter such rows, or set Options.SkipRowsWithNonFiniteFeatures = true to skip them.");
                }

                nonFinite++;
                continue;
            }

            float weight = _reader.ReadWeight();
            if (HasWeights)
            {
                if (!(float.IsFinite(weight) && weight >= 0))
                {
                    throw new InvalidDataException(
                        $"Row {row} of the {_description} has weight {weight} in column '{_weightColumn!.Value.Name}'; example weights must be finite and at least 0.");
                }
            }

            if (toWindow)
            {
                _windowTargets[_windowCount] = target;
                if (HasWeights) _windowWeights[_windowCount] = weight;
                _windowCount++;
            }
            else
            {
                fits = false;
            }

            labels.Add(target);
            usable++;
        }

        CloseCursor();
        Labels = labels.Result();
        NonFiniteLabelRowCount = nonFiniteLabel;
        MissingLabelRowCount = missingLabel;
        NonFiniteFeatureRowCount = nonFinite;
        RowCount = usable;
        if (usable == 0)
        {
            throw new InvalidDataException(missingLabel + nonFinite + nonFiniteLabel == 0
                ? $"The {_description} has no rows."
                : nonFiniteLabel == 0
                    ? $"The {_description} has no usable rows: {missingLabel} rows have a missing label and {nonFinite} rows have non-finite features."
                    : $"The {_description} has no usable rows: {nonFiniteLabel} rows have a non-finite label and {nonFinite} rows have non-finite features.");
        }

        if (fits && _windowTargets.Length > _windowCount) ResizeWindow(_windowCount);
        return fits;
    }

    /// <summary>Makes room in the window for row <c>_windowCount</c>, doubling it up to its size; false when it is full.</summary>
    private bool EnsureWindowSlot()
    {
        if (_windowCount < _windowTargets.Length) return true;
        if (_windowTargets.Length == _windowSize) return false;
        long known = _data.GetRowCount() ?? 0;
        ResizeWindow((int)Math.Min(Math.Max(Math.Max(2L * _windowTargets.Length, known), InitialWindowRows), _windowSize));
        return true;
    }

    private void ResizeWindow(int rows)
    {
        Array.Resize(ref _windowFeatures, rows * FeatureCount);
        Array.Resize(ref _windowTargets, rows);
        if (HasWeights) Array.Resize(ref _windowWeights, rows);
    }

    /// <summary>Reads the next usable row into <paramref name="features"/>; false at the end of the data.</summary>
    private bool ReadNextRow(Span<float> features, out float target, out float weight)
    {
        target = 0;
        weight = 1f;
        while (_reader!.MoveNext())
        {
            LabelStatus status = ReadLabel(out target, out _);
            if (status == LabelStatus.Missing) continue;
            if (status == LabelStatus.NonFinite)
            {
                if (_skipNonFiniteLabels) continue;
                throw new InvalidDataException($"The {_description} changed after it was validated: a row now has label {target} in column '{_labelColumn.Name}'.");
            }

            int bad = _reader.ReadFeatures(features);
            if (bad >= 0)
            {
                if (_skipNonFinite) continue;
                throw new InvalidDataException(
                    $"The {_description} changed after it was validated: a row now has {features[bad]} in feature {bad} of column '{_featureColumn.Name}'.");
            }

            weight = _reader.ReadWeight();
            return true;
        }

        return false;
    }

    /// <summary>
    /// Reads the current row's label as a target (before standardization): the class index <c>key - 1</c>, 0 or 1, or
    /// the value. <paramref name="key"/> is the raw key (0 for non-key labels).
    /// </summary>
    private LabelStatus ReadLabel(out float target, out uint key)
    {
        double label = _reader!.ReadLabel();
        target = (float)label;
        key = _task == ModelTask.MulticlassClassification && !double.IsNaN(label) ? (uint)(label + 1) : 0;
        return _task switch
        {
            ModelTask.MulticlassClassification => key == 0 ? LabelStatus.Missing : LabelStatus.Usable,
            ModelTask.BinaryClassification => LabelStatus.Usable,
            _ => float.IsFinite(target) ? LabelStatus.Usable : LabelStatus.NonFinite,
        };
    }

    private enum LabelStatus
    {
        Usable,
        Missing,
        NonFinite,
    }

    private void OpenCursor(Random? shuffleRandom)
    {
        _reader = new DataViewRowReader(_data, _featureColumn, FeatureCount, _labelColumn, _weightColumn, shuffleRandom);
    }

    private void CloseCursor()
    {
        _epochOpen = false;
        _reader?.Dispose();
        _reader = null;
    }
}
