using MLNetJacobian.Models;

namespace MLNetJacobian.Robustness;

/// <summary>
/// The shared loop of the random-noise attacks: several independent draws per example; the first draw that is
/// misclassified is kept, otherwise the last draw.
/// </summary>
internal abstract class NoiseAttackWorker : AttackWorker
{
    private readonly int _draws;
    private readonly float[] _candidate; // [B, D]
    private readonly float[] _scores;    // [B, C]
    private readonly bool[] _found;      // [B]

    protected NoiseAttackWorker(IModel model, InputBounds bounds, PerturbationNorm? norm, int maxRows, int draws)
        : base(model, bounds, norm, maxRows)
    {
        _draws = draws;
        _candidate = new float[maxRows * FeatureCount];
        _scores = new float[maxRows * OutputCount];
        _found = new bool[maxRows];
    }

    /// <summary>Writes one noisy draw of every row into <paramref name="destination"/>.</summary>
    protected abstract void Draw(ReadOnlySpan<float> features, ReadOnlySpan<float> strengths, int rows, Random random, Span<float> destination);

    protected sealed override void Perturb(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, ReadOnlySpan<float> strengths, int rows, Random random, Span<float> adversarial)
    {
        int d = FeatureCount;
        Span<float> candidate = _candidate.AsSpan(0, rows * d);
        Span<float> scores = _scores.AsSpan(0, rows * OutputCount);
        Span<bool> found = _found.AsSpan(0, rows);
        found.Clear();
        for (int draw = 0; draw < _draws; draw++)
        {
            Draw(features, strengths, rows, random, candidate);
            ProjectAndClip(features, strengths, rows, candidate);
            ComputeOutputs(candidate, rows, scores);
            bool last = draw == _draws - 1;
            bool allFound = true;
            for (int i = 0; i < rows; i++)
            {
                if (found[i]) continue;
                bool misclassified = Goal.IsAchieved(scores.Slice(i * OutputCount, OutputCount), labels[i]);
                if (misclassified || last) candidate.Slice(i * d, d).CopyTo(adversarial.Slice(i * d, d));
                found[i] = misclassified;
                allFound &= misclassified;
            }

            if (allFound) break;
        }
    }
}
