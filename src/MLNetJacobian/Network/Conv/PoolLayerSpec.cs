using System.Numerics;

namespace MLNetJacobian.Network;

/// <summary>How a pooling layer reduces each window.</summary>
public enum Pooling
{
    /// <summary>The largest value of the window; ties go to the first position in row-major order, as in PyTorch.
    /// Text: <c>maxpool</c>.</summary>
    Max,

    /// <summary>The mean of the window. Text: <c>avgpool</c>.</summary>
    Average,
}

/// <summary>
/// A pooling layer (no padding): kernel and stride per axis, the stride defaulting to the kernel, and how each window is
/// reduced. Text: <c>maxpool 2</c>, <c>avgpool 3 stride 2</c>, <c>maxpool 2x3</c>.
/// </summary>
public sealed record PoolLayerSpec : LayerSpec
{
    /// <summary>A square window; the stride defaults to the window.</summary>
    /// <param name="pooling">How each window is reduced.</param>
    /// <param name="kernel">Window height and width (at least 1).</param>
    /// <param name="stride">Step between windows (at least 1); null for <paramref name="kernel"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An undefined <paramref name="pooling"/>, or a size out of range.</exception>
    public PoolLayerSpec(Pooling pooling, int kernel, int? stride = null)
        : this(pooling, kernel, kernel, stride ?? kernel, stride ?? kernel)
    {
    }

    /// <summary>A rectangular window and stride.</summary>
    /// <param name="pooling">How each window is reduced.</param>
    /// <param name="kernelHeight">Window rows (at least 1).</param>
    /// <param name="kernelWidth">Window columns (at least 1).</param>
    /// <param name="strideHeight">Vertical step (at least 1).</param>
    /// <param name="strideWidth">Horizontal step (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">An undefined <paramref name="pooling"/>, or a size out of range.</exception>
    public PoolLayerSpec(Pooling pooling, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth)
    {
        if (!Enum.IsDefined(pooling)) throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "Unknown pooling.");
        SpecText.RequireAtLeast(kernelHeight, kernelWidth, 1, "pool window", nameof(kernelHeight));
        SpecText.RequireAtLeast(strideHeight, strideWidth, 1, "pool stride", nameof(strideHeight));
        Pooling = pooling;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        StrideHeight = strideHeight;
        StrideWidth = strideWidth;
    }

    /// <summary>How each window is reduced.</summary>
    public Pooling Pooling { get; }

    /// <summary>Window rows.</summary>
    public int KernelHeight { get; }

    /// <summary>Window columns.</summary>
    public int KernelWidth { get; }

    /// <summary>Vertical step.</summary>
    public int StrideHeight { get; }

    /// <summary>Horizontal step.</summary>
    public int StrideWidth { get; }

    /// <inheritdoc />
    public override bool NeedsImage => true;

    /// <summary>The text word of a pooling (<c>maxpool</c>, <c>avgpool</c>).</summary>
    internal static string Word(Pooling pooling) => pooling == Pooling.Max ? "maxpool" : "avgpool";

    /// <inheritdoc />
    public override string ToString() =>
        $"{Word(Pooling)} {SpecText.Pair(KernelHeight, KernelWidth)}" +
        (StrideHeight == KernelHeight && StrideWidth == KernelWidth ? "" : $" stride {SpecText.Pair(StrideHeight, StrideWidth)}");

    internal ImageWindows Windows(ImageShape input) => new(input, KernelHeight, KernelWidth, StrideHeight, StrideWidth, 0, 0);

    internal override LayerShape OutputShape(LayerShape input) => LayerShape.Of(Windows(input.Image!).OutputShape(input.Image!.Channels));

    internal override ILayer<T> CreateLayer<T>(LayerShape input) => Pooling == Pooling.Max
        ? new MaxPool2DLayer<T>(input.Image!, KernelHeight, KernelWidth, StrideHeight, StrideWidth)
        : new AvgPool2DLayer<T>(input.Image!, KernelHeight, KernelWidth, StrideHeight, StrideWidth);
}
