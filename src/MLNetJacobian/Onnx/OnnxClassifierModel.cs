using MLNetJacobian.Network;

namespace MLNetJacobian.Onnx;

/// <summary>
/// A feedforward classifier read back from ONNX bytes written by <see cref="OnnxClassifierWriter"/>: the network's
/// shape, its parameters, its class names and the graph's input and output names.
/// </summary>
/// <remarks>
/// The parameter layout is the writer's (and the network's): for each dense layer <c>l</c>, <c>W_l</c> row-major
/// <c>[out, in]</c>, then <c>b_l</c> <c>[out]</c>.
/// </remarks>
internal sealed class OnnxClassifierModel
{
    private readonly float[] _parameters;
    private readonly string[] _classNames;

    internal OnnxClassifierModel(NetworkArchitecture architecture, float[] parameters, string[] classNames, OnnxClassifierNames names)
    {
        Architecture = architecture;
        _parameters = parameters;
        _classNames = classNames;
        Names = names;
    }

    /// <summary>The network's shape and activation.</summary>
    public NetworkArchitecture Architecture { get; }

    /// <summary>Every weight and bias, in the layout described in the remarks.</summary>
    public ReadOnlySpan<float> Parameters => _parameters;

    /// <summary>The class names in logit order.</summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>The graph's input name and the names of its Score, PredictedLabel and Logits outputs.</summary>
    public OnnxClassifierNames Names { get; }

    /// <summary>The raw type name of the label's key values the model was trained with (<c>String</c>, <c>Single</c>, ...).</summary>
    internal string ClassValueType { get; init; } = OnnxClassifierWriter.DefaultClassValueType;
}
