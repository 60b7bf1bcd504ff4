using System.Text.Json;
using MLNetJacobian.Network;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// Writes a trained network for reuse by other tools: <c>NAME.json</c> (architecture, preprocessing, training settings,
/// measured figures and every parameter) and <c>NAME.f32</c> (the same parameters as raw little-endian float32).
/// </summary>
/// <remarks>
/// Parameter layout (that of <see cref="FeedForwardNetwork{T}.Parameters"/>): for each dense layer in order,
/// <c>W_l [out, in]</c> row-major then <c>b_l [out]</c>; <c>a = W h + b</c>. Rebuild with
/// <c>FeedForwardNetwork&lt;float&gt;.FromParameters(new NetworkArchitecture(784, hidden, 10, activation), parameters)</c>.
/// </remarks>
internal static class SavedModel
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>Writes both files and returns the path of the JSON file.</summary>
    /// <param name="folder">The output folder (created when missing).</param>
    /// <param name="name">The base name of the files.</param>
    /// <param name="network">The trained network.</param>
    /// <param name="training">The training settings and figures to record (any JSON-serialisable object).</param>
    public static string Write(string folder, string name, FeedForwardNetwork<float> network, object training)
    {
        Directory.CreateDirectory(folder);
        string jsonPath = Path.Combine(folder, name + ".json"), rawPath = Path.Combine(folder, name + ".f32");
        NetworkArchitecture architecture = network.Architecture;
        float[] parameters = network.Parameters.ToArray();
        var document = new
        {
            format = "mlnetjacobian-network/1",
            layerSizes = architecture.LayerSizes,
            activation = architecture.Activation.ToString(),
            parameterLayout = "for each dense layer l in order: W_l [out, in] row-major, then b_l [out]; a = W h + b; logits linear",
            parameterCount = parameters.Length,
            rawParameterFile = Path.GetFileName(rawPath),
            input = new
            {
                description = "x = (pixel / 255 - mean) / std, pixels row-major 28x28",
                mean = MnistSplit.StandardMean,
                std = MnistSplit.StandardDeviation,
            },
            training,
            parameters,
        };
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(document, Compact));
        using (var stream = File.Create(rawPath))
        {
            stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(parameters.AsSpan()));
        }

        return jsonPath;
    }
}
