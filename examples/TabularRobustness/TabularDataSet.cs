using Microsoft.ML;
using Microsoft.ML.Data;

namespace TabularRobustness;

/// <summary>
/// One prepared data set: the training and test rows with a <c>Label</c> column and a <c>Features</c> vector (with slot
/// names) that every model is trained on, the featurizer fitted on the training rows only, and what was done to get them.
/// </summary>
/// <param name="Name">The data set's name, as the tables print it.</param>
/// <param name="Train">The featurized training rows (cached).</param>
/// <param name="Test">The featurized test rows (cached).</param>
/// <param name="TrainCount">How many training rows.</param>
/// <param name="TestCount">How many test rows.</param>
/// <param name="SlotNames">The names of the feature vector's slots, in order.</param>
/// <param name="Preparation">One sentence on the rows kept and the features built.</param>
/// <param name="Featurizer">The featurizer fitted on the training rows (raw columns to <c>Features</c>).</param>
public sealed record TabularDataSet(string Name, IDataView Train, IDataView Test, int TrainCount, int TestCount, IReadOnlyList<string> SlotNames,
    string Preparation, ITransformer Featurizer)
{
    /// <summary>The feature column every model reads.</summary>
    public const string Features = "Features";

    /// <summary>The label column every model reads.</summary>
    public const string Label = "Label";

    /// <summary>Fits <paramref name="featurizer"/> on the training rows, applies it to both sets and caches them.</summary>
    public static TabularDataSet Prepare(MLContext mlContext, string name, IDataView train, IDataView test, IEstimator<ITransformer> featurizer,
        string preparation)
    {
        ITransformer fitted = featurizer.Fit(train);
        IDataView featurizedTrain = mlContext.Data.Cache(fitted.Transform(train));
        IDataView featurizedTest = mlContext.Data.Cache(fitted.Transform(test));
        var slotNames = default(VBuffer<ReadOnlyMemory<char>>);
        featurizedTrain.Schema[Features].GetSlotNames(ref slotNames);
        return new TabularDataSet(name, featurizedTrain, featurizedTest, CountRows(featurizedTrain), CountRows(featurizedTest),
            slotNames.DenseValues().Select(s => s.ToString()).ToArray(), preparation, fitted);
    }

    private static int CountRows(IDataView view)
    {
        int count = 0;
        using var cursor = view.GetRowCursor([]);
        while (cursor.MoveNext()) count++;
        return count;
    }
}
