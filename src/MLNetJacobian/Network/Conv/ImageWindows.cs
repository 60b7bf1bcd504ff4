using System.Numerics;

namespace MLNetJacobian.Network;

/// <summary>
/// The sliding windows of a convolution or pooling layer over a planar image: kernel, stride and zero padding per
/// axis, the output size they give, and the im2col / col2im maps between an image and its window columns.
/// </summary>
/// <remarks>
/// Output size per axis: <c>(in + 2 pad - kernel) / stride + 1</c>, rounded down (PyTorch's rule). Column matrix of
/// one image: <c>[Channels * KernelHeight * KernelWidth, OutputHeight * OutputWidth]</c>, row
/// <c>(c * KernelHeight + ky) * KernelWidth + kx</c>, column <c>oy * OutputWidth + ox</c>, holding pixel
/// <c>(c, oy * StrideHeight - PadHeight + ky, ox * StrideWidth - PadWidth + kx)</c> or zero outside the image.
/// </remarks>
internal sealed record ImageWindows
{
    public ImageWindows(ImageShape input, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (kernelHeight < 1 || kernelWidth < 1) throw new ArgumentOutOfRangeException(nameof(kernelHeight), $"The kernel {kernelHeight}x{kernelWidth} must be at least 1x1.");
        if (strideHeight < 1 || strideWidth < 1) throw new ArgumentOutOfRangeException(nameof(strideHeight), $"The stride {strideHeight}x{strideWidth} must be at least 1x1.");
        if (padHeight < 0 || padWidth < 0) throw new ArgumentOutOfRangeException(nameof(padHeight), $"The padding {padHeight}x{padWidth} must not be negative.");
        if (input.Height + 2 * padHeight < kernelHeight || input.Width + 2 * padWidth < kernelWidth)
        {
            throw new ArgumentException(
                $"The kernel {kernelHeight}x{kernelWidth} is larger than its input {input.Height}x{input.Width}" +
                (padHeight + padWidth > 0 ? $" with padding {padHeight}x{padWidth}" : "") + ".", nameof(kernelHeight));
        }

        Input = input;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        StrideHeight = strideHeight;
        StrideWidth = strideWidth;
        PadHeight = padHeight;
        PadWidth = padWidth;
        OutputHeight = (input.Height + 2 * padHeight - kernelHeight) / strideHeight + 1;
        OutputWidth = (input.Width + 2 * padWidth - kernelWidth) / strideWidth + 1;
    }

    public ImageShape Input { get; }
    public int KernelHeight { get; }
    public int KernelWidth { get; }
    public int StrideHeight { get; }
    public int StrideWidth { get; }
    public int PadHeight { get; }
    public int PadWidth { get; }
    public int OutputHeight { get; }
    public int OutputWidth { get; }

    /// <summary>Window positions per plane, <c>OutputHeight * OutputWidth</c>.</summary>
    public int OutputPlaneSize => OutputHeight * OutputWidth;

    /// <summary>Rows of the column matrix, <c>Channels * KernelHeight * KernelWidth</c>.</summary>
    public int PatchSize => Input.Channels * KernelHeight * KernelWidth;

    /// <summary>Pixels per window, <c>KernelHeight * KernelWidth</c>.</summary>
    public int WindowSize => KernelHeight * KernelWidth;

    /// <summary>The output shape for <paramref name="channels"/> output planes.</summary>
    public ImageShape OutputShape(int channels) => new(channels, OutputHeight, OutputWidth);

    /// <summary>The range <c>[first, end)</c> of output columns whose tap <paramref name="kx"/> falls inside the image.</summary>
    private (int First, int End) ValidColumns(int kx)
    {
        // ix = ox * s - pad + kx in [0, W)  <=>  ox >= ceil((pad - kx) / s) and ox <= floor((W - 1 + pad - kx) / s)
        int first = Math.Max(0, CeilDiv(PadWidth - kx, StrideWidth));
        int end = Math.Min(OutputWidth, FloorDiv(Input.Width - 1 + PadWidth - kx, StrideWidth) + 1);
        return (first, Math.Max(first, end));
    }

    /// <summary>Writes the column matrix of one image: <c>columns [PatchSize, OutputPlaneSize]</c>, overwritten.</summary>
    public void ImageToColumns<T>(ReadOnlySpan<T> image, Span<T> columns) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int height = Input.Height, width = Input.Width, outHeight = OutputHeight, outWidth = OutputWidth;
        int positions = OutputPlaneSize;
        for (int c = 0; c < Input.Channels; c++)
        {
            ReadOnlySpan<T> plane = image.Slice(c * height * width, height * width);
            for (int ky = 0; ky < KernelHeight; ky++)
            {
                for (int kx = 0; kx < KernelWidth; kx++)
                {
                    Span<T> target = columns.Slice(((c * KernelHeight + ky) * KernelWidth + kx) * positions, positions);
                    (int first, int end) = ValidColumns(kx);
                    for (int oy = 0; oy < outHeight; oy++)
                    {
                        Span<T> line = target.Slice(oy * outWidth, outWidth);
                        int iy = oy * StrideHeight - PadHeight + ky;
                        if ((uint)iy >= (uint)height || first == end)
                        {
                            line.Clear();
                            continue;
                        }

                        ReadOnlySpan<T> source = plane.Slice(iy * width, width);
                        line[..first].Clear();
                        line[end..].Clear();
                        int ix = first * StrideWidth - PadWidth + kx;
                        if (StrideWidth == 1)
                        {
                            source.Slice(ix, end - first).CopyTo(line[first..end]);
                        }
                        else
                        {
                            for (int ox = first; ox < end; ox++, ix += StrideWidth) line[ox] = source[ix];
                        }
                    }
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="ImageToColumns{T}"/>: adds every column entry into its pixel of <paramref name="image"/>.</summary>
    public void AddColumnsToImage<T>(ReadOnlySpan<T> columns, Span<T> image) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int height = Input.Height, width = Input.Width, outHeight = OutputHeight, outWidth = OutputWidth;
        int positions = OutputPlaneSize;
        for (int c = 0; c < Input.Channels; c++)
        {
            Span<T> plane = image.Slice(c * height * width, height * width);
            for (int ky = 0; ky < KernelHeight; ky++)
            {
                for (int kx = 0; kx < KernelWidth; kx++)
                {
                    ReadOnlySpan<T> source = columns.Slice(((c * KernelHeight + ky) * KernelWidth + kx) * positions, positions);
                    (int first, int end) = ValidColumns(kx);
                    if (first == end) continue;
                    for (int oy = 0; oy < outHeight; oy++)
                    {
                        int iy = oy * StrideHeight - PadHeight + ky;
                        if ((uint)iy >= (uint)height) continue;
                        Span<T> target = plane.Slice(iy * width, width);
                        ReadOnlySpan<T> line = source.Slice(oy * outWidth, outWidth);
                        int ix = first * StrideWidth - PadWidth + kx;
                        if (StrideWidth == 1)
                        {
                            Span<T> block = target.Slice(ix, end - first);
                            System.Numerics.Tensors.TensorPrimitives.Add(block, line[first..end], block);
                        }
                        else
                        {
                            for (int ox = first; ox < end; ox++, ix += StrideWidth) target[ix] += line[ox];
                        }
                    }
                }
            }
        }
    }

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static int CeilDiv(int a, int b) => -FloorDiv(-a, b);
}
