using System.Numerics;

namespace MLNetJacobian.Network;

/// <summary>
/// Max pooling (no padding); ties go to the first position of the window in row-major order, as in PyTorch.
/// Text: <c>maxpool 2</c>, <c>maxpool 3 stride 2</c>, <c>maxpool 2x3</c>.
/// </summary>
public sealed record MaxPoolLayerSpec : PoolLayerSpec
{
    /// <summary>A square window; the stride defaults to the window.</summary>
    /// <param name="kernel">Window height and width (at least 1).</param>
    /// <param name="stride">Step between windows (at least 1); null for <paramref name="kernel"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting out of range.</exception>
    public MaxPoolLayerSpec(int kernel, int? stride = null)
        : base(kernel, kernel, stride ?? kernel, stride ?? kernel)
    {
    }

    /// <summary>A rectangular window and stride.</summary>
    /// <param name="kernelHeight">Window rows (at least 1).</param>
    /// <param name="kernelWidth">Window columns (at least 1).</param>
    /// <param name="strideHeight">Vertical step (at least 1).</param>
    /// <param name="strideWidth">Horizontal step (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting out of range.</exception>
    public MaxPoolLayerSpec(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth)
        : base(kernelHeight, kernelWidth, strideHeight, strideWidth)
    {
    }

    private protected override string Word => "maxpool";

    /// <inheritdoc />
    public override string ToString() => base.ToString();

    internal override ILayer<T> CreateLayer<T>(LayerShape input) =>
        new MaxPool2DLayer<T>(input.Image!, KernelHeight, KernelWidth, StrideHeight, StrideWidth);
}
