using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Data;

namespace MLNetJacobian.Tests.Trainers;

/// <summary>Rows of a labelled data set as ML.NET sees them: Features (Vector&lt;Single, D&gt;) and Label (string class name).</summary>
public sealed class LabeledRow
{
    /// <summary>The features.</summary>
    public float[] Features { get; set; } = [];

    /// <summary>The class name.</summary>
    public string Label { get; set; } = string.Empty;
}

/// <summary>Builds data views of the embedded digits and other small test sets.</summary>
internal static class TestData
{
    /// <summary>The digits (pixels scaled to [0, 1]) as an IDataView with a known-size feature vector.</summary>
    public static IDataView Digits(MLContext context, int? take = null)
    {
        LabeledDataset digits = DigitsDataset.Load(scaleToUnitInterval: true);
        return View(context, digits, take);
    }

    /// <summary>A labelled data set as an IDataView (Features: Vector&lt;Single, D&gt;, Label: string).</summary>
    public static IDataView View(MLContext context, LabeledDataset data, int? take = null)
    {
        int count = Math.Min(take ?? data.Count, data.Count);
        var rows = new LabeledRow[count];
        for (int i = 0; i < count; i++)
        {
            rows[i] = new LabeledRow { Features = data.Row(i).ToArray(), Label = data.ClassNames[data.Labels[i]] };
        }

        return context.Data.LoadFromEnumerable(rows, Definition(data.FeatureCount));
    }

    /// <summary>The schema definition of <see cref="LabeledRow"/> with a feature vector of size <paramref name="featureCount"/>.</summary>
    public static SchemaDefinition Definition(int featureCount)
    {
        SchemaDefinition definition = SchemaDefinition.Create(typeof(LabeledRow));
        definition[nameof(LabeledRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return definition;
    }

    /// <summary>The features of every row of a view, row-major.</summary>
    public static float[] Features(IDataView view, string column = "Features") =>
        view.GetColumn<float[]>(column).SelectMany(row => row).ToArray();
}
