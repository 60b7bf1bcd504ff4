using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetJacobian.Tests.Trainers;

/// <summary>Small binary and regression data sets for the one-output trainers' tests.</summary>
internal static class OneOutputTestData
{
    /// <summary>A binary row: Boolean label, features.</summary>
    public sealed class BinaryRow
    {
        public bool Label { get; set; }
        public float[] Features { get; set; } = [];
        public float Weight { get; set; } = 1;
    }

    /// <summary>A regression row: Single label, features.</summary>
    public sealed class RegressionRow
    {
        public float Label { get; set; }
        public float[] Features { get; set; } = [];
        public float Weight { get; set; } = 1;
    }

    /// <summary>
    /// Breast cancer (UCI Wisconsin diagnostic, 569 rows, 30 features, label malignant) from ../shared/data/tabular,
    /// each feature standardized with the mean and standard deviation of all rows (the tests compare models, not a
    /// protocol; the example project standardizes on the training split only).
    /// </summary>
    public static BinaryRow[] BreastCancer()
    {
        string[] lines = File.ReadAllLines(SharedData.PathOf("tabular", "breast-cancer.csv"));
        float[][] values = lines.Skip(1).Select(line => line.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        int featureCount = values[0].Length - 1;
        for (int j = 0; j < featureCount; j++)
        {
            double mean = values.Average(row => row[j]);
            double std = Math.Sqrt(values.Average(row => (row[j] - mean) * (row[j] - mean)));
            foreach (float[] row in values) row[j] = (float)((row[j] - mean) / std);
        }

        return values.Select(row => new BinaryRow { Label = row[^1] == 1, Features = row[..^1] }).ToArray();
    }

    /// <summary>
    /// A smooth regression: <c>y = 50 + 20 (3 sin x0 + 2 x1 - x2^2 + 0.5 x3 x4) + noise</c>, x uniform in [-1, 1]^5,
    /// noise normal with standard deviation 2 (label units).
    /// </summary>
    public static RegressionRow[] Smooth(int rows, int seed, float labelScale = 20, float labelShift = 50)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ =>
        {
            float[] x = Enumerable.Range(0, 5).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
            double f = 3 * Math.Sin(x[0]) + 2 * x[1] - x[2] * x[2] + 0.5 * x[3] * x[4];
            double noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return new RegressionRow { Label = (float)(labelShift + labelScale * f + 2 * noise), Features = x };
        }).ToArray();
    }

    public static IDataView View<TRow>(MLContext context, IEnumerable<TRow> rows, int featureCount) where TRow : class
    {
        SchemaDefinition definition = SchemaDefinition.Create(typeof(TRow));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return context.Data.LoadFromEnumerable(rows, definition);
    }
}
