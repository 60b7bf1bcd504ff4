// Loads an ML.NET zip saved by another process and scores rows read from a CSV file, with no registration call and
// no reference to the program that trained the model: only ML.NET, Microsoft.ML.OnnxTransformer and MLNetJacobian.
//
// Usage: MLNetJacobian.CrossProcess <model.zip> <rows.csv> <predictions.csv>
//   rows.csv: one row per line, "label,feature_1,...,feature_D" (invariant culture).
//   predictions.csv: one line per row, "predicted label,score_1,...,score_C" (round-trip float format).
// The model's pipeline must read a string Label and a Vector<Single, D> Features column and end with a string
// PredictedLabel (MapKeyToValue) and a Score vector. Prints the accuracy; exit code 0 on success.
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

var loader = context.Data.CreateTextLoader(
    [
        new TextLoader.Column("Label", DataKind.String, 0),
        new TextLoader.Column("Features", DataKind.Single, 1, featureType.Size),
    ],
    separatorChar: ',', hasHeader: false);
IDataView rows = loader.Load(args[1]);
IDataView scored = model.Transform(rows);

string[] labels = rows.GetColumn<string>("Label").ToArray();
string[] predicted = scored.GetColumn<string>("PredictedLabel").ToArray();
float[][] scores = scored.GetColumn<float[]>("Score").ToArray();
using (var writer = new StreamWriter(args[2]))
{
    for (int i = 0; i < predicted.Length; i++)
    {
        writer.WriteLine(string.Join(",", [predicted[i], .. scores[i].Select(s => s.ToString("R", CultureInfo.InvariantCulture))]));
    }
}

int correct = labels.Zip(predicted).Count(pair => pair.First == pair.Second);
Console.WriteLine($"Scored {predicted.Length} rows: accuracy {correct / (double)predicted.Length:F4}.");
return 0;
