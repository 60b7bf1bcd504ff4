using System.Globalization;

namespace MLNetJacobian.Training;

/// <summary>
/// A loss on one output <c>z</c> per row (binary and regression): each row's loss and derivative come from
/// <see cref="Evaluate"/>, computed in double whatever the network's precision.
/// </summary>
internal abstract class ScalarOutputLoss : OutputLoss
{
    public override void CheckOutputCount(int outputCount)
    {
        if (outputCount != 1)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The {Name} acts on one output; the network has {outputCount}."), nameof(outputCount));
        }
    }

    public override double Compute<T>(ReadOnlySpan<T> outputs, int outputCount, ReadOnlySpan<T> targets, ReadOnlySpan<T> rowWeights,
        int rows, Span<T> gradient, out int correct)
    {
        double sum = 0;
        correct = 0;
        for (int i = 0; i < rows; i++)
        {
            double z = double.CreateTruncating(outputs[i]), y = double.CreateTruncating(targets[i]);
            double weight = rowWeights.IsEmpty ? 1.0 : double.CreateTruncating(rowWeights[i]);
            (double loss, double derivative) = Evaluate(z, y);
            sum += weight * loss;
            if (!gradient.IsEmpty) gradient[i] = T.CreateTruncating(weight * derivative);
            if (HasAccuracy && IsCorrect(z, y)) correct++;
        }

        return sum;
    }

    /// <summary>The loss of output <paramref name="z"/> against target <paramref name="y"/>, and its derivative in <c>z</c>.</summary>
    protected abstract (double Loss, double Derivative) Evaluate(double z, double y);

    /// <summary>Whether the prediction is right (only asked when <see cref="OutputLoss.HasAccuracy"/>).</summary>
    protected virtual bool IsCorrect(double z, double y) => false;
}
