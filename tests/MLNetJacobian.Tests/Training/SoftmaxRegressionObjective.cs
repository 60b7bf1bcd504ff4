using MLNetJacobian.Training;

namespace MLNetJacobian.Tests.Training;

/// <summary>
/// A test double of the network objective: multinomial logistic regression <c>z = W x + b</c> (W [C, D], b [C],
/// laid out W then b in one buffer) with weighted softmax cross-entropy, and no penalty. It reads the parameter
/// buffer it was given, as the real objective reads the network's buffer. Doubles as the validation scorer.
/// </summary>
internal sealed class SoftmaxRegressionObjective : IBatchObjective<double>, IValidationScorer<double>
{
    private readonly double[] _parameters;
    private readonly double[] _logits;   // [maxBatchSize, C]

    public SoftmaxRegressionObjective(double[] parameters, int featureCount, int classCount, int maxBatchSize)
    {
        Assert.Equal((featureCount + 1) * classCount, parameters.Length);
        this._parameters = parameters;
        FeatureCount = featureCount;
        OutputCount = classCount;
        MaxBatchSize = maxBatchSize;
        _logits = new double[maxBatchSize * classCount];
    }

    public int FeatureCount { get; }

    public int OutputCount { get; }

    public OutputLoss Loss => OutputLoss.SoftmaxCrossEntropy;

    public int MaxBatchSize { get; }

    public int ParameterCount => _parameters.Length;

    /// <summary>How many times <see cref="Compute"/> ran.</summary>
    public int ComputeCalls { get; private set; }

    /// <summary>A fixed value reported as the <c>||J||_F^2</c> estimate, or NaN for none.</summary>
    public double ReportedJacobianNormSquared { get; init; } = double.NaN;

    public void ComputeLogits(ReadOnlySpan<double> features, int rows, Span<double> logits)
    {
        int d = FeatureCount, c = OutputCount;
        for (int i = 0; i < rows; i++)
        {
            for (int k = 0; k < c; k++)
            {
                double sum = _parameters[c * d + k];
                for (int j = 0; j < d; j++) sum += _parameters[k * d + j] * features[i * d + j];
                logits[i * c + k] = sum;
            }
        }
    }

    public BatchLoss Compute(ReadOnlySpan<double> features, ReadOnlySpan<double> targets, ReadOnlySpan<double> weights, int rows,
        Span<double> gradient, Random random)
    {
        ComputeCalls++;
        int d = FeatureCount, c = OutputCount;
        ComputeLogits(features, rows, _logits);
        gradient.Clear();
        double weightSum = 0, loss = 0;
        int correct = 0;
        for (int i = 0; i < rows; i++) weightSum += weights.IsEmpty ? 1 : weights[i];
        for (int i = 0; i < rows; i++)
        {
            int label = (int)targets[i];
            Span<double> z = _logits.AsSpan(i * c, c);
            double max = z[0];
            int best = 0;
            for (int k = 1; k < c; k++)
            {
                if (z[k] > max)
                {
                    max = z[k];
                    best = k;
                }
            }

            double sum = 0;
            for (int k = 0; k < c; k++) sum += Math.Exp(z[k] - max);
            double w = (weights.IsEmpty ? 1 : weights[i]) / weightSum;
            loss += w * (Math.Log(sum) + max - z[label]);
            if (best == label) correct++;
            for (int k = 0; k < c; k++)
            {
                // dCE/dz_k = softmax_k - [k == y], scaled by the normalised weight.
                double delta = w * (Math.Exp(z[k] - max) / sum - (k == label ? 1 : 0));
                for (int j = 0; j < d; j++) gradient[k * d + j] += delta * features[i * d + j];
                gradient[c * d + k] += delta;
            }
        }

        return new BatchLoss(loss, loss, 0, ReportedJacobianNormSquared, weightSum, correct, rows);
    }
}
