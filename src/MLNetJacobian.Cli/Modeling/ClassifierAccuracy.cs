using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Cli.Data;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>Accuracy of a multiclass model: arg-max of the Score column against the key label the model maps.</summary>
internal static class ClassifierAccuracy
{
    /// <summary>The fraction of rows of <paramref name="data"/> whose arg-max score is their label.</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="model">A multiclass model.</param>
    /// <param name="data">The rows, with a <c>Label</c> column.</param>
    public static double Measure(MLContext context, ITransformer model, IDataView data)
    {
        IDataView scored = model.Transform(LabelKeys.AlignWithScores(context, model, data));
        DataViewSchema.Column label = scored.Schema[LoadedData.LabelColumnName];
        DataViewSchema.Column score = scored.Schema[ModelColumns.Score];
        if (label.Type is not KeyDataViewType)
        {
            throw CliException.InvalidModel($"the model leaves the '{LoadedData.LabelColumnName}' column as {label.Type}, not a key; accuracy needs the label mapped to classes.");
        }

        using DataViewRowCursor cursor = scored.GetRowCursor([label, score]);
        ValueGetter<uint> getLabel = cursor.GetGetter<uint>(label);
        ValueGetter<VBuffer<float>> getScore = cursor.GetGetter<VBuffer<float>>(score);
        uint key = 0;
        VBuffer<float> scores = default;
        long correct = 0;
        long total = 0;
        while (cursor.MoveNext())
        {
            getLabel(ref key);
            getScore(ref scores);
            if (key == 0) continue;
            int best = 0;
            ReadOnlySpan<float> values = scores.GetValues();
            for (int k = 1; k < values.Length; k++)
            {
                if (values[k] > values[best]) best = k;
            }

            total++;
            if (best == key - 1) correct++;
        }

        return total == 0 ? double.NaN : (double)correct / total;
    }
}
