using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Data;

namespace MLNetJacobian.Cli.Data;

/// <summary>Turns the library's in-memory <see cref="LabeledDataset"/> into an ML.NET view with Label and Features columns.</summary>
internal static class LabeledDataViews
{
    /// <summary>
    /// A view whose <c>Label</c> is the class name as a Single when every class name is a number (digits, MNIST),
    /// else the class name as text, and whose <c>Features</c> is a vector of D Singles.
    /// </summary>
    /// <remarks>The rows are read from the data sets as the view is cursored, not copied.</remarks>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="parts">The rows: one data set, or several with the same features and classes, one after the other.</param>
    public static IDataView ToDataView(MLContext context, params LabeledDataset[] parts)
    {
        LabeledDataset first = parts[0];
        bool numeric = first.ClassNames.All(name => float.TryParse(name, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        int d = first.FeatureCount;
        if (numeric)
        {
            float[] values = first.ClassNames.Select(name => float.Parse(name, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
            IEnumerable<NumericRow> rows = parts.SelectMany(data => Enumerable.Range(0, data.Count)
                .Select(i => new NumericRow { Label = values[data.Labels[i]], Features = data.Row(i).ToArray() }));
            return context.Data.LoadFromEnumerable(rows, SchemaFor<NumericRow>(d));
        }

        IEnumerable<TextRow> textRows = parts.SelectMany(data => Enumerable.Range(0, data.Count)
            .Select(i => new TextRow { Label = data.ClassNames[data.Labels[i]], Features = data.Row(i).ToArray() }));
        return context.Data.LoadFromEnumerable(textRows, SchemaFor<TextRow>(d));
    }

    private static SchemaDefinition SchemaFor<TRow>(int featureCount)
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(TRow));
        schema[LoadedData.FeatureColumnName].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return schema;
    }

    /// <summary>A row with a numeric label.</summary>
    private sealed class NumericRow
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];
    }

    /// <summary>A row with a text label.</summary>
    private sealed class TextRow
    {
        public string Label { get; set; } = string.Empty;

        public float[] Features { get; set; } = [];
    }
}
