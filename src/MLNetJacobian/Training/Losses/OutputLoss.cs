using System.Globalization;
using System.Numerics;

namespace MLNetJacobian.Training;

/// <summary>
/// The output head and data loss of the objective: how the network's raw outputs <c>z</c> (logits, or the prediction)
/// are compared with a row's target. One of <see cref="SoftmaxCrossEntropy"/> (multiclass), <see cref="SigmoidLogLoss"/>
/// (binary), <see cref="SquaredError"/> or <see cref="Huber"/> (regression).
/// </summary>
/// <remarks>
/// <para>Targets are numbers for every task: a class index for the softmax (0, 1, ... as a float), 0 or 1 (or a
/// probability in [0, 1]) for the sigmoid, and the value itself for regression. The Jacobian penalty is always taken
/// of the raw outputs <c>z</c>, never of the head's probabilities.</para>
/// <para>The set of losses is closed (the constructor is not public); the objective, the validation pass and the
/// trainers read only this class.</para>
/// </remarks>
internal abstract class OutputLoss
{
    private protected OutputLoss()
    {
    }

    /// <summary>Softmax cross-entropy over <c>C &gt;= 2</c> logits: <c>logsumexp(z) - z_y</c>, target the class index <c>y</c>.</summary>
    public static OutputLoss SoftmaxCrossEntropy { get; } = new SoftmaxCrossEntropyLoss();

    /// <summary>Binary cross-entropy on one logit: <c>log(1 + exp(z)) - y z</c>, target <c>y</c> in [0, 1] (1 is the positive class).</summary>
    public static OutputLoss SigmoidLogLoss { get; } = new SigmoidLogLoss();

    /// <summary>Squared error on one output: <c>(z - y)^2</c> (no factor 1/2).</summary>
    public static OutputLoss SquaredError { get; } = new SquaredErrorLoss();

    /// <summary>
    /// The Huber loss on one output: <c>(z - y)^2 / 2</c> when <c>|z - y| &lt;= delta</c>, else
    /// <c>delta (|z - y| - delta / 2)</c>.
    /// </summary>
    /// <param name="delta">Where the loss turns from quadratic to linear; finite and greater than 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is not finite and positive.</exception>
    public static OutputLoss Huber(double delta) => new HuberLoss(delta);

    /// <summary>The loss's name, as logs and errors show it.</summary>
    public abstract string Name { get; }

    /// <summary>Whether a prediction is right or wrong (classification): the objective then counts correct rows.</summary>
    public abstract bool HasAccuracy { get; }

    /// <summary>Throws <see cref="ArgumentException"/> when the loss cannot act on <paramref name="outputCount"/> outputs.</summary>
    /// <param name="outputCount">The network's number of outputs.</param>
    public abstract void CheckOutputCount(int outputCount);

    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> naming the first of <paramref name="rows"/> targets that this loss
    /// cannot take (a class index outside <c>[0, C)</c> or not whole, a binary target outside [0, 1], a NaN or infinite value).
    /// </summary>
    /// <param name="targets">The targets <c>[rows]</c>.</param>
    /// <param name="rows">How many to check.</param>
    /// <param name="outputCount">The network's number of outputs.</param>
    /// <typeparam name="T">float or double.</typeparam>
    public void CheckTargets<T>(ReadOnlySpan<T> targets, int rows, int outputCount) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            double target = double.CreateTruncating(targets[i]);
            if (!IsValidTarget(target, outputCount))
            {
                throw new ArgumentOutOfRangeException(nameof(targets), target, string.Create(CultureInfo.InvariantCulture,
                    $"The target of row {i} is {target}; {TargetRequirement(outputCount)}."));
            }
        }
    }

    /// <summary>
    /// Adds up the loss of <paramref name="rows"/> rows and, when <paramref name="gradient"/> is not empty, writes each
    /// row's derivative with respect to its outputs, scaled by the row's weight.
    /// </summary>
    /// <param name="outputs">The raw outputs, row-major <c>[rows, C]</c>.</param>
    /// <param name="outputCount">C.</param>
    /// <param name="targets">The targets <c>[rows]</c> (valid: see <see cref="CheckTargets{T}"/>).</param>
    /// <param name="rowWeights">The weight <c>s_i</c> of each row <c>[rows]</c>, or empty for 1.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="gradient"><c>[rows, C]</c>, overwritten with <c>s_i dloss_i/dz_i</c>; or empty to skip the gradient.</param>
    /// <param name="correct">The number of rows predicted correctly (0 when <see cref="HasAccuracy"/> is false).</param>
    /// <returns><c>sum_i s_i loss_i</c>, in double.</returns>
    /// <typeparam name="T">float or double.</typeparam>
    public abstract double Compute<T>(ReadOnlySpan<T> outputs, int outputCount, ReadOnlySpan<T> targets, ReadOnlySpan<T> rowWeights,
        int rows, Span<T> gradient, out int correct) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Whether <paramref name="target"/> is a target this loss takes.</summary>
    private protected abstract bool IsValidTarget(double target, int outputCount);

    /// <summary>What a target must be, completing "The target of row i is v; ...".</summary>
    private protected abstract string TargetRequirement(int outputCount);
}
