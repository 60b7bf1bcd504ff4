using MLNetJacobian.Models;

namespace MLNetJacobian.Robustness;

/// <summary>The per-thread state of <see cref="ApgdAttack"/>; see its remarks for the algorithm.</summary>
/// <remarks>
/// The rows still attacked are kept packed at the front of every per-row buffer (positions <c>[0, active)</c>);
/// <c>_order</c> maps a position to its row of the batch. With <see cref="ApgdAttack.ReturnFirstAdversarial"/> a row
/// is stored and dropped as soon as an iterate is misclassified: the last active row moves into its place with all of
/// its state (origin, iterate, previous iterate, best point and gradient, step size, checkpoint counters), so the later
/// iterations cost only what is left to attack and each remaining row follows the same trajectory as in a full run.
/// </remarks>
internal sealed class ApgdWorker : PackedRowsAttackWorker
{
    private readonly ApgdAttack _attack;
    private readonly IDifferentiableModel _model;
    private readonly float[] _origin, _current, _previous, _best, _gradient, _bestGradient;            // [B, D], packed
    private readonly float[] _direction, _candidate;                                                   // [B, D], scratch
    private readonly float[] _logits;                                                                  // [B, C]
    private readonly float[] _epsilons, _loss, _previousLoss, _bestLoss, _bestLossAtCheckpoint, _stepSize; // [B], packed
    private readonly int[] _labels, _order, _improvements;                                             // [B], packed
    private readonly bool[] _halvedAtLastCheckpoint;                                                   // [B], packed
    private readonly float[] _returnedLoss;                                                            // [B], by batch row
    private readonly float[][] _rowBuffers;                                                            // the packed [B, D] buffers

    public ApgdWorker(ApgdAttack attack, IModel model, InputBounds bounds, int maxRows)
        : base(model, bounds, attack.PerturbationNorm, maxRows)
    {
        _attack = attack;
        _model = RequireDifferentiable(attack.Name);
        int size = maxRows * FeatureCount;
        _origin = new float[size];
        _current = new float[size];
        _previous = new float[size];
        _best = new float[size];
        _gradient = new float[size];
        _bestGradient = new float[size];
        _direction = new float[size];
        _candidate = new float[size];
        _logits = new float[maxRows * OutputCount];
        _epsilons = new float[maxRows];
        _loss = new float[maxRows];
        _previousLoss = new float[maxRows];
        _bestLoss = new float[maxRows];
        _bestLossAtCheckpoint = new float[maxRows];
        _stepSize = new float[maxRows];
        _labels = new int[maxRows];
        _order = new int[maxRows];
        _improvements = new int[maxRows];
        _halvedAtLastCheckpoint = new bool[maxRows];
        _returnedLoss = new float[maxRows];
        _rowBuffers = [_origin, _current, _previous, _best, _gradient, _bestGradient];
    }

    protected override void Perturb(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, ReadOnlySpan<float> strengths, int rows, Random random, Span<float> adversarial)
    {
        features.CopyTo(_origin);
        labels.CopyTo(_labels);
        strengths.CopyTo(_epsilons);
        for (int i = 0; i < rows; i++) _order[i] = i;
        int active = rows;
        for (int restart = 0; restart < _attack.Restarts && active > 0; restart++)
        {
            active = RunRestart(restart == 0, features, strengths, rows, active, random, adversarial);
        }
    }

