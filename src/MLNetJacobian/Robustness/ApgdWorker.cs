namespace MLNetJacobian.Robustness;

/// <summary>The per-thread state of <see cref="ApgdAttack"/>; see its remarks for the algorithm.</summary>
internal sealed class ApgdWorker : AttackWorker
{
    private readonly ApgdAttack _attack;
    private readonly IDifferentiableClassifier _model;
    private readonly float[] _current, _previous, _best, _gradient, _bestGradient, _direction, _candidate; // [B, D]
    private readonly float[] _logits;                                                                   // [B, C]
    private readonly float[] _loss, _previousLoss, _bestLoss, _bestLossAtCheckpoint, _stepSize;        // [B]
    private readonly int[] _improvements;                                                              // [B]
    private readonly bool[] _halvedAtLastCheckpoint, _found;                                           // [B]

    public ApgdWorker(ApgdAttack attack, IClassifierScores model, InputBounds bounds, int maxRows)
        : base(model, bounds, attack.PerturbationNorm, maxRows)
    {
        _attack = attack;
        _model = RequireDifferentiable(attack.Name);
        int size = maxRows * FeatureCount;
        _current = new float[size];
        _previous = new float[size];
        _best = new float[size];
        _gradient = new float[size];
        _bestGradient = new float[size];
        _direction = new float[size];
        _candidate = new float[size];
        _logits = new float[maxRows * ClassCount];
        _loss = new float[maxRows];
        _previousLoss = new float[maxRows];
        _bestLoss = new float[maxRows];
        _bestLossAtCheckpoint = new float[maxRows];
        _stepSize = new float[maxRows];
        _improvements = new int[maxRows];
        _halvedAtLastCheckpoint = new bool[maxRows];
        _found = new bool[maxRows];
    }

    protected override void Perturb(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, ReadOnlySpan<float> strengths, int rows, Random random, Span<float> adversarial)
    {
        int d = FeatureCount;
        int size = rows * d;
        Span<float> current = _current.AsSpan(0, size);
        Span<float> previous = _previous.AsSpan(0, size);
        Span<float> best = _best.AsSpan(0, size);
        Span<float> gradient = _gradient.AsSpan(0, size);
        Span<float> bestGradient = _bestGradient.AsSpan(0, size);
        Span<float> direction = _direction.AsSpan(0, size);
        Span<float> candidate = _candidate.AsSpan(0, size);
        Span<float> logits = _logits.AsSpan(0, rows * ClassCount);
        PerturbationNorm norm = _attack.PerturbationNorm;
        float momentum = _attack.MomentumFactor;
        _found.AsSpan(0, rows).Clear();

        for (int restart = 0; restart < _attack.Restarts; restart++)
        {
            norm.SampleInBall(features, strengths, rows, d, random, current);
            ProjectAndClip(features, strengths, rows, current);
            ComputeLossGradient(_model, current, labels, rows, _attack.Loss, logits, _loss, gradient);
            StoreMisclassified(current, labels, rows, logits, adversarial);
            current.CopyTo(best);
            current.CopyTo(previous);
            gradient.CopyTo(bestGradient);
            for (int i = 0; i < rows; i++)
            {
                _stepSize[i] = 2f * strengths[i];
                _bestLoss[i] = _loss[i];
                _previousLoss[i] = _loss[i];
                _bestLossAtCheckpoint[i] = _loss[i];
                _improvements[i] = 0;
                _halvedAtLastCheckpoint[i] = false;
            }

            int checkpointIndex = 0;
            int lastCheckpoint = 0;
            for (int k = 0; k < _attack.Iterations; k++)
            {
                // z = P(x_k + a d(g_k)); x_{k+1} = P(x_k + m (z - x_k) + (1 - m)(x_k - x_{k-1})), with m = 1 at k = 0.
                norm.SteepestAscentDirection(gradient, rows, d, direction);
                float m = k == 0 ? 1f : momentum;
                for (int i = 0; i < rows; i++)
                {
                    float a = _stepSize[i];
                    Span<float> z = candidate.Slice(i * d, d);
                    ReadOnlySpan<float> x = current.Slice(i * d, d);
                    ReadOnlySpan<float> dir = direction.Slice(i * d, d);
                    for (int j = 0; j < d; j++) z[j] = x[j] + a * dir[j];
                }

                ProjectAndClip(features, strengths, rows, candidate);
                for (int i = 0; i < rows; i++)
                {
                    Span<float> z = candidate.Slice(i * d, d);
                    Span<float> x = current.Slice(i * d, d);
                    Span<float> old = previous.Slice(i * d, d);
                    for (int j = 0; j < d; j++)
                    {
                        float next = x[j] + m * (z[j] - x[j]) + (1f - m) * (x[j] - old[j]);
                        old[j] = x[j];
                        z[j] = next;
                    }
                }

                ProjectAndClip(features, strengths, rows, candidate);
                candidate.CopyTo(current);
                ComputeLossGradient(_model, current, labels, rows, _attack.Loss, logits, _loss, gradient);
                StoreMisclassified(current, labels, rows, logits, adversarial);
                for (int i = 0; i < rows; i++)
                {
                    if (_loss[i] > _previousLoss[i]) _improvements[i]++;
                    _previousLoss[i] = _loss[i];
                    if (_loss[i] > _bestLoss[i])
                    {
                        _bestLoss[i] = _loss[i];
                        current.Slice(i * d, d).CopyTo(best.Slice(i * d, d));
                        gradient.Slice(i * d, d).CopyTo(bestGradient.Slice(i * d, d));
                    }
                }

                if (checkpointIndex < _attack.Checkpoints.Count && k + 1 == _attack.Checkpoints[checkpointIndex])
                {
                    int window = _attack.Checkpoints[checkpointIndex] - lastCheckpoint;
                    for (int i = 0; i < rows; i++)
                    {
                        bool oscillating = _improvements[i] < _attack.RequiredImprovementFraction * window;
                        bool stalled = !_halvedAtLastCheckpoint[i] && _bestLoss[i] <= _bestLossAtCheckpoint[i];
                        bool halve = oscillating || stalled;
                        if (halve)
                        {
                            _stepSize[i] *= 0.5f;
                            best.Slice(i * d, d).CopyTo(current.Slice(i * d, d));
                            bestGradient.Slice(i * d, d).CopyTo(gradient.Slice(i * d, d));
                        }

                        _halvedAtLastCheckpoint[i] = halve;
                        _bestLossAtCheckpoint[i] = _bestLoss[i];
                        _improvements[i] = 0;
                    }

                    lastCheckpoint = _attack.Checkpoints[checkpointIndex];
                    checkpointIndex++;
                }
            }

            for (int i = 0; i < rows; i++)
            {
                if (!_found[i]) best.Slice(i * d, d).CopyTo(adversarial.Slice(i * d, d));
            }

            if (!_found.AsSpan(0, rows).Contains(false)) break;
        }
    }

    private void StoreMisclassified(ReadOnlySpan<float> current, ReadOnlySpan<int> labels, int rows, ReadOnlySpan<float> logits, Span<float> adversarial)
    {
        int d = FeatureCount;
        for (int i = 0; i < rows; i++)
        {
            if (_found[i] || ArgMax(logits.Slice(i * ClassCount, ClassCount)) == labels[i]) continue;
            _found[i] = true;
            current.Slice(i * d, d).CopyTo(adversarial.Slice(i * d, d));
        }
    }
}
