using MLNetJacobian.Models;

namespace MLNetJacobian.Robustness;

/// <summary>
/// A worker that keeps the rows it still attacks packed at the front of its per-row buffers (positions
/// <c>[0, active)</c>) and drops a row as soon as an iterate of it is misclassified (the attacks'
/// <c>ReturnFirstAdversarial</c>), so later iterations cost only what is left to attack.
/// </summary>
internal abstract class PackedRowsAttackWorker(IModel model, InputBounds bounds, PerturbationNorm? norm, int maxRows)
    : AttackWorker(model, bounds, norm, maxRows)
{
    /// <summary>Moves every per-row state of packed position <paramref name="from"/> to position <paramref name="to"/>.</summary>
    protected abstract void MoveRow(int from, int to);

    /// <summary>
    /// Stores each misclassified row of <c>[0, active)</c> (its iterate, at its row of the batch) in
    /// <paramref name="adversarial"/> and drops it, the last active row moving into its place; returns the new count.
    /// </summary>
    /// <param name="active">Rows still attacked.</param>
    /// <param name="logits"><c>[active, C]</c>: the logits of the iterates.</param>
    /// <param name="labels"><c>[active]</c>: the packed labels.</param>
    /// <param name="iterates"><c>[active, D]</c>: the packed iterates.</param>
    /// <param name="order"><c>[active]</c>: packed position to row of the batch.</param>
    /// <param name="adversarial"><c>[B, D]</c>: the results, by row of the batch.</param>
    protected int DropMisclassified(int active, ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, ReadOnlySpan<float> iterates,
        ReadOnlySpan<int> order, Span<float> adversarial)
    {
        int d = FeatureCount, c = OutputCount;
        // From the end, so the row moved into position i has already been checked and is still robust.
        for (int i = active - 1; i >= 0; i--)
        {
            if (!Goal.IsAchieved(logits.Slice(i * c, c), labels[i])) continue;
            iterates.Slice(i * d, d).CopyTo(adversarial.Slice(order[i] * d, d));
            if (i != active - 1) MoveRow(active - 1, i);
            active--;
        }

        return active;
    }
}
