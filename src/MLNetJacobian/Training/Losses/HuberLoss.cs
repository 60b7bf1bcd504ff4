using System.Globalization;

namespace MLNetJacobian.Training;

/// <summary>
/// <see cref="OutputLoss.Huber"/>: <c>r^2 / 2</c> for <c>|r| &lt;= delta</c>, else <c>delta (|r| - delta / 2)</c>, with
/// <c>r = z - y</c>; derivative <c>clamp(r, -delta, delta)</c>.
/// </summary>
internal sealed class HuberLoss : ScalarOutputLoss
{
    public HuberLoss(double delta)
    {
        if (!(delta > 0) || !double.IsFinite(delta))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "The Huber delta must be finite and greater than 0.");
        }

        Delta = delta;
    }

    /// <summary>Where the loss turns from quadratic to linear.</summary>
    public double Delta { get; }

    public override string Name => string.Create(CultureInfo.InvariantCulture, $"Huber loss (delta {Delta})");

    public override bool HasAccuracy => false;

    protected override (double Loss, double Derivative) Evaluate(double z, double y)
    {
        double residual = z - y, size = Math.Abs(residual);
        return size <= Delta
            ? (0.5 * residual * residual, residual)
            : (Delta * (size - 0.5 * Delta), Math.CopySign(Delta, residual));
    }

    private protected override bool IsValidTarget(double target, int outputCount) => double.IsFinite(target);

    private protected override string TargetRequirement(int outputCount) => "regression targets must be finite";
}
