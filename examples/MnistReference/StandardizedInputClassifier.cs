using MLNetJacobian.Models;

namespace MnistReference;

/// <summary>
/// A network trained on standardized pixels, <c>z = f((x - mean) / deviation)</c>, seen from pixel space
/// <c>x</c> in [0, 1], so that attacks and their epsilons are in pixels as in the reference's evaluation.
/// </summary>
/// <remarks>
/// Chain rule: <c>dL/dx = (1 / deviation) dL/dx_std</c>. The standardized copy of each batch goes into a buffer that
/// grows to the largest batch seen and is then reused.
/// </remarks>
internal sealed class StandardizedInputClassifier(IDifferentiableModel network, float mean, float deviation) : IDifferentiableModel
{
    private float[] _standardized = []; // x_std: [rows, D]

    public int FeatureCount => network.FeatureCount;

    public int OutputCount => network.OutputCount;

    public ModelTask Task => network.Task;

    public ModelOutputKind OutputKind => network.OutputKind;

    public IReadOnlyList<string> ClassNames => network.ClassNames;

    public string Description => $"{network.Description}, on pixels standardized with mean {mean} and deviation {deviation}";

    public void ComputeOutputs(ReadOnlySpan<float> features, int rows, Span<float> scores) =>
        network.ComputeOutputs(Standardize(features, rows), rows, scores);

    public void ComputeInputGradient(ReadOnlySpan<float> features, int rows, IOutputGradient seed, Span<float> logits, Span<float> inputGradient)
    {
        network.ComputeInputGradient(Standardize(features, rows), rows, seed, logits, inputGradient);
        Span<float> gradient = inputGradient[..(rows * FeatureCount)];
        for (int i = 0; i < gradient.Length; i++) gradient[i] /= deviation;
    }

    public IModel CreateThreadInstance() =>
        new StandardizedInputClassifier((IDifferentiableModel)network.CreateThreadInstance(), mean, deviation);

    private ReadOnlySpan<float> Standardize(ReadOnlySpan<float> features, int rows)
    {
        int length = rows * FeatureCount;
        if (_standardized.Length < length) _standardized = new float[length];
        for (int i = 0; i < length; i++) _standardized[i] = (features[i] - mean) / deviation;
        return _standardized.AsSpan(0, length);
    }
}
