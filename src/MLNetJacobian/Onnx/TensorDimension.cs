namespace MLNetJacobian.Onnx;

/// <summary>One dimension of a declared ONNX tensor shape: a fixed size, or a named symbolic size (the batch).</summary>
/// <param name="Size">The size when <paramref name="Parameter"/> is null.</param>
/// <param name="Parameter">The symbolic name of a size known only at run time.</param>
internal readonly record struct TensorDimension(long Size, string? Parameter)
{
    public static TensorDimension Fixed(long size) => new(size, null);

    public static TensorDimension Symbolic(string name) => new(0, name);
}
