using MLNetJacobian.Models;

namespace MLNetJacobian.Robustness;

/// <summary>The per-thread state of <see cref="SquareAttack"/>; see its remarks for the algorithm.</summary>
internal sealed class SquareWorker : AttackWorker
{
    private readonly SquareAttack _attack;
    private int _height, _width, _channels;
    private int[]? _slots;                // the movable features, in order, when some features are fixed (read as one row)
    private readonly float[] _best;       // current adversarial x + delta, clipped: [B, D]
    private readonly float[] _candidate;  // compacted candidates of the active rows: [B, D]
    private readonly float[] _scores;     // [B, C]
    private readonly float[] _margin;     // [B]
    private readonly int[] _active;       // indices of rows still classified correctly: [B]
    private readonly int[] _activeLabels; // [B]

    public SquareWorker(SquareAttack attack, IModel model, InputBounds bounds, int maxRows, int height, int width)
        : base(model, bounds, PerturbationNorm.LInfinity, maxRows)
    {
        _attack = attack;
        _height = height;
        _width = width;
        _channels = model.FeatureCount / (height * width);
        int size = maxRows * FeatureCount;
        _best = new float[size];
        _candidate = new float[size];
        _scores = new float[maxRows * OutputCount];
        _margin = new float[maxRows];
        _active = new int[maxRows];
        _activeLabels = new int[maxRows];
    }

    /// <inheritdoc />
    /// <remarks>With fixed features, the movable ones are read as one row of pixels, so no window is spent on a feature that may not move.</remarks>
    internal override void Configure(AttackGoal goal, bool[]? fixedFeatures)
    {
        base.Configure(goal, fixedFeatures);
        if (fixedFeatures is null) return;
        _slots = Enumerable.Range(0, FeatureCount).Where(j => !fixedFeatures[j]).ToArray();
        _height = 1;
        _width = Math.Max(1, _slots.Length);
        _channels = 1;
    }

    /// <summary>The feature of pixel position <paramref name="index"/>.</summary>
    private int Slot(int index) => _slots is null ? index : _slots[index];

    protected override void Perturb(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, ReadOnlySpan<float> strengths, int rows, Random random, Span<float> adversarial)
    {
        int d = FeatureCount;
        int plane = _height * _width;
        Span<float> best = _best.AsSpan(0, rows * d);

        // Start: vertical stripes of +-eps, one sign per channel and column.
        for (int i = 0; i < rows; i++)
        {
            float eps = strengths[i];
            ReadOnlySpan<float> x = features.Slice(i * d, d);
            Span<float> adv = best.Slice(i * d, d);
            for (int c = 0; c < _channels; c++)
            {
                for (int w = 0; w < _width; w++)
                {
                    float delta = random.Next(2) == 0 ? -eps : eps;
                    for (int h = 0; h < _height; h++)
                    {
                        if (_slots is { Length: 0 }) continue;
                        int index = Slot(c * plane + h * _width + w);
                        adv[index] = x[index] + delta;
                    }
                }
            }
        }

        ProjectAndClip(features, strengths, rows, best);
        ComputeOutputs(best, rows, _scores);
        int activeCount = 0;
        for (int i = 0; i < rows; i++)
        {
            _margin[i] = Goal.Margin(_scores.AsSpan(i * OutputCount, OutputCount), labels[i]);
            if (!Goal.IsAchieved(_scores.AsSpan(i * OutputCount, OutputCount), labels[i])) _active[activeCount++] = i;
        }

        if (_slots is { Length: 0 }) activeCount = 0;
        for (int iteration = 1; iteration < _attack.MaxQueries && activeCount > 0; iteration++)
        {
            float p = _attack.FractionAt(iteration);
            int side = _height == 1
                ? Math.Clamp((int)Math.Round(p * _width), 1, _width)
                : Math.Clamp((int)Math.Round(Math.Sqrt(p * plane)), 1, Math.Max(1, Math.Min(_height, _width) - 1));
            int sideHeight = _height == 1 ? 1 : side;
            for (int k = 0; k < activeCount; k++)
            {
                int i = _active[k];
                _activeLabels[k] = labels[i];
                Span<float> candidate = _candidate.AsSpan(k * d, d);
                best.Slice(i * d, d).CopyTo(candidate);
                ReadOnlySpan<float> x = features.Slice(i * d, d);
                float eps = strengths[i];
                int top = random.Next(_height - sideHeight + 1);
                int left = random.Next(_width - side + 1);
                for (int c = 0; c < _channels; c++)
                {
                    float delta = random.Next(2) == 0 ? -eps : eps;
                    for (int h = top; h < top + sideHeight; h++)
                    {
                        int rowStart = c * plane + h * _width;
                        for (int w = left; w < left + side; w++)
                        {
                            int index = Slot(rowStart + w);
                            candidate[index] = Bounds.Clamp(x[index] + delta, index);
                        }
                    }
                }
            }

            ComputeOutputs(_candidate.AsSpan(0, activeCount * d), activeCount, _scores);
            int kept = 0;
            for (int k = 0; k < activeCount; k++)
            {
                int i = _active[k];
                ReadOnlySpan<float> scores = _scores.AsSpan(k * OutputCount, OutputCount);
                float margin = Goal.Margin(scores, _activeLabels[k]);
                bool improved = margin < _margin[i];
                if (improved)
                {
                    _margin[i] = margin;
                    _candidate.AsSpan(k * d, d).CopyTo(best.Slice(i * d, d));
                }

                bool fooled = improved && Goal.IsAchieved(scores, _activeLabels[k]);
                if (!fooled) _active[kept++] = i;
            }

            activeCount = kept;
        }

        best.CopyTo(adversarial);
    }
}
