using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Data;

namespace MLNetJacobian.Cli.Data;

/// <summary>Reads the Label (a key) and Features columns of a view into the library's in-memory <see cref="LabeledDataset"/>.</summary>
internal static class DataViewRows
{
    /// <summary>The first <paramref name="maxRows"/> rows (all when null) whose label is a known class.</summary>
    /// <param name="data">A view with the <c>Features</c>, and a <c>Label</c> key numbered like <paramref name="classNames"/> unless <paramref name="labelSource"/> is given.</param>
    /// <param name="featureCount">D.</param>
    /// <param name="classNames">The class names (C).</param>
    /// <param name="maxRows">At most this many rows, or null.</param>
    /// <param name="labelSource">
    /// A row-aligned view whose <c>Label</c> is that key, e.g. the model's own output when the model maps the label
    /// itself (a <c>MapValueToKey</c> inside the model), or null to read the label from <paramref name="data"/>.
    /// </param>
    public static LabeledDataset Read(IDataView data, int featureCount, IReadOnlyList<string> classNames, int? maxRows, IDataView? labelSource = null)
    {
        DataViewSchema.Column features = data.Schema[LoadedData.FeatureColumnName];
        IDataView labelView = labelSource ?? data;
        DataViewSchema.Column label = labelView.Schema[LoadedData.LabelColumnName];
        if (label.Type is not KeyDataViewType { RawType: var raw } || raw != typeof(uint))
        {
            throw CliException.InvalidData($"the '{LoadedData.LabelColumnName}' column is {label.Type}; a key numbered like the model's classes is needed.");
        }
        if (features.Type is not VectorDataViewType { Size: var size } || size != featureCount)
        {
            throw CliException.InvalidData($"the data's '{LoadedData.FeatureColumnName}' column is {features.Type}; a vector of {featureCount} Singles is needed.");
        }

        var values = new List<float>();
        var labels = new List<int>();
        // Without a separate label view one cursor reads both columns; with one, two unshuffled cursors over
        // row-aligned views step in lockstep.
        using DataViewRowCursor cursor = labelSource is null ? data.GetRowCursor([label, features]) : data.GetRowCursor([features]);
        using DataViewRowCursor? labelCursor = labelSource?.GetRowCursor([label]);
        ValueGetter<uint> getLabel = (labelCursor ?? cursor).GetGetter<uint>(label);
        ValueGetter<VBuffer<float>> getFeatures = cursor.GetGetter<VBuffer<float>>(features);
        uint key = 0;
        VBuffer<float> row = default;
        var dense = new float[featureCount];
        int limit = maxRows ?? int.MaxValue;
        while (labels.Count < limit && cursor.MoveNext())
        {
            if (labelCursor is not null && !labelCursor.MoveNext())
            {
                throw new InvalidOperationException("The label view ended before the feature view; the two views are not row-aligned.");
            }

            getLabel(ref key);
            if (key == 0 || key > classNames.Count) continue;
            getFeatures(ref row);
            row.CopyTo(dense);
            values.AddRange(dense);
            labels.Add((int)key - 1);
        }

        if (labels.Count == 0) throw CliException.InvalidData("the data holds no row whose label is one of the model's classes.");
        return new LabeledDataset(values.ToArray(), labels.ToArray(), featureCount, classNames);
    }
}
