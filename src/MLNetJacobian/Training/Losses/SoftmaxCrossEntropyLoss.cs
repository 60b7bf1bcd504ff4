using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;

namespace MLNetJacobian.Training;

/// <summary>
/// <see cref="OutputLoss.SoftmaxCrossEntropy"/>: <c>CE(z, y) = logsumexp(z) - z_y</c> over <c>C &gt;= 2</c> logits,
/// gradient <c>softmax(z) - e_y</c> (<see cref="Network.SoftmaxCrossEntropy"/>); a row is correct when <c>argmax z = y</c>.
/// </summary>
internal sealed class SoftmaxCrossEntropyLoss : OutputLoss
{
    public override string Name => "cross-entropy";

    public override bool HasAccuracy => true;

    public override void CheckOutputCount(int outputCount)
    {
        if (outputCount < 2)
        {
            throw new ArgumentException(
                $"The softmax cross-entropy needs at least 2 outputs (classes); the network has {outputCount}. " +
                "For one output use the sigmoid log-loss (binary) or a regression loss.", nameof(outputCount));
        }
    }

    public override double Compute<T>(ReadOnlySpan<T> outputs, int outputCount, ReadOnlySpan<T> targets, ReadOnlySpan<T> rowWeights,
        int rows, Span<T> gradient, out int correct)
    {
        double sum = 0;
        correct = 0;
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<T> z = outputs.Slice(i * outputCount, outputCount);
            int label = int.CreateTruncating(targets[i]);
            T weight = rowWeights.IsEmpty ? T.One : rowWeights[i];
            T loss = gradient.IsEmpty
                ? Network.SoftmaxCrossEntropy.Loss(z, label)
                : Network.SoftmaxCrossEntropy.Compute(z, label, weight, gradient.Slice(i * outputCount, outputCount));
            sum += double.CreateTruncating(weight) * double.CreateTruncating(loss);
            if (TensorPrimitives.IndexOfMax(z) == label) correct++;
        }

        return sum;
    }

    private protected override bool IsValidTarget(double target, int outputCount) =>
        target >= 0 && target < outputCount && target == Math.Floor(target);

    private protected override string TargetRequirement(int outputCount) =>
        string.Create(CultureInfo.InvariantCulture, $"a class index, a whole number in [0, {outputCount}), is needed");
}
