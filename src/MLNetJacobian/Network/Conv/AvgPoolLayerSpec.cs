using System.Numerics;

namespace MLNetJacobian.Network;

/// <summary>
/// Average pooling (no padding): the mean of each window.
/// Text: <c>avgpool 2</c>, <c>avgpool 3 stride 2</c>, <c>avgpool 2x3</c>.
/// </summary>
public sealed record AvgPoolLayerSpec : PoolLayerSpec
{
    /// <summary>A square window; the stride defaults to the window.</summary>
    /// <param name="kernel">Window height and width (at least 1).</param>
    /// <param name="stride">Step between windows (at least 1); null for <paramref name="kernel"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting out of range.</exception>
    public AvgPoolLayerSpec(int kernel, int? stride = null)
        : base(kernel, kernel, stride ?? kernel, stride ?? kernel)
    {
    }

    /// <summary>A rectangular window and stride.</summary>
    /// <param name="kernelHeight">Window rows (at least 1).</param>
    /// <param name="kernelWidth">Window columns (at least 1).</param>
    /// <param name="strideHeight">Vertical step (at least 1).</param>
    /// <param name="strideWidth">Horizontal step (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting out of range.</exception>
    public AvgPoolLayerSpec(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth)
        : base(kernelHeight, kernelWidth, strideHeight, strideWidth)
    {
    }

    private protected override string Word => "avgpool";

    /// <inheritdoc />
    public override string ToString() => base.ToString();

    internal override ILayer<T> CreateLayer<T>(LayerShape input) =>
        new AvgPool2DLayer<T>(input.Image!, KernelHeight, KernelWidth, StrideHeight, StrideWidth);
}
