namespace MLNetJacobian.Training;

/// <summary>
/// <see cref="OutputLoss.SigmoidLogLoss"/>: <c>log(1 + exp(z)) - y z</c>, which is <c>log(1 + exp(-z))</c> for
/// <c>y = 1</c> and <c>log(1 + exp(z))</c> for <c>y = 0</c>, evaluated as <c>max(z, 0) - y z + log(1 + exp(-|z|))</c>
/// (no overflow); derivative <c>sigmoid(z) - y</c>. A row is correct when <c>z &gt; 0</c> exactly when <c>y &gt; 1/2</c>
/// (ML.NET's predicted label is <c>Score &gt; 0</c>).
/// </summary>
internal sealed class SigmoidLogLoss : ScalarOutputLoss
{
    public override string Name => "log-loss";

    public override bool HasAccuracy => true;

    protected override (double Loss, double Derivative) Evaluate(double z, double y)
    {
        double loss = Math.Max(z, 0) - y * z + Math.Log(1 + Math.Exp(-Math.Abs(z)));
        double sigmoid = z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
        return (loss, sigmoid - y);
    }

    protected override bool IsCorrect(double z, double y) => z > 0 == y > 0.5;

    private protected override bool IsValidTarget(double target, int outputCount) => target >= 0 && target <= 1;

    private protected override string TargetRequirement(int outputCount) =>
        "a binary target must lie in [0, 1] (0 = negative, 1 = positive)";
}
