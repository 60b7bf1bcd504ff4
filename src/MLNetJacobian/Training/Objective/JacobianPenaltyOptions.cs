namespace MLNetJacobian.Training;

/// <summary>
/// The settings of the Jacobian penalty <c>(lambda / 2) ||J(x)||_F^2</c>. The trainer's options are the source of the
/// defaults; here lambda has none, and the others default to the plain estimator (one projection, the whole batch).
/// </summary>
/// <param name="JacobianWeight">lambda (at least 0); 0 skips the penalty's passes entirely.</param>
/// <param name="ProjectionCount">n_proj, random projections per row (at least 1); ignored when <paramref name="ExactNorm"/>.</param>
/// <param name="ExactNorm">Whether to use the exact <c>||J||_F^2</c> (all C basis vectors) instead of random projections.</param>
/// <param name="SampleFraction">p in (0, 1]: the penalty is applied to <c>m = max(1, round(p * rows))</c> rows of each
/// batch drawn without replacement and scaled by <c>rows / m</c>, which keeps it unbiased.</param>
internal sealed record JacobianPenaltyOptions(
    double JacobianWeight, int ProjectionCount = 1, bool ExactNorm = false, double SampleFraction = 1.0)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(JacobianWeight >= 0) || double.IsInfinity(JacobianWeight))
        {
            throw new ArgumentOutOfRangeException(nameof(JacobianWeight), JacobianWeight, "The Jacobian weight (lambda) must be finite and at least 0.");
        }

        if (ProjectionCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ProjectionCount), ProjectionCount, "At least one projection is needed.");
        }

        if (!(SampleFraction > 0 && SampleFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(SampleFraction), SampleFraction, "The sample fraction must lie in (0, 1].");
        }
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> when projections are asked of a network with one output: its Jacobian
    /// is one row, so the penalty is always exact (one VJP row seeded with 1) and <see cref="ProjectionCount"/> does
    /// not apply. <see cref="ExactNorm"/> may be either value.
    /// </summary>
    /// <param name="outputCount">The network's number of outputs.</param>
    public void CheckOutputCount(int outputCount)
    {
        if (outputCount == 1 && ProjectionCount != 1)
        {
            throw new ArgumentException(
                $"The network has one output, so its Jacobian is one row and the penalty is exact; random projections do not apply. " +
                $"ProjectionCount is {ProjectionCount}: leave it at 1.", nameof(ProjectionCount));
        }
    }

    /// <summary>Whether the penalty is the exact <c>||J||_F^2</c> for a network with <paramref name="outputCount"/> outputs
    /// (<see cref="ExactNorm"/>, or one output).</summary>
    /// <param name="outputCount">The network's number of outputs.</param>
    public bool IsExactFor(int outputCount) => ExactNorm || outputCount == 1;

    /// <summary><c>m = max(1, round(p * rows))</c> (midpoints round to even), the rows the penalty is applied to.</summary>
    /// <param name="rows">The batch size.</param>
    public int SubsetSize(int rows) => Math.Clamp((int)Math.Round(SampleFraction * rows), 1, rows);
}
