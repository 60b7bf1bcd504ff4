namespace MLNetJacobian.Training;

/// <summary><see cref="OutputLoss.SquaredError"/>: <c>(z - y)^2</c>, derivative <c>2 (z - y)</c>.</summary>
internal sealed class SquaredErrorLoss : ScalarOutputLoss
{
    public override string Name => "squared error";

    public override bool HasAccuracy => false;

    protected override (double Loss, double Derivative) Evaluate(double z, double y)
    {
        double residual = z - y;
        return (residual * residual, 2 * residual);
    }

    private protected override bool IsValidTarget(double target, int outputCount) => double.IsFinite(target);

    private protected override string TargetRequirement(int outputCount) => "regression targets must be finite";
}
