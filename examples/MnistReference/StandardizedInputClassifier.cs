using MLNetJacobian.Robustness;

namespace MnistReference;

/// <summary>
/// A network trained on standardized pixels, <c>z = f((x - mean) / deviation)</c>, seen from pixel space
/// <c>x</c> in [0, 1], so that attacks and their epsilons are in pixels as in the reference's evaluation.
/// </summary>
/// <remarks>
/// Chain rule: <c>dL/dx = (1 / deviation) dL/dx_std</c>. The standardized copy of each batch goes into a buffer that
/// grows to the largest batch seen and is then reused.
/// </remarks>
internal sealed class StandardizedInputClassifier(IDifferentiableClassifier network, float mean, float deviation) : IDifferentiableClassifier
{
    private float[] _standardized = []; // x_std: [rows, D]

    public int FeatureCount => network.FeatureCount;

    public int ClassCount => network.ClassCount;

    public string Description => $"{network.Description}, on pixels standardized with mean {mean} and deviation {deviation}";

    public void ComputeScores(ReadOnlySpan<float> features, int rows, Span<float> scores) =>
        network.ComputeScores(Standardize(features, rows), rows, scores);

    public void ComputeLossGradient(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, int rows, ILogitLoss loss,
        Span<float> logits, Span<float> lossValues, Span<float> inputGradient)
    {
        network.ComputeLossGradient(Standardize(features, rows), labels, rows, loss, logits, lossValues, inputGradient);
        Span<float> gradient = inputGradient[..(rows * FeatureCount)];
        for (int i = 0; i < gradient.Length; i++) gradient[i] /= deviation;
    }

    public IClassifierScores CreateThreadInstance() =>
        new StandardizedInputClassifier((IDifferentiableClassifier)network.CreateThreadInstance(), mean, deviation);

    private ReadOnlySpan<float> Standardize(ReadOnlySpan<float> features, int rows)
    {
        int length = rows * FeatureCount;
        if (_standardized.Length < length) _standardized = new float[length];
        for (int i = 0; i < length; i++) _standardized[i] = (features[i] - mean) / deviation;
        return _standardized.AsSpan(0, length);
    }
}
