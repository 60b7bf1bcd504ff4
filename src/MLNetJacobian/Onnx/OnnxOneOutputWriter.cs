using MLNetJacobian.Network;
using MLNetJacobian.Trainers;
using MLNetJacobian.Models;
using static MLNetJacobian.Onnx.OnnxFieldNumbers;

namespace MLNetJacobian.Onnx;

/// <summary>
/// Writes a one-output network (binary classification or regression) as an ONNX model (opset 13) that ONNX Runtime and
/// ML.NET's <c>ApplyOnnxModel</c> load.
/// </summary>
/// <remarks>
/// <code>
/// z = layers (x)                              // x: [N, D] float; z: [N, 1], the network's raw output (OnnxClassifierWriter.AddNetwork)
/// regression: Score = Reshape(z * scale + shift, [-1])   // [N], the prediction in the label's units
/// binary:     Score = Reshape(z, [-1])                   // [N], the logit
///             Probability = Sigmoid(Score)               // [N]
///             PredictedLabel = Greater(Score, 0)         // [N] bool, as ML.NET's binary trainers decide
/// </code>
/// <para>For ML.NET the same graph is written for one row per run (input <c>[D]</c>, outputs <c>[1]</c>). The
/// metadata records the task and, for regression, the label shift and scale (the standardization undone by the
/// graph), so that the reader restores the network exactly.</para>
/// </remarks>
internal static class OnnxOneOutputWriter
{
    /// <summary>The metadata key of the task (<c>BinaryClassification</c> or <c>Regression</c>).</summary>
    public const string TaskKey = "MLNetJacobian.Task";

    /// <summary>The metadata key of the label shift (the training labels' mean when standardized, else 0), round-trip text.</summary>
    public const string LabelShiftKey = "MLNetJacobian.LabelShift";

    /// <summary>The metadata key of the label scale (the training labels' standard deviation when standardized, else 1), round-trip text.</summary>
    public const string LabelScaleKey = "MLNetJacobian.LabelScale";

    private const string Prefix = OnnxClassifierNames.InternalPrefix;

    /// <summary>Returns the serialized model.</summary>
    /// <param name="model">The network, task and label scaling.</param>
    /// <param name="inputName">The float input, <c>[N, D]</c> (or <c>[D]</c> for one row).</param>
    /// <param name="scoreName">The Score output.</param>
    /// <param name="probabilityName">The Probability output (binary only).</param>
    /// <param name="predictedLabelName">The PredictedLabel output (binary only), or null to leave it out.</param>
    /// <param name="layout">Batched (for ONNX Runtime) or one row per run (for ML.NET).</param>
    public static byte[] ToBytes(JacobianRegularizedOneOutputModelParameters model, string inputName, string scoreName, string probabilityName,
        string? predictedLabelName, OnnxRowLayout layout)
    {
        NetworkArchitecture architecture = model.Architecture;
        bool binary = model.Task == ModelTask.BinaryClassification;
        bool singleRow = layout == OnnxRowLayout.SingleRow;
        var graph = new OnnxGraphBuilder();
        graph.AddMetadata(TaskKey, model.Task.ToString());
        graph.AddMetadata(LabelShiftKey, model.LabelShift.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        graph.AddMetadata(LabelScaleKey, model.LabelScale.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        foreach ((string key, string value) in OnnxArchitectureRecord.Write(architecture)) graph.AddMetadata(key, value);
        TensorDimension rows = singleRow ? TensorDimension.Fixed(1) : TensorDimension.Symbolic("N");
        TensorDimension features = TensorDimension.Fixed(architecture.InputSize);

        string input = inputName;
        if (singleRow)
        {
            graph.AddInput(inputName, DataTypeFloat, features);
            graph.AddInt64Initializer($"{Prefix}row_axis", [0]);
            input = $"{Prefix}input_row";
            graph.AddNode("Unsqueeze", $"{Prefix}unsqueeze_input", [inputName, $"{Prefix}row_axis"], [input]);
        }
        else
        {
            graph.AddInput(inputName, DataTypeFloat, TensorDimension.Symbolic("N"), features);
        }

        string output = OnnxClassifierWriter.AddNetwork(graph, architecture, model.Parameters, input, null);   // z: [N, 1]
        graph.AddInt64Initializer($"{Prefix}flat_shape", [-1]);
        if (!binary)
        {
            graph.AddFloatInitializer($"{Prefix}label_scale", [], [model.LabelScale]);
            graph.AddFloatInitializer($"{Prefix}label_shift", [], [model.LabelShift]);
            graph.AddNode("Mul", $"{Prefix}unscale", [output, $"{Prefix}label_scale"], [$"{Prefix}scaled_output"]);
            graph.AddNode("Add", $"{Prefix}unshift", [$"{Prefix}scaled_output", $"{Prefix}label_shift"], [$"{Prefix}prediction"]);
            output = $"{Prefix}prediction";
        }

        graph.AddNode("Reshape", $"{Prefix}flatten_score", [output, $"{Prefix}flat_shape"], [scoreName]);
        graph.AddOutput(scoreName, DataTypeFloat, rows);
        if (binary)
        {
            graph.AddNode("Sigmoid", $"{Prefix}sigmoid", [scoreName], [probabilityName]);
            graph.AddOutput(probabilityName, DataTypeFloat, rows);
            if (predictedLabelName is not null)
            {
                graph.AddFloatInitializer($"{Prefix}zero", [], [0f]);
                graph.AddNode("Greater", $"{Prefix}decide", [scoreName, $"{Prefix}zero"], [predictedLabelName]);
                graph.AddOutput(predictedLabelName, DataTypeBool, rows);
            }
        }

        string kind = binary ? "binary classifier" : "regressor";
        return graph.ToModel(binary ? "JacobianRegularizedBinaryClassifier" : "JacobianRegularizedRegressor", OnnxClassifierWriter.OpsetVersion, null,
            $"Jacobian-regularized feedforward {kind} {architecture}.");
    }
}
