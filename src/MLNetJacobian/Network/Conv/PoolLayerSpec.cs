namespace MLNetJacobian.Network;

/// <summary>The windows of a pooling layer (no padding): kernel and stride per axis; the stride defaults to the kernel.</summary>
public abstract record PoolLayerSpec : LayerSpec
{
    private protected PoolLayerSpec(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth)
    {
        SpecText.RequireAtLeast(kernelHeight, kernelWidth, 1, "pool window", nameof(kernelHeight));
        SpecText.RequireAtLeast(strideHeight, strideWidth, 1, "pool stride", nameof(strideHeight));
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        StrideHeight = strideHeight;
        StrideWidth = strideWidth;
    }

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

    /// <summary>The text word (<c>maxpool</c>, <c>avgpool</c>).</summary>
    private protected abstract string Word { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Word} {SpecText.Pair(KernelHeight, KernelWidth)}" +
        (StrideHeight == KernelHeight && StrideWidth == KernelWidth ? "" : $" stride {SpecText.Pair(StrideHeight, StrideWidth)}");

    internal ImageWindows Windows(ImageShape input) => new(input, KernelHeight, KernelWidth, StrideHeight, StrideWidth, 0, 0);

    internal override LayerShape OutputShape(LayerShape input) => LayerShape.Of(Windows(input.Image!).OutputShape(input.Image!.Channels));
}
