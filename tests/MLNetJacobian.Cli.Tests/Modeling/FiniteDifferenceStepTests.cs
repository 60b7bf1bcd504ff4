using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Analysis;
using MLNetJacobian.Cli.Modeling;
using MLNetJacobian.Data;
using MLNetJacobian.Models;

namespace MLNetJacobian.Cli.Tests.Modeling;

/// <summary>
/// analyze and compare differentiate models without exact Jacobians with a step scaled to each feature's range
/// (issue 15, item 17), not one absolute step: 1e-3 is far too small for 0..255 pixels and too large for features in thousandths.
/// </summary>
public sealed class FiniteDifferenceStepTests
{
    [Fact]
    public void FromZipAndCompareNorms_ModelWithoutExactJacobian_StepIsRelativeStepTimesEachFeaturesRange()
    {
        var context = new MLContext(seed: 1);
        var random = new Random(5);
        // Feature 0 spans [0, 255] (pixels), feature 1 spans [0, 0.002] (thousandths).
        Row[] rows = Enumerable.Range(0, 60).Select(i => new Row
        {
            Label = i % 2,
            Features = [i % 2 == 0 ? 0f : 255f, (float)(random.NextDouble() * 0.002)],
        }).ToArray();
        rows[1].Features[1] = 0.002f;
        rows[2].Features[1] = 0f;
        SchemaDefinition schema = SchemaDefinition.Create(typeof(Row));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 2);
        IDataView data = context.Data.LoadFromEnumerable(rows, schema);
        // LightGbm-like from the tool's view: a zip's chain it cannot differentiate exactly.
        IDataView keyed = context.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        ITransformer model = context.MulticlassClassification.Trainers.NaiveBayes().Fit(keyed);
        var dataset = new LabeledDataset(rows.SelectMany(r => r.Features).ToArray(), rows.Select(r => (int)r.Label).ToArray(), 2, ["0", "1"]);

        (_, IModel analyzed) = ModelAnalysis.FromZip("nb", "nb.zip", model, data.Schema, dataset, 1e-3, out string jacobians);
        var differences = Assert.IsType<FiniteDifferenceJacobian>(analyzed);

        Assert.Equal(255 * 1e-3, differences.Steps[0], 9);
        Assert.Equal(0.002 * 1e-3, differences.Steps[1], 9);
        Assert.Contains("step 0.001 x each feature's range over 60 rows", jacobians, StringComparison.Ordinal);

        // compare's mean ||J||_F goes through the same construction.
        var trained = new TrainedModel("nb", model, data.Schema, null, null);
        (double norm, string kind) = JacobianNorms.Measure(trained, dataset, 10, 1e-3);
        Assert.True(double.IsFinite(norm), kind);
        Assert.Equal(JacobianNorms.ScoreDifferences, kind);
    }

    private sealed class Row
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
