using System.Globalization;
using System.Numerics;

namespace MLNetJacobian.Network;

/// <summary>
/// Dropout: in training each value is zeroed with probability <see cref="Rate"/> (the rest scaled by
/// <c>1 / (1 - Rate)</c>), and the Jacobian penalty is computed on the same dropped-out network as the loss; at
/// inference it is the identity. Keeps the shape. Text: <c>dropout 0.5</c>.
/// </summary>
public sealed record DropoutLayerSpec : LayerSpec
{
    /// <summary>Creates the specification.</summary>
    /// <param name="rate">The drop probability, in [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> outside [0, 1).</exception>
    public DropoutLayerSpec(double rate)
    {
        if (!(rate >= 0 && rate < 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, $"A dropout rate must lie in [0, 1); {rate} was given.");
        Rate = rate;
    }

    /// <summary>The drop probability in training.</summary>
    public double Rate { get; }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"dropout {Rate:R}");

    internal override LayerShape OutputShape(LayerShape input) => input;

    internal override ILayer<T> CreateLayer<T>(LayerShape input) => new DropoutLayer<T>(input.Width, Rate);
}