    /// <summary>One APGD run from a random start over the active rows; returns how many are still active after it.</summary>
    /// <remarks>
    /// The random start is drawn for every row of the batch, as in a full run, and the active rows take theirs: a row
    /// still attacked then starts, and goes, where it would have without early stopping.
    /// </remarks>
    private int RunRestart(bool firstRestart, ReadOnlySpan<float> features, ReadOnlySpan<float> strengths, int rows, int active, Random random,
        Span<float> adversarial)
    {
        int d = FeatureCount;
        PerturbationNorm norm = _attack.PerturbationNorm;
        float momentum = _attack.MomentumFactor;
        IReadOnlyList<int> checkpoints = _attack.Checkpoints;

        if (active == rows)
        {
            // No row has left, so the packed order is the batch order.
            norm.SampleInBall(_origin, _epsilons, active, d, random, _current);
        }
        else
        {
            norm.SampleInBall(features, strengths, rows, d, random, _candidate);
            for (int i = 0; i < active; i++) _candidate.AsSpan(_order[i] * d, d).CopyTo(_current.AsSpan(i * d, d));
        }

        ProjectAndClip(_origin, _epsilons, active, _current);
        active = EvaluateAndDropMisclassified(active, adversarial);
        _current.AsSpan(0, active * d).CopyTo(_best);
        _current.AsSpan(0, active * d).CopyTo(_previous);
        _gradient.AsSpan(0, active * d).CopyTo(_bestGradient);
        for (int i = 0; i < active; i++)
        {
            _stepSize[i] = 2f * _epsilons[i];
            _bestLoss[i] = _loss[i];
            _previousLoss[i] = _loss[i];
            _bestLossAtCheckpoint[i] = _loss[i];
            _improvements[i] = 0;
            _halvedAtLastCheckpoint[i] = false;
        }

        int checkpointIndex = 0;
        int lastCheckpoint = 0;
        for (int k = 0; k < _attack.Iterations && active > 0; k++)
        {
            // z = P(x_k + a d(g_k)); x_{k+1} = P(x_k + m (z - x_k) + (1 - m)(x_k - x_{k-1})), with m = 1 at k = 0.
            norm.SteepestAscentDirection(_gradient, active, d, _direction);
            float m = k == 0 ? 1f : momentum;
            for (int i = 0; i < active; i++)
            {
                float a = _stepSize[i];
                Span<float> z = _candidate.AsSpan(i * d, d);
                ReadOnlySpan<float> x = _current.AsSpan(i * d, d);
                ReadOnlySpan<float> direction = _direction.AsSpan(i * d, d);
                for (int j = 0; j < d; j++) z[j] = x[j] + a * direction[j];
            }

            ProjectAndClip(_origin, _epsilons, active, _candidate);
            for (int i = 0; i < active; i++)
            {
                Span<float> z = _candidate.AsSpan(i * d, d);
                Span<float> x = _current.AsSpan(i * d, d);
                Span<float> old = _previous.AsSpan(i * d, d);
                for (int j = 0; j < d; j++)
                {
                    float next = x[j] + m * (z[j] - x[j]) + (1f - m) * (x[j] - old[j]);
                    old[j] = x[j];
                    z[j] = next;
                }
            }

            ProjectAndClip(_origin, _epsilons, active, _candidate);
            _candidate.AsSpan(0, active * d).CopyTo(_current);
            active = EvaluateAndDropMisclassified(active, adversarial);
            for (int i = 0; i < active; i++)
            {
                if (_loss[i] > _previousLoss[i]) _improvements[i]++;
                _previousLoss[i] = _loss[i];
                if (_loss[i] > _bestLoss[i])
                {
                    _bestLoss[i] = _loss[i];
                    _current.AsSpan(i * d, d).CopyTo(_best.AsSpan(i * d, d));
                    _gradient.AsSpan(i * d, d).CopyTo(_bestGradient.AsSpan(i * d, d));
                }
            }

            if (checkpointIndex < checkpoints.Count && k + 1 == checkpoints[checkpointIndex])
            {
                int window = checkpoints[checkpointIndex] - lastCheckpoint;
                for (int i = 0; i < active; i++)
                {
                    bool oscillating = _improvements[i] < _attack.RequiredImprovementFraction * window;
                    bool stalled = !_halvedAtLastCheckpoint[i] && _bestLoss[i] <= _bestLossAtCheckpoint[i];
                    bool halve = oscillating || stalled;
                    if (halve)
                    {
                        _stepSize[i] *= 0.5f;
                        _best.AsSpan(i * d, d).CopyTo(_current.AsSpan(i * d, d));
                        _bestGradient.AsSpan(i * d, d).CopyTo(_gradient.AsSpan(i * d, d));
                    }

                    _halvedAtLastCheckpoint[i] = halve;
                    _bestLossAtCheckpoint[i] = _bestLoss[i];
                    _improvements[i] = 0;
                }

                lastCheckpoint = checkpoints[checkpointIndex];
                checkpointIndex++;
            }
        }

        // Rows not (yet) fooled return their best-loss iterate; over restarts, the one of highest loss.
        for (int i = 0; i < active; i++)
        {
            int row = _order[i];
            if (!firstRestart && !(_bestLoss[i] > _returnedLoss[row])) continue;
            _returnedLoss[row] = _bestLoss[i];
            _best.AsSpan(i * d, d).CopyTo(adversarial.Slice(row * d, d));
        }

        return active;
    }

    /// <summary>
    /// Logits, losses and gradients of the active rows; with <see cref="ApgdAttack.ReturnFirstAdversarial"/>, stores the
    /// misclassified ones and moves them out of <c>[0, active)</c>. Returns the new active count.
    /// </summary>
    private int EvaluateAndDropMisclassified(int active, Span<float> adversarial)
    {
        int d = FeatureCount;
        ComputeLossGradient(_model, _current.AsSpan(0, active * d), _labels.AsSpan(0, active), active, _attack.Loss, _logits, _loss, _gradient);
        return _attack.ReturnFirstAdversarial ? DropMisclassified(active, _logits, _labels, _current, _order, adversarial) : active;
    }

    /// <inheritdoc />
    protected override void MoveRow(int from, int to)
    {
        int d = FeatureCount;
        foreach (float[] buffer in _rowBuffers)
        {
            buffer.AsSpan(from * d, d).CopyTo(buffer.AsSpan(to * d, d));
        }

        _epsilons[to] = _epsilons[from];
        _loss[to] = _loss[from];
        _previousLoss[to] = _previousLoss[from];
        _bestLoss[to] = _bestLoss[from];
        _bestLossAtCheckpoint[to] = _bestLossAtCheckpoint[from];
        _stepSize[to] = _stepSize[from];
        _labels[to] = _labels[from];
        _order[to] = _order[from];
        _improvements[to] = _improvements[from];
        _halvedAtLastCheckpoint[to] = _halvedAtLastCheckpoint[from];
    }
}
