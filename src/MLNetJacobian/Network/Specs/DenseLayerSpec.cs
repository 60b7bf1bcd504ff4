using System.Globalization;
using System.Numerics;

namespace MLNetJacobian.Network;

/// <summary>A dense (fully connected) layer <c>y = W x + b</c>; an image input is flattened channel-major. Text: <c>dense 120</c>.</summary>
public sealed record DenseLayerSpec : LayerSpec
{
    /// <summary>Creates the specification.</summary>
    /// <param name="units">Outputs (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is below 1.</exception>
    public DenseLayerSpec(int units)
    {
        if (units < 1) throw new ArgumentOutOfRangeException(nameof(units), units, $"A dense layer needs at least 1 unit; {units} was given.");
        Units = units;
    }

    /// <summary>Outputs.</summary>
    public int Units { get; }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"dense {Units}");

    internal override LayerShape OutputShape(LayerShape input) => LayerShape.Flat(Units);

    internal override int WeightCount(LayerShape input) => Units * input.Width;

    internal override int BiasCount(LayerShape input) => Units;

    internal override (int FanIn, int FanOut) Fans(LayerShape input) => (input.Width, Units);

    internal override ILayer<T> CreateLayer<T>(LayerShape input) => new DenseLayer<T>(input.Width, Units);
}
