using MLNetJacobian.Analysis;
using MLNetJacobian.Models;

namespace MLNetJacobian.Tests.Analysis;

/// <summary>
/// Two classes split by the hyperplane <c>w . x + b = 0</c>: logits <c>[0, w . x + b]</c>, class 1 where
/// <c>w . x + b &gt; 0</c>. The distance from x to the boundary along a unit d is <c>-(w . x + b) / (w . d)</c> when positive.
/// </summary>
internal sealed class HalfSpaceClassifier(double[] weights, double bias) : IJacobianModel
{
    public int FeatureCount => weights.Length;

    public int OutputCount => 2;

    public ModelTask Task => ModelTask.MulticlassClassification;

    public string Description => "half space";

    public bool IsJacobianExact => true;

    public ModelOutputKind OutputKind => ModelOutputKind.Logits;

    public IReadOnlyList<string> ClassNames { get; } = ["below", "above"];

    public double Margin(ReadOnlySpan<float> x)
    {
        double sum = bias;
        for (int j = 0; j < x.Length; j++) sum += weights[j] * x[j];
        return sum;
    }

    public double DistanceAlong(ReadOnlySpan<float> x, ReadOnlySpan<double> direction)
    {
        double slope = 0;
        for (int j = 0; j < direction.Length; j++) slope += weights[j] * direction[j];
        return -Margin(x) / slope;
    }

    public void ComputeOutputs(ReadOnlySpan<float> features, int rows, Span<float> scores)
    {
        for (int r = 0; r < rows; r++)
        {
            double margin = Margin(features.Slice(r * FeatureCount, FeatureCount));
            scores[2 * r] = 0;
            scores[2 * r + 1] = (float)margin;
        }
    }

    public IModel CreateThreadInstance() => this;

    public void ComputeJacobian(ReadOnlySpan<float> features, Span<double> outputs, Span<double> jacobian)
    {
        outputs[0] = 0;
        outputs[1] = Margin(features);
        jacobian.Clear();
        weights.CopyTo(jacobian.Slice(FeatureCount));
    }
}
