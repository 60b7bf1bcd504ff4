using System.Numerics;

namespace MLNetJacobian.Network;

/// <summary>
/// A 2-D convolution (cross-correlation, as PyTorch's <c>conv2d</c>) with stride and zero padding; weights
/// <c>[out, in, kh, kw]</c>. Text: <c>conv 6 5</c>, <c>conv 16 5 stride 2 pad 2</c>, <c>conv 8 3x5 pad 1x2</c>
/// (a single number means the same value on both axes; <c>HxW</c> gives height then width).
/// </summary>
public sealed record ConvLayerSpec : LayerSpec
{
    /// <summary>A convolution with a square kernel and the same stride and padding on both axes.</summary>
    /// <param name="outputChannels">Output planes (at least 1).</param>
    /// <param name="kernel">Kernel height and width (at least 1).</param>
    /// <param name="stride">Step between windows (at least 1).</param>
    /// <param name="padding">Zero pixels added on each side (0 or more).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting out of range.</exception>
    public ConvLayerSpec(int outputChannels, int kernel, int stride = 1, int padding = 0)
        : this(outputChannels, kernel, kernel, stride, stride, padding, padding)
    {
    }

    /// <summary>A convolution with a rectangular kernel, stride and padding.</summary>
    /// <param name="outputChannels">Output planes (at least 1).</param>
    /// <param name="kernelHeight">Kernel rows (at least 1).</param>
    /// <param name="kernelWidth">Kernel columns (at least 1).</param>
    /// <param name="strideHeight">Vertical step (at least 1).</param>
    /// <param name="strideWidth">Horizontal step (at least 1).</param>
    /// <param name="padHeight">Zero rows above and below (0 or more).</param>
    /// <param name="padWidth">Zero columns left and right (0 or more).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting out of range.</exception>
    public ConvLayerSpec(int outputChannels, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int padHeight, int padWidth)
    {
        if (outputChannels < 1) throw new ArgumentOutOfRangeException(nameof(outputChannels), outputChannels, $"A convolution needs at least 1 output channel; {outputChannels} was given.");
        SpecText.RequireAtLeast(kernelHeight, kernelWidth, 1, "kernel", nameof(kernelHeight));
        SpecText.RequireAtLeast(strideHeight, strideWidth, 1, "stride", nameof(strideHeight));
        SpecText.RequireAtLeast(padHeight, padWidth, 0, "padding", nameof(padHeight));
        OutputChannels = outputChannels;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        StrideHeight = strideHeight;
        StrideWidth = strideWidth;
        PadHeight = padHeight;
        PadWidth = padWidth;
    }

    /// <summary>Output planes.</summary>
    public int OutputChannels { get; }

    /// <summary>Kernel rows.</summary>
    public int KernelHeight { get; }

    /// <summary>Kernel columns.</summary>
    public int KernelWidth { get; }

    /// <summary>Vertical step.</summary>
    public int StrideHeight { get; }

    /// <summary>Horizontal step.</summary>
    public int StrideWidth { get; }

    /// <summary>Zero rows above and below.</summary>
    public int PadHeight { get; }

    /// <summary>Zero columns left and right.</summary>
    public int PadWidth { get; }

    /// <inheritdoc />
    public override bool NeedsImage => true;

    /// <inheritdoc />
    public override string ToString() =>
        $"conv {OutputChannels} {SpecText.Pair(KernelHeight, KernelWidth)}" +
        (StrideHeight == 1 && StrideWidth == 1 ? "" : $" stride {SpecText.Pair(StrideHeight, StrideWidth)}") +
        (PadHeight == 0 && PadWidth == 0 ? "" : $" pad {SpecText.Pair(PadHeight, PadWidth)}");

    internal ImageWindows Windows(ImageShape input) =>
        new(input, KernelHeight, KernelWidth, StrideHeight, StrideWidth, PadHeight, PadWidth);

    internal override LayerShape OutputShape(LayerShape input) => LayerShape.Of(Windows(input.Image!).OutputShape(OutputChannels));

    internal override int WeightCount(LayerShape input) => OutputChannels * input.Image!.Channels * KernelHeight * KernelWidth;

    internal override int BiasCount(LayerShape input) => OutputChannels;

    internal override (int FanIn, int FanOut) Fans(LayerShape input) =>
        (input.Image!.Channels * KernelHeight * KernelWidth, OutputChannels * KernelHeight * KernelWidth);

    internal override ILayer<T> CreateLayer<T>(LayerShape input) =>
        new Conv2DLayer<T>(input.Image!, OutputChannels, KernelHeight, KernelWidth, StrideHeight, StrideWidth, PadHeight, PadWidth);
}
