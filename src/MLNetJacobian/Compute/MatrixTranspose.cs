namespace MLNetJacobian.Compute;

/// <summary>Whether a GEMM operand is used as stored or transposed (BLAS's <c>op(X)</c>).</summary>
internal enum MatrixTranspose
{
    /// <summary>Use the operand as stored: <c>op(X) = X</c>.</summary>
    None,

    /// <summary>Use the transpose of the operand: <c>op(X) = X^T</c>.</summary>
    Transpose,
}
