using System.Globalization;
using MLNetJacobian.Models;

namespace MLNetJacobian.Robustness;

/// <summary>
/// Auto-PGD (Croce and Hein 2020, the gradient attacks of AutoAttack): PGD with momentum and a step size that
/// adapts itself, run with the cross-entropy (APGD-CE) or the DLR loss (APGD-DLR).
/// </summary>
/// <remarks>
/// From a uniform start <c>x_0</c> in the ball and step <c>a = 2 eps</c>:
/// <c>z = P(x_k + a d(g_k))</c>; <c>x_1 = z</c>; <c>x_{k+1} = P(x_k + 0.75 (z - x_k) + 0.25 (x_k - x_{k-1}))</c>,
/// where <c>P</c> projects onto the ball and clips to the bounds and <c>d</c> is the norm's steepest-ascent direction.
/// The best-loss iterate <c>x_max</c> is tracked. Checkpoints come after windows of <c>0.22 N</c> iterations, each
/// window <c>0.03 N</c> shorter than the last but at least <c>0.06 N</c>. At a checkpoint the step is halved, and the
/// iterate reset to <c>x_max</c> (with its gradient), for each row where fewer than 75% of the window's steps
/// increased the loss, or where the step was not halved at the previous checkpoint and the best loss has not
/// improved since. With <see cref="ReturnFirstAdversarial"/> (the default) a row stops at its first misclassified
/// iterate, which is returned, and leaves the batch; a row never misclassified returns <c>x_max</c>. Without it every
/// row runs all iterations and returns <c>x_max</c> (Croce and Hein's Algorithm 1). The checkpoints are iteration
/// counts shared by all rows and the halving rule reads only the row's own counters, so a row that stops leaves
/// every other row's schedule unchanged. Over restarts, a row keeps the <c>x_max</c> of highest loss.
/// </remarks>
public sealed class ApgdAttack : Attack
{
    private const float Momentum = 0.75f;
    private const double ImprovementFraction = 0.75;

    /// <summary>Creates an APGD attack.</summary>
    /// <param name="loss">The loss: <see cref="ILogitLoss.CrossEntropy"/> (APGD-CE) or <see cref="ILogitLoss.DifferenceOfLogitsRatio"/> (APGD-DLR).</param>
    /// <param name="norm">The perturbation norm (L-inf by default).</param>
    /// <param name="iterations">Iterations per restart (AutoAttack: 100).</param>
    /// <param name="restarts">Restarts (at least 1).</param>
    public ApgdAttack(ILogitLoss loss, PerturbationNorm? norm = null, int iterations = 100, int restarts = 1)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "APGD needs at least 1 iteration.");
        if (restarts < 1) throw new ArgumentOutOfRangeException(nameof(restarts), restarts, "APGD needs at least 1 restart.");
        Loss = loss;
        PerturbationNorm = norm ?? PerturbationNorm.LInfinity;
        Iterations = iterations;
        Restarts = restarts;
        Checkpoints = ComputeCheckpoints(iterations);
    }

    /// <summary>The loss ascended.</summary>
    public ILogitLoss Loss { get; }

    /// <summary>The perturbation norm.</summary>
    public PerturbationNorm PerturbationNorm { get; }

    /// <summary>Iterations per restart.</summary>
    public int Iterations { get; }

    /// <summary>Restarts.</summary>
    public int Restarts { get; }

    /// <summary>
    /// Return the first misclassified iterate and stop attacking that row (true, the default: AutoAttack's practice of
    /// attacking only what is still robust), or run every row for all iterations and return its best-loss iterate
    /// <c>x_max</c>. The same option as <see cref="PgdAttack.ReturnFirstAdversarial"/>.
    /// </summary>
    /// <remarks>
    /// A row still attacked follows the same iterates either way (the random starts are drawn for the whole batch), so
    /// every row the full run fools is fooled with early stopping too. With the DLR loss the robust accuracy is the
    /// same (the loss is positive exactly when the row is misclassified, so <c>x_max</c> is misclassified whenever an
    /// iterate was); with the cross-entropy, early stopping can fool a few more rows, whose <c>x_max</c> is classified
    /// correctly although an earlier iterate was not.
    /// </remarks>
    public bool ReturnFirstAdversarial { get; init; } = true;

    /// <summary>The iteration counts (1-based) after which the step-size rule is checked.</summary>
    public IReadOnlyList<int> Checkpoints { get; }

    /// <inheritdoc />
    /// <remarks>Encodes every setting that differs from AutoAttack's: <c>APGD-CE L-inf</c>, <c>APGD-DLR-50x3 L2 best iterate</c>.</remarks>
    public override string Name =>
        $"APGD-{Loss.Name}{(Iterations != 100 ? $"-{Iterations}" : "")}{(Restarts > 1 ? $"x{Restarts}" : "")} {PerturbationNorm.Name}" +
        (ReturnFirstAdversarial ? "" : " best iterate");

    /// <inheritdoc />
    public override PerturbationNorm? Norm => PerturbationNorm;

    /// <inheritdoc />
    public override AttackKind Kind => AttackKind.Gradient;

    /// <inheritdoc />
    public override int? GradientSteps => Iterations;

    /// <inheritdoc />
    public override int MinimumClassCount => Loss.MinimumClassCount;

    /// <inheritdoc />
    public override Attack? WithDoubledEffort() => new ApgdAttack(Loss, PerturbationNorm, 2 * Iterations, Restarts) { ReturnFirstAdversarial = ReturnFirstAdversarial };

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["norm"] = PerturbationNorm.Name,
        ["loss"] = Loss.Name,
        ["iterations"] = Iterations.ToString(CultureInfo.InvariantCulture),
        ["restarts"] = Restarts.ToString(CultureInfo.InvariantCulture),
        ["initialStep"] = "2 x epsilon",
        ["momentum"] = Momentum.ToString(CultureInfo.InvariantCulture),
        ["checkpoints"] = string.Join(",", Checkpoints),
        ["halveWhen"] = "< 75% of a window's steps increased the loss, or no halving and no improvement since the last checkpoint",
        ["returns"] = ReturnFirstAdversarial ? "first misclassified iterate (the row then stops), else best-loss iterate" : "best-loss iterate",
    };

    /// <inheritdoc />
    public override AttackWorker CreateWorker(IModel model, InputBounds bounds, int maxRows) => new ApgdWorker(this, model, bounds, maxRows);

    private static int[] ComputeCheckpoints(int iterations)
    {
        int window = Math.Max((int)Math.Ceiling(0.22 * iterations), 1);
        int decrease = Math.Max((int)Math.Ceiling(0.03 * iterations), 1);
        int minimum = Math.Max((int)Math.Ceiling(0.06 * iterations), 1);
        var checkpoints = new List<int>();
        for (int at = window; at <= iterations; at += window)
        {
            checkpoints.Add(at);
            window = Math.Max(window - decrease, minimum);
        }

        return checkpoints.ToArray();
    }

    internal float MomentumFactor => Momentum;

    internal double RequiredImprovementFraction => ImprovementFraction;
}
