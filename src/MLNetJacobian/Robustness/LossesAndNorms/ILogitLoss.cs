namespace MLNetJacobian.Robustness;

/// <summary>A per-example loss on logits that an attack maximises, with its gradient in the logits.</summary>
/// <remarks>
/// The two losses of the attacks are <see cref="CrossEntropy"/> and <see cref="DifferenceOfLogitsRatio"/>; implement
/// this interface for another one (an attack takes it, for example <see cref="PgdAttack.Loss"/>).
/// </remarks>
public interface ILogitLoss
{
    /// <summary>
    /// The cross-entropy of the softmax of the logits, <c>L = logsumexp(z) - z_y</c> (with one output, the log-loss of
    /// <c>sigmoid(z)</c>): the loss of FGSM, PGD and APGD-CE. Named <c>CE</c> in reports.
    /// </summary>
    static ILogitLoss CrossEntropy { get; } = new CrossEntropyLoss();

    /// <summary>
    /// The difference-of-logits-ratio loss of Croce and Hein (2020), <c>-(z_y - max_{j != y} z_j) / (z_pi1 - z_pi3)</c>,
    /// invariant to shifting and scaling the logits; needs at least three classes. Named <c>DLR</c> in reports (APGD-DLR).
    /// </summary>
    static ILogitLoss DifferenceOfLogitsRatio { get; } = new DifferenceOfLogitsRatioLoss();

    /// <summary>A short name for reports (<c>CE</c>, <c>DLR</c>).</summary>
    string Name { get; }

    /// <summary>The fewest classes the loss is defined for (2; the DLR loss needs 3).</summary>
    int MinimumClassCount => 2;

    /// <summary>Computes <c>L_i(z_i, y_i)</c> and <c>g_i = dL_i/dz_i</c> for each row.</summary>
    /// <param name="logits">Logits, <c>[rows, C]</c>.</param>
    /// <param name="labels">True classes, <c>[rows]</c>.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="classCount">C.</param>
    /// <param name="lossValues">Destination, <c>[rows]</c>.</param>
    /// <param name="logitGradient">Destination, <c>[rows, C]</c>.</param>
    void Evaluate(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int rows, int classCount, Span<float> lossValues, Span<float> logitGradient);
}
