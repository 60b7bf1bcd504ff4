using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Data;

namespace MLNetJacobian.Cli.Data;

/// <summary>Reads the Label (a key) and Features columns of a view into the library's in-memory <see cref="LabeledDataset"/>.</summary>
internal static class DataViewRows
{
    /// <summary>The first <paramref name="maxRows"/> rows (all when null) whose label is a known class.</summary>
    /// <param name="data">A view whose <c>Label</c> is a key numbered like <paramref name="classNames"/>.</param>
    /// <param name="featureCount">D.</param>
    /// <param name="classNames">The class names (C).</param>
    /// <param name="maxRows">At most this many rows, or null.</param>
    public static LabeledDataset Read(IDataView data, int featureCount, IReadOnlyList<string> classNames, int? maxRows)
    {
        DataViewSchema.Column label = data.Schema[LoadedData.LabelColumnName];
        DataViewSchema.Column features = data.Schema[LoadedData.FeatureColumnName];
        if (features.Type is not VectorDataViewType { Size: var size } || size != featureCount)
        {
            throw CliException.InvalidData($"the data's '{LoadedData.FeatureColumnName}' column is {features.Type}; a vector of {featureCount} Singles is needed.");
        }

        var values = new List<float>();
        var labels = new List<int>();
        using DataViewRowCursor cursor = data.GetRowCursor([label, features]);
        ValueGetter<uint> getLabel = cursor.GetGetter<uint>(label);
        ValueGetter<VBuffer<float>> getFeatures = cursor.GetGetter<VBuffer<float>>(features);
        uint key = 0;
        VBuffer<float> row = default;
        var dense = new float[featureCount];
        int limit = maxRows ?? int.MaxValue;
        while (labels.Count < limit && cursor.MoveNext())
        {
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
