// Loads an ML.NET zip saved by another process and scores rows read from a CSV file, with no registration call and
// no reference to the program that trained the model: only ML.NET, Microsoft.ML.OnnxTransformer and MLNetJacobian.
//
// Usage: MLNetJacobian.CrossProcess <model.zip> <rows.csv> <predictions.csv>
//   rows.csv: one row per line, "label,feature_1,...,feature_D" (invariant culture).
//   predictions.csv: one line per row, "predicted label,score_1,...,score_C[,probability]" (round-trip float format).
// The model's pipeline reads a Label (string for multiclass, Boolean for binary, Single for regression; the type is
// taken from the saved input schema) and a Vector<Single, D> Features column, and ends with a Score (vector or scalar),
// optionally a PredictedLabel (string or Boolean; empty when absent) and a Probability (binary). Exit code 0 on success.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length != 3)
{
    Console.Error.WriteLine("Usage: MLNetJacobian.CrossProcess <model.zip> <rows.csv> <predictions.csv>");
    return 2;
}

var context = new MLContext(seed: 0);
ITransformer model = context.Model.Load(args[0], out DataViewSchema inputSchema);
if (inputSchema["Features"].Type is not VectorDataViewType { IsKnownSize: true } featureType)
{
    Console.Error.WriteLine($"The saved input schema's Features column is {inputSchema["Features"].Type}, not a known-size vector.");
    return 3;
}

DataKind labelKind = inputSchema.GetColumnOrNull("Label")?.Type switch
{
    BooleanDataViewType => DataKind.Boolean,
    NumberDataViewType number when number == NumberDataViewType.Single => DataKind.Single,
    _ => DataKind.String,
};
var loader = context.Data.CreateTextLoader(
    [
        new TextLoader.Column("Label", labelKind, 0),
        new TextLoader.Column("Features", DataKind.Single, 1, featureType.Size),
    ],
    separatorChar: ',', hasHeader: false);
IDataView rows = loader.Load(args[1]);
IDataView scored = model.Transform(rows);

DataViewSchema schema = scored.Schema;
float[][] scores = schema["Score"].Type is VectorDataViewType
    ? scored.GetColumn<float[]>("Score").ToArray()
    : scored.GetColumn<float>("Score").Select(score => new[] { score }).ToArray();
string[] predicted = schema.GetColumnOrNull("PredictedLabel")?.Type switch
{
    null => new string[scores.Length],
    BooleanDataViewType => scored.GetColumn<bool>("PredictedLabel").Select(value => value.ToString()).ToArray(),
    _ => scored.GetColumn<string>("PredictedLabel").ToArray(),
};
float[]? probabilities = schema.GetColumnOrNull("Probability") is null ? null : scored.GetColumn<float>("Probability").ToArray();
using (var writer = new StreamWriter(args[2]))
{
    for (int i = 0; i < scores.Length; i++)
    {
        IEnumerable<float> values = probabilities is null ? scores[i] : [.. scores[i], probabilities[i]];
        writer.WriteLine(string.Join(",", [predicted[i] ?? string.Empty, .. values.Select(s => s.ToString("R", CultureInfo.InvariantCulture))]));
    }
}

Console.WriteLine($"Scored {scores.Length} rows.");
return 0;
