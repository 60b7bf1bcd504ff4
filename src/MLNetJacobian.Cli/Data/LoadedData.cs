using Microsoft.ML;
using MLNetJacobian.Network;

namespace MLNetJacobian.Cli.Data;

/// <summary>
/// A data set ready for ML.NET: a <c>Label</c> column (Single class values, or String for text labels) and a
/// <c>Features</c> column (a known-size vector of Single), split into training and test views.
/// </summary>
/// <param name="Source">The data's short name: the file or folder, or <c>embedded digits</c>.</param>
/// <param name="Description">Where the data came from, for the console and the reports.</param>
/// <param name="Train">The training rows.</param>
/// <param name="Test">The test rows.</param>
/// <param name="All">Every row.</param>
/// <param name="TrainCount">Rows in <paramref name="Train"/>.</param>
/// <param name="TestCount">Rows in <paramref name="Test"/>.</param>
/// <param name="FeatureCount">D, the length of the feature vector.</param>
/// <param name="ClassNames">The distinct labels of the data, in the order of ML.NET's keys (numeric, else ordinal).</param>
/// <param name="LowerBound">The smallest valid feature value (attacks clip to it).</param>
/// <param name="UpperBound">The largest valid feature value.</param>
/// <param name="Image">The image shape of the features, when they are pixels.</param>
internal sealed record LoadedData(
    string Source,
    string Description,
    IDataView Train,
    IDataView Test,
    IDataView All,
    int TrainCount,
    int TestCount,
    int FeatureCount,
    IReadOnlyList<string> ClassNames,
    float LowerBound,
    float UpperBound,
    ImageShape? Image)
{
    /// <summary>The data's identity for <see cref="Modeling.TrainingRunRecord"/>: <c>embedded digits</c>, or a hash of the file(s).</summary>
    public string Fingerprint { get; init; } = Source;

    /// <summary>Whether the test rows were split off the data by <c>--test-fraction</c> and <c>--split-seed</c>.</summary>
    public bool SplitMade { get; init; }

    /// <summary>The smallest feature value of the data (the lower bound when not measured).</summary>
    public float FeatureMinimum { get; init; } = LowerBound;

    /// <summary>The largest feature value of the data (the upper bound when not measured).</summary>
    public float FeatureMaximum { get; init; } = UpperBound;

    /// <summary>What the loader noticed and the user should know (rare classes, scaling), printed before any work.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The task the label was read for: multiclass (a Single or text label), binary (Boolean) or regression (Single).</summary>
    public LearningTask Task { get; init; } = LearningTask.Multiclass;

    /// <summary>
    /// The one-hot encoding of categorical columns and the concatenation into <see cref="FeatureColumnName"/>, fitted on
    /// the training rows (<see cref="Train"/>, <see cref="Test"/> and <see cref="All"/> are its output): a saved model
    /// starts with it, so the zip takes the raw columns. Null without categorical columns.
    /// </summary>
    public Microsoft.ML.ITransformer? Featurizer { get; init; }

    /// <summary>The header names of the numeric features, the first slots of the feature column (null without a header).</summary>
    public IReadOnlyList<string>? NumericFeatureNames { get; init; }

    /// <summary>The schema of the rows before <see cref="Featurizer"/> (null without it).</summary>
    public DataViewSchema? RawSchema { get; init; }

    /// <summary>The input schema a saved model takes: the raw columns but the label with a featurizer, else the feature column alone.</summary>
    public DataViewSchema ModelInputSchema
    {
        get
        {
            if (RawSchema is null) return Modeling.FeatureSchema.Of(Train.Schema);
            var builder = new DataViewSchema.Builder();
            foreach (DataViewSchema.Column column in RawSchema.Where(c => !c.IsHidden && c.Name != LabelColumnName)) builder.AddColumn(column.Name, column.Type, column.Annotations);
            return builder.ToSchema();
        }
    }

    /// <summary>The name of the label column in <see cref="Train"/> and <see cref="Test"/>.</summary>
    public const string LabelColumnName = "Label";

    /// <summary>The name of the feature column.</summary>
    public const string FeatureColumnName = "Features";

    /// <summary>The rows of the requested part.</summary>
    /// <param name="split">Which part.</param>
    public (IDataView View, int Count) Part(DataSplit split) => split switch
    {
        DataSplit.Train => (Train, TrainCount),
        DataSplit.Test => (Test, TestCount),
        _ => (All, TrainCount + TestCount),
    };
}
