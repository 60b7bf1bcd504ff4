using System.Text.Json;
using MLNetJacobian.Network;

namespace MLNetJacobian.Tests.Network;

/// <summary>
/// One golden objective case from ../shared/data/golden (computed in float64 with PyTorch's double backward):
/// multiclass (softmax cross-entropy), binary (sigmoid log-loss on one logit) or regression (squared error or Huber
/// on one output). Matrices are flattened row-major; <see cref="Penalty"/> is the file's <c>penalty</c> field, which
/// is <c>(1/2) sum_i w_i R_i / sum_i w_i</c> (without lambda: <c>loss = data loss + lambda * penalty</c>). The one-output
/// files name their fields <c>outputs</c>, <c>data_loss</c> and <c>jacobian_norm_sq</c>; they are read into the same
/// properties as the multiclass <c>logits</c>, <c>cross_entropy</c> and <c>jacobian_frobenius_sq</c>.
/// </summary>
internal sealed class GoldenCase
{
    public required string Name { get; init; }
    /// <summary>multiclass, binary or regression.</summary>
    public required string Task { get; init; }
    /// <summary>The Huber loss's delta for a Huber regression case, else null (squared error).</summary>
    public required double? HuberDelta { get; init; }
    public required NetworkArchitecture Architecture { get; init; }
    public required int BatchSize { get; init; }
    public required double Lambda { get; init; }
    /// <summary>n_proj; -1 for the exact norm.</summary>
    public required int ProjectionCount { get; init; }
    public required double[] Parameters { get; init; }
    public required double[] Inputs { get; init; }            // [B, D]
    /// <summary>The targets: class indices (multiclass), 0/1 (binary) or values (regression).</summary>
    public required double[] Targets { get; init; }
    public required double[]? ExampleWeights { get; init; }
    public required double[]? Projections { get; init; }      // [P, B, C]
    public required double[] Logits { get; init; }            // [B, C]: logits, or the one output
    public required double CrossEntropy { get; init; }        // the data loss
    public required double Penalty { get; init; }
    public required double Loss { get; init; }
    public required double[] Jacobians { get; init; }         // [B, C, D]
    public required double[] JacobianFrobeniusSquared { get; init; }
    public required double[] Gradient { get; init; }          // the parameter layout of FeedForwardNetwork

    public bool IsExact => ProjectionCount < 0;

    /// <summary>The class indices of a multiclass case.</summary>
    public int[] Labels => Array.ConvertAll(Targets, target => (int)target);

    /// <summary>The head and data loss the case was computed with.</summary>
    public MLNetJacobian.Training.OutputLoss OutputLoss => Task switch
    {
        "multiclass" => MLNetJacobian.Training.OutputLoss.SoftmaxCrossEntropy,
        "binary" => MLNetJacobian.Training.OutputLoss.SigmoidLogLoss,
        _ => HuberDelta is double delta ? MLNetJacobian.Training.OutputLoss.Huber(delta) : MLNetJacobian.Training.OutputLoss.SquaredError,
    };

    /// <summary>
    /// The multiclass dense-network objective cases: every golden file with dense <c>layer_sizes</c>, expected
    /// cross-entropy and no <c>task</c> field (the binary, regression, convolutional and attack cases have their own tests).
    /// </summary>
    public static IEnumerable<string> ObjectiveFileNames() =>
        Directory.GetFiles(SharedData.PathOf("golden"), "*.json")
            .Where(IsMulticlassDenseCase)
            .Select(path => Path.GetFileName(path))
            .Order(StringComparer.Ordinal);

    private static bool IsMulticlassDenseCase(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement;
        bool multiclass = !root.TryGetProperty("task", out JsonElement task) || task.GetString() == "multiclass";
        return multiclass && root.TryGetProperty("layer_sizes", out _) && root.TryGetProperty("cross_entropy", out _);
    }

    /// <summary>The binary and regression cases: every golden file whose <c>task</c> is binary or regression.</summary>
    public static IEnumerable<string> OneOutputFileNames() =>
        Directory.GetFiles(SharedData.PathOf("golden"), "*.json")
            .Where(path =>
            {
                using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
                return document.RootElement.TryGetProperty("task", out JsonElement task) && task.GetString() is "binary" or "regression";
            })
            .Select(path => Path.GetFileName(path))
            .Order(StringComparer.Ordinal);

    public static GoldenCase Load(string fileName)
    {
        string path = SharedData.PathOf("golden", fileName);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement;
        int[] sizes = root.GetProperty("layer_sizes").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var architecture = new NetworkArchitecture(sizes[0], sizes[1..^1], sizes[^1], ParseActivation(root.GetProperty("hidden_activation").GetString()!));
        var parameters = new List<double>();
        JsonElement weights = root.GetProperty("weights"), biases = root.GetProperty("biases");
        JsonElement gradWeights = root.GetProperty("grad_weights"), gradBiases = root.GetProperty("grad_biases");
        var gradient = new List<double>();
        for (int l = 0; l < weights.GetArrayLength(); l++)
        {
            parameters.AddRange(Flatten(weights[l]));
            parameters.AddRange(Flatten(biases[l]));
            gradient.AddRange(Flatten(gradWeights[l]));
            gradient.AddRange(Flatten(gradBiases[l]));
        }

        string Field(string multiclassName, string oneOutputName) =>
            root.TryGetProperty(multiclassName, out _) ? multiclassName : oneOutputName;
        JsonElement huber = root.TryGetProperty("huber_delta", out JsonElement delta) ? delta : default;
        return new GoldenCase
        {
            Name = root.GetProperty("name").GetString()!,
            Task = root.TryGetProperty("task", out JsonElement task) ? task.GetString()! : "multiclass",
            HuberDelta = huber.ValueKind == JsonValueKind.Number ? huber.GetDouble() : null,
            Architecture = architecture,
            BatchSize = root.GetProperty("batch").GetInt32(),
            Lambda = root.GetProperty("lambda").GetDouble(),
            ProjectionCount = root.TryGetProperty("n_proj", out JsonElement projections) ? projections.GetInt32() : -1,
            Parameters = parameters.ToArray(),
            Inputs = Flatten(root.GetProperty("x")).ToArray(),
            Targets = root.GetProperty("y").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
            ExampleWeights = NullableArray(root.GetProperty("example_weights")),
            Projections = root.TryGetProperty("projections", out JsonElement vectors) ? NullableArray(vectors) : null,
            Logits = Flatten(root.GetProperty(Field("logits", "outputs"))).ToArray(),
            CrossEntropy = root.GetProperty(Field("cross_entropy", "data_loss")).GetDouble(),
            Penalty = root.GetProperty("penalty").GetDouble(),
            Loss = root.GetProperty("loss").GetDouble(),
            Jacobians = Flatten(root.GetProperty("jacobians")).ToArray(),
            JacobianFrobeniusSquared = Flatten(root.GetProperty(Field("jacobian_frobenius_sq", "jacobian_norm_sq"))).ToArray(),
            Gradient = gradient.ToArray(),
        };
    }

    private static Activation ParseActivation(string name) => name switch
    {
        "relu" => Activation.Relu,
        "tanh" => Activation.Tanh,
        "softplus" => Activation.Softplus,
        "gelu" => Activation.Gelu,
        _ => throw new InvalidDataException($"Unknown activation '{name}' in a golden file."),
    };

    private static double[]? NullableArray(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? null : Flatten(element).ToArray();

    private static IEnumerable<double> Flatten(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement child in element.EnumerateArray())
            {
                foreach (double value in Flatten(child)) yield return value;
            }
        }
        else
        {
            yield return element.GetDouble();
        }
    }
}
