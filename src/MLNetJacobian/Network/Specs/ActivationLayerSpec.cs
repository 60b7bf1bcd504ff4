using System.Numerics;

namespace MLNetJacobian.Network;

/// <summary>An element-wise nonlinearity; keeps the shape. Text: <c>relu</c>, <c>tanh</c>, <c>softplus</c>, <c>gelu</c>.</summary>
public sealed record ActivationLayerSpec : LayerSpec
{
    /// <summary>Creates the specification.</summary>
    /// <param name="activation">The nonlinearity.</param>
    /// <exception cref="ArgumentOutOfRangeException">An undefined activation.</exception>
    public ActivationLayerSpec(Activation activation)
    {
        if (!Enum.IsDefined(activation)) throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        Activation = activation;
    }

    /// <summary>The nonlinearity.</summary>
    public Activation Activation { get; }

    /// <summary>The text word of an activation (<c>relu</c>, <c>tanh</c>, <c>softplus</c>, <c>gelu</c>).</summary>
    internal static string Word(Activation activation) => activation.ToString().ToLowerInvariant();

    /// <inheritdoc />
    public override string ToString() => Word(Activation);

    internal override LayerShape OutputShape(LayerShape input) => input;

    internal override ILayer<T> CreateLayer<T>(LayerShape input) => new ActivationLayer<T>(Activation, input.Width);
}
