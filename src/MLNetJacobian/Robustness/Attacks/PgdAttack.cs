using System.Globalization;
using MLNetJacobian.Models;

namespace MLNetJacobian.Robustness;

/// <summary>
/// Projected gradient descent on the loss (Madry et al. 2018; BIM without random start), written once for any
/// <see cref="PerturbationNorm"/>. FGSM is the special case of one full step of size epsilon without random start
/// (<see cref="Fgsm"/>).
/// </summary>
/// <remarks>
/// <c>x_0 = x</c> or a uniform draw from the ball; <c>x_{t+1} = clip(proj_ball(x_t + a * d(g_t)))</c> with
/// <c>g_t = dL/dx (x_t)</c>, <c>d</c> the norm's steepest-ascent direction (<c>sign(g)</c> for L-inf,
/// <c>g/||g||_2</c> for L2) and step <c>a</c> = <see cref="AbsoluteStepSize"/> or <see cref="RelativeStepSize"/> x epsilon.
/// With several restarts, each restart begins from a new random start. When <see cref="ReturnFirstAdversarial"/>
/// is set, the first iterate found misclassified is returned (the misclassification is read off the forward pass
/// that the next gradient needs anyway); otherwise the last iterate.
/// </remarks>
public sealed class PgdAttack : Attack
{
    /// <summary>Creates a PGD attack.</summary>
    /// <param name="norm">The perturbation norm.</param>
    /// <param name="steps">Gradient steps per restart (at least 1).</param>
    /// <param name="relativeStepSize">The step as a fraction of epsilon (used when no absolute step is given); null for
    /// <c>2.5 / steps</c> (Madry et al.'s rule: the steps together can cross the ball 1.25 times).</param>
    /// <param name="randomStart">Whether each restart begins at a uniform draw from the ball.</param>
    /// <param name="restarts">Number of restarts (at least 1).</param>
    public PgdAttack(PerturbationNorm norm, int steps = 40, float? relativeStepSize = null, bool randomStart = true, int restarts = 1)
    {
        ArgumentNullException.ThrowIfNull(norm);
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "PGD needs at least 1 step.");
        float relative = relativeStepSize ?? DefaultRelativeStepSize(steps);
        if (!(relative > 0) || !float.IsFinite(relative)) throw new ArgumentOutOfRangeException(nameof(relativeStepSize), relativeStepSize, "The relative step size must be positive.");
        if (restarts < 1) throw new ArgumentOutOfRangeException(nameof(restarts), restarts, "PGD needs at least 1 restart.");
        PerturbationNorm = norm;
        Steps = steps;
        RelativeStepSize = relative;
        RandomStart = randomStart;
        Restarts = restarts;
    }

    /// <summary>FGSM (Goodfellow et al. 2015): one step of size epsilon along the steepest-ascent direction, from x.</summary>
    /// <param name="norm">The perturbation norm.</param>
    public static PgdAttack Fgsm(PerturbationNorm norm) => new(norm, steps: 1, relativeStepSize: 1f, randomStart: false);

    /// <summary>Madry et al.'s MNIST setting: L-inf, 40 steps of 0.01, random start (use it with epsilon 0.3).</summary>
    public static PgdAttack MadryMnist() => new(PerturbationNorm.LInfinity, steps: 40, randomStart: true) { AbsoluteStepSize = 0.01f };

    /// <summary>The perturbation norm.</summary>
    public PerturbationNorm PerturbationNorm { get; }

    /// <summary>Gradient steps per restart.</summary>
    public int Steps { get; }

    /// <summary>The step as a fraction of epsilon.</summary>
    public float RelativeStepSize { get; }

    /// <summary>A fixed step size that overrides <see cref="RelativeStepSize"/>; null to scale with epsilon.</summary>
    public float? AbsoluteStepSize { get; init; }

    /// <summary>Whether each restart begins at a uniform draw from the ball.</summary>
    public bool RandomStart { get; }

    /// <summary>Number of restarts.</summary>
    public int Restarts { get; }

    /// <summary>The loss to ascend (cross-entropy by default).</summary>
    public ILogitLoss Loss { get; init; } = ILogitLoss.CrossEntropy;

    /// <summary>Return the first misclassified iterate (true, the default) or the last iterate.</summary>
    public bool ReturnFirstAdversarial { get; init; } = true;

    /// <summary>Whether this is the one-step, no-random-start form (FGSM).</summary>
    public bool IsSingleStep => Steps == 1 && Restarts == 1 && !RandomStart;

    /// <inheritdoc />
    /// <remarks>
    /// The name encodes every setting that differs from the defaults, so two differently configured attacks never share
    /// a name: <c>FGSM L-inf</c>, <c>PGD-40 L-inf</c>, <c>PGD-10x2 L2 step 0.02 no random start</c>,
    /// <c>PGD-40 L-inf step 0.1 eps loss DLR last iterate</c>.
    /// </remarks>
    public override string Name
    {
        get
        {
            bool fgsm = IsSingleStep && AbsoluteStepSize is null && RelativeStepSize == 1f;
            var name = new System.Text.StringBuilder(fgsm ? $"FGSM {PerturbationNorm.Name}" : $"PGD-{Steps}{(Restarts > 1 ? $"x{Restarts}" : "")} {PerturbationNorm.Name}");
            if (!fgsm)
            {
                if (AbsoluteStepSize is { } absolute) name.Append(" step ").Append(absolute.ToString("R", CultureInfo.InvariantCulture));
                else if (RelativeStepSize != DefaultRelativeStepSize(Steps)) name.Append(" step ").Append(RelativeStepSize.ToString("R", CultureInfo.InvariantCulture)).Append(" eps");
                if (!RandomStart) name.Append(" no random start");
            }

            if (Loss.Name != "CE") name.Append(" loss ").Append(Loss.Name);
            if (!ReturnFirstAdversarial) name.Append(" last iterate");
            return name.ToString();
        }
    }

    /// <summary>Madry et al.'s rule for the relative step: the steps together can cross the ball 1.25 times.</summary>
    private static float DefaultRelativeStepSize(int steps) => 2.5f / Math.Max(steps, 1);

    /// <inheritdoc />
    public override PerturbationNorm? Norm => PerturbationNorm;

    /// <inheritdoc />
    public override AttackKind Kind => AttackKind.Gradient;

    /// <inheritdoc />
    public override int? GradientSteps => Steps;

    /// <inheritdoc />
    public override int MinimumClassCount => Loss.MinimumClassCount;

    /// <inheritdoc />
    public override Attack? WithDoubledEffort() => IsSingleStep ? null : WithSteps(2 * Steps);

    /// <summary>An iterative PGD should find, per example, what a one-step gradient attack of its norm finds.</summary>
    /// <param name="other">Another attack of the evaluation.</param>
    public override bool ShouldBeAtLeastAsStrongAs(Attack other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return !IsSingleStep && other.Kind == AttackKind.Gradient && other.GradientSteps == 1 && Equals(other.Norm, Norm);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["norm"] = PerturbationNorm.Name,
        ["steps"] = Steps.ToString(CultureInfo.InvariantCulture),
        ["stepSize"] = AbsoluteStepSize is { } absolute
            ? absolute.ToString("R", CultureInfo.InvariantCulture)
            : $"{RelativeStepSize.ToString("R", CultureInfo.InvariantCulture)} x epsilon",
        ["randomStart"] = RandomStart ? "true" : "false",
        ["restarts"] = Restarts.ToString(CultureInfo.InvariantCulture),
        ["loss"] = Loss.Name,
        ["returns"] = ReturnFirstAdversarial ? "first misclassified iterate, else last" : "last iterate",
    };

    /// <summary>A copy with <paramref name="steps"/> steps and the same total step length (used by a sanity check).</summary>
    /// <param name="steps">The new number of steps.</param>
    public PgdAttack WithSteps(int steps) => new(PerturbationNorm, steps, RelativeStepSize * Steps / steps, RandomStart, Restarts)
    {
        AbsoluteStepSize = AbsoluteStepSize is { } absolute ? absolute * Steps / steps : null,
        Loss = Loss,
        ReturnFirstAdversarial = ReturnFirstAdversarial,
    };

    /// <inheritdoc />
    public override AttackWorker CreateWorker(IModel model, InputBounds bounds, int maxRows) => new Worker(this, model, bounds, maxRows);

    private sealed class Worker : PackedRowsAttackWorker
    {
        private readonly PgdAttack _attack;
        private readonly IDifferentiableModel _model;
        private readonly float[] _origin;      // clean inputs of the compacted rows: [B, D]
        private readonly float[] _current;     // x_t of the compacted rows: [B, D]
        private readonly float[] _gradient;    // g_t, then its direction: [B, D]
        private readonly float[] _logits;      // [B, C]
        private readonly float[] _lossValues;  // [B]
        private readonly float[] _epsilons;    // [B]
        private readonly float[] _stepSizes;   // [B]
        private readonly int[] _labels;        // [B]
        private readonly int[] _order;         // compacted position -> row of the batch: [B]

        public Worker(PgdAttack attack, IModel model, InputBounds bounds, int maxRows)
            : base(model, bounds, attack.PerturbationNorm, maxRows)
        {
            _attack = attack;
            _model = RequireDifferentiable(attack.Name);
            _origin = new float[maxRows * FeatureCount];
            _current = new float[maxRows * FeatureCount];
            _gradient = new float[maxRows * FeatureCount];
            _logits = new float[maxRows * OutputCount];
            _lossValues = new float[maxRows];
            _epsilons = new float[maxRows];
            _stepSizes = new float[maxRows];
            _labels = new int[maxRows];
            _order = new int[maxRows];
        }

        /// <remarks>
        /// With <see cref="ReturnFirstAdversarial"/>, a row is stored and dropped from the batch as soon as it is
        /// misclassified: the still-robust rows are kept packed at the front (<c>[0, active)</c>) by swapping, so the
        /// later steps cost only what is left to attack.
        /// </remarks>
        protected override void Perturb(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, ReadOnlySpan<float> strengths, int rows, Random random, Span<float> adversarial)
        {
            int d = FeatureCount;
            features.CopyTo(_origin);
            labels.CopyTo(_labels);
            strengths.CopyTo(_epsilons);
            for (int i = 0; i < rows; i++)
            {
                _order[i] = i;
                _stepSizes[i] = _attack.AbsoluteStepSize ?? _attack.RelativeStepSize * strengths[i];
            }

            int active = rows;
            for (int restart = 0; restart < _attack.Restarts && active > 0; restart++)
            {
                Span<float> start = _current.AsSpan(0, active * d);
                if (_attack.RandomStart)
                {
                    _attack.PerturbationNorm.SampleInBall(_origin, _epsilons, active, d, random, start);
                    ProjectAndClip(_origin, _epsilons, active, start);
                }
                else
                {
                    _origin.AsSpan(0, active * d).CopyTo(start);
                }

                for (int step = 0; step < _attack.Steps && active > 0; step++)
                {
                    ComputeLossGradient(_model, _current.AsSpan(0, active * d), _labels.AsSpan(0, active), active, _attack.Loss,
                        _logits, _lossValues, _gradient);
                    if (_attack.ReturnFirstAdversarial) active = DropMisclassified(active, _logits, _labels, _current, _order, adversarial);
                    _attack.PerturbationNorm.SteepestAscentDirection(_gradient, active, d, _gradient);
                    for (int k = 0; k < active; k++) ElementwiseKernels.AddScaled(_current.AsSpan(k * d, d), _gradient.AsSpan(k * d, d), _stepSizes[k]);

                    ProjectAndClip(_origin, _epsilons, active, _current);
                }

                if (_attack.ReturnFirstAdversarial && active > 0)
                {
                    ComputeOutputs(_current.AsSpan(0, active * d), active, _logits);
                    active = DropMisclassified(active, _logits, _labels, _current, _order, adversarial);
                }

                for (int k = 0; k < active; k++) _current.AsSpan(k * d, d).CopyTo(adversarial.Slice(_order[k] * d, d));
            }
        }

        /// <inheritdoc />
        protected override void MoveRow(int from, int to)
        {
            int d = FeatureCount;
            _current.AsSpan(from * d, d).CopyTo(_current.AsSpan(to * d, d));
            _origin.AsSpan(from * d, d).CopyTo(_origin.AsSpan(to * d, d));
            _gradient.AsSpan(from * d, d).CopyTo(_gradient.AsSpan(to * d, d));
            _epsilons[to] = _epsilons[from];
            _stepSizes[to] = _stepSizes[from];
            _labels[to] = _labels[from];
            _order[to] = _order[from];
        }
    }
}
