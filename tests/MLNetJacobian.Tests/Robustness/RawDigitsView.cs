using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetJacobian.Tests.Robustness;

/// <summary>The embedded digits in raw pixels (0..16) as an IDataView with <c>Features</c> and a Single <c>Digit</c>.</summary>
internal static class RawDigitsView
{
    /// <summary>A new seeded MLContext and the digits loaded through it (each test class keeps its own context).</summary>
    public static (MLContext Context, IDataView Data) Create()
    {
        var context = new MLContext(seed: 1);
        var digits = MLNetJacobian.Data.DigitsDataset.Load();
        var rows = Enumerable.Range(0, digits.Count).Select(i => new DigitRow { Features = digits.Row(i).ToArray(), Digit = digits.Labels[i] });
        return (context, context.Data.LoadFromEnumerable(rows.ToList()));
    }

    private sealed class DigitRow
    {
        [VectorType(64)]
        public float[] Features { get; set; } = [];

        public float Digit { get; set; }
    }
}
