namespace MLNetJacobian.Benchmarks.Training;

/// <summary>Which objective a throughput configuration trains.</summary>
public enum PenaltyMode
{
    /// <summary>Cross-entropy only (lambda 0: the penalty's passes are skipped).</summary>
    Plain,

    /// <summary>Cross-entropy plus the penalty with one random projection per row (lambda 0.1, n_proj 1).</summary>
    Projection,

    /// <summary>As <see cref="Projection"/>, on a random quarter of each batch scaled by 4 (p = 0.25).</summary>
    Subsampled,

    /// <summary>Cross-entropy plus the exact <c>||J||_F^2</c> (all C basis vectors).</summary>
    Exact,
}
