using System.Globalization;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;
using MLNetJacobian.Models;

namespace MLNetJacobian.Onnx;

/// <summary>
/// Reads back the one-output network (binary classifier or regressor) of an ONNX model written by
/// <see cref="OnnxOneOutputWriter"/> (batched or one-row layout): the architecture from its metadata record, the
/// parameters from the <c>dense{l}</c>/<c>conv{l}</c> initializers, the task and, for regression, the label shift and
/// scale from the metadata. Any other graph is rejected with a reason.
/// </summary>
internal static class OnnxOneOutputReader
{
    private static readonly HashSet<string> WrittenOpTypes = new(StringComparer.Ordinal)
    {
        "Unsqueeze", "Gemm", "Relu", "Tanh", "Softplus", "Mul", "Erf", "Add", "Reshape", "Sigmoid", "Greater",
        "Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "Flatten",
    };

    /// <summary>Reads the model, or says why the bytes are not one written by <see cref="OnnxOneOutputWriter"/>.</summary>
    /// <param name="model">A serialized ONNX <c>ModelProto</c>.</param>
    /// <param name="parameters">The network, task and label scaling when the method returns true.</param>
    /// <param name="inputName">The graph's input (the feature column) when the method returns true.</param>
    /// <param name="reason">Why the graph was rejected, else empty.</param>
    public static bool TryRead(ReadOnlySpan<byte> model, out JacobianRegularizedOneOutputModelParameters? parameters, out string inputName, out string reason)
    {
        parameters = null;
        inputName = "";
        try
        {
            OnnxGraphContent graph = OnnxGraphContent.Parse(model);
            foreach (OnnxGraphContent.Node node in graph.Nodes)
            {
                if (!WrittenOpTypes.Contains(node.OpType)) throw new InvalidDataException($"node '{node.Name}' has op type '{node.OpType}', which the one-output writer never emits.");
            }

            if (graph.InputNames.Count != 1) throw new InvalidDataException($"the graph has {graph.InputNames.Count} inputs; the writer's has one.");
            if (!graph.Metadata.TryGetValue(OnnxOneOutputWriter.TaskKey, out string? taskText) || !Enum.TryParse(taskText, out ModelTask task))
            {
                throw new InvalidDataException($"the metadata has no task '{OnnxOneOutputWriter.TaskKey}'.");
            }

            NetworkArchitecture architecture = OnnxArchitectureRecord.TryRead(graph.Metadata)
                ?? throw new InvalidDataException("the metadata records no architecture.");
            var nodesByName = new Dictionary<string, OnnxGraphContent.Node>(StringComparer.Ordinal);
            foreach (OnnxGraphContent.Node node in graph.Nodes) nodesByName.TryAdd(node.Name, node);
            (float[] values, _) = OnnxClassifierReader.ReadRecordedParameters(graph, nodesByName, architecture);
            float shift = ReadFloat(graph, OnnxOneOutputWriter.LabelShiftKey), scale = ReadFloat(graph, OnnxOneOutputWriter.LabelScaleKey);
            try
            {
                parameters = new JacobianRegularizedOneOutputModelParameters(task, architecture, values, shift, scale);
            }
            catch (ArgumentException exception)
            {
                throw new InvalidDataException(exception.Message, exception);
            }

            inputName = graph.InputNames[0];
            reason = "";
            return true;
        }
        catch (InvalidDataException exception)
        {
            reason = exception.Message;
            return false;
        }
    }

    private static float ReadFloat(OnnxGraphContent graph, string key) =>
        graph.Metadata.TryGetValue(key, out string? text) && float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value)
            ? value
            : throw new InvalidDataException($"the metadata has no number '{key}'.");
}
