using MLNetJacobian.Models;

namespace MLNetJacobian.Robustness;

/// <summary>
/// What an attack is after, which every worker reads instead of assuming classification: when a row counts as
/// achieved (it then leaves the batch and counts as fooled), the margin a score-only search lowers, and the loss a
/// gradient attack ascends.
/// </summary>
/// <remarks>
/// Classification (<see cref="Misclassification"/>): the label of a row is its class; achieved when the predicted
/// class differs (arg-max, or the sign of a binary logit); margin <c>s_y - max_{j != y} s_j</c> (<c>+-s</c> for one
/// output); the loss is the attack's own (cross-entropy by default). Regression (<see cref="RegressionGoal"/>): the
/// "label" of a row is its row key into the goal's targets; never achieved, so every row runs all iterations; the
/// searches maximize <c>|f(x') - t|</c>.
/// </remarks>
internal abstract class AttackGoal
{
    /// <summary>The classification goal: change the predicted class.</summary>
    public static AttackGoal Misclassification { get; } = new MisclassificationGoal();

    /// <summary>Whether the attack reached its goal on a row with these outputs.</summary>
    public abstract bool IsAchieved(ReadOnlySpan<float> outputs, int label);

    /// <summary>The quantity a score-only search lowers (negative once a classification row is misclassified).</summary>
    public abstract float Margin(ReadOnlySpan<float> outputs, int label);

    /// <summary>The loss a gradient attack ascends, given the attack's own loss.</summary>
    public abstract ILogitLoss LossFor(ILogitLoss attackLoss);

    private sealed class MisclassificationGoal : AttackGoal
    {
        public override bool IsAchieved(ReadOnlySpan<float> outputs, int label) => ModelPredictions.PredictedClass(outputs) != label;

        public override float Margin(ReadOnlySpan<float> outputs, int label) => ModelPredictions.Margin(outputs, label);

        public override ILogitLoss LossFor(ILogitLoss attackLoss) => attackLoss;
    }
}

/// <summary>
/// The regression goal: move the prediction as far as possible from a target per row, <c>|f(x') - t_r|</c>, where
/// <c>t_r</c> is the clean prediction (the prediction change) or the label (the error). The row key passed as a row's
/// "label" indexes <see cref="Targets"/>.
/// </summary>
internal sealed class RegressionGoal : AttackGoal, ILogitLoss
{
    /// <summary>Creates the goal.</summary>
    /// <param name="targets">t per row key.</param>
    /// <param name="objective">"change" or "error", for reports.</param>
    public RegressionGoal(float[] targets, string objective)
    {
        Targets = targets;
        Name = objective;
    }

    /// <summary>t per row key.</summary>
    public float[] Targets { get; }

    /// <summary>The objective's name ("change" or "error").</summary>
    public string Name { get; }

    /// <inheritdoc />
    public override bool IsAchieved(ReadOnlySpan<float> outputs, int label) => false;

    /// <inheritdoc />
    public override float Margin(ReadOnlySpan<float> outputs, int label) => -Math.Abs(outputs[0] - Targets[label]);

    /// <inheritdoc />
    public override ILogitLoss LossFor(ILogitLoss attackLoss) => this;

    /// <summary>
    /// <c>L = |z - t|</c>, <c>dL/dz = sign(z - t)</c>; at <c>z = t</c> (the clean point of the change objective) the
    /// gradient is +1, so a first step raises the prediction rather than standing still.
    /// </summary>
    public void Evaluate(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int rows, int classCount, Span<float> lossValues, Span<float> logitGradient)
    {
        for (int i = 0; i < rows; i++)
        {
            float difference = logits[i] - Targets[labels[i]];
            lossValues[i] = Math.Abs(difference);
            logitGradient[i] = difference < 0 ? -1f : 1f;
        }
    }
}
