namespace MLNetJacobian.Analysis;

/// <summary>The Jacobian of the class probabilities from the Jacobian of the logits (the softmax chain rule).</summary>
/// <remarks>
/// With <c>p = softmax(z)</c>, <c>dp/dz = diag(p) - p p^T</c>, so the probability Jacobian is
/// <c>J_p = (diag(p) - p p^T) J_z</c>, i.e. row <c>i</c> of <c>J_p</c> is <c>p_i (J_z[i, :] - sum_k p_k J_z[k, :])</c>.
/// Its rows sum to zero (probabilities always sum to one), so its rank is at most <c>C - 1</c>.
/// </remarks>
public static class SoftmaxJacobian
{
    /// <summary>Computes <c>p = softmax(logits)</c> and <c>J_p = (diag(p) - p p^T) J_z</c>.</summary>
    /// <param name="logits">z: <c>[C]</c>.</param>
    /// <param name="logitJacobian">J_z: <c>[C, D]</c> row-major.</param>
    /// <param name="probabilities">Receives p: <c>[C]</c>.</param>
    /// <param name="probabilityJacobian">Receives J_p: <c>[C, D]</c> row-major.</param>
    /// <exception cref="ArgumentException">The lengths do not fit together.</exception>
    public static void Apply(ReadOnlySpan<double> logits, ReadOnlySpan<double> logitJacobian, Span<double> probabilities, Span<double> probabilityJacobian)
    {
        int classCount = logits.Length;
        if (classCount < 1) throw new ArgumentException("At least one logit is needed.", nameof(logits));
        if (logitJacobian.Length % classCount != 0 || logitJacobian.Length == 0)
        {
            throw new ArgumentException($"The logit Jacobian has {logitJacobian.Length} entries, not a positive multiple of C = {classCount}.", nameof(logitJacobian));
        }

        int featureCount = logitJacobian.Length / classCount;
        if (probabilities.Length != classCount) throw new ArgumentException($"probabilities has {probabilities.Length} entries; C = {classCount} expected.", nameof(probabilities));
        if (probabilityJacobian.Length != logitJacobian.Length)
        {
            throw new ArgumentException($"probabilityJacobian has {probabilityJacobian.Length} entries; C * D = {logitJacobian.Length} expected.", nameof(probabilityJacobian));
        }

        double largest = double.NegativeInfinity;
        foreach (double z in logits) largest = Math.Max(largest, z);
        double total = 0;
        for (int i = 0; i < classCount; i++)
        {
            probabilities[i] = Math.Exp(logits[i] - largest);
            total += probabilities[i];
        }

        for (int i = 0; i < classCount; i++) probabilities[i] /= total;

        // mean: [D] = p^T J_z
        var mean = new double[featureCount];
        for (int k = 0; k < classCount; k++)
        {
            ReadOnlySpan<double> row = logitJacobian.Slice(k * featureCount, featureCount);
            for (int j = 0; j < featureCount; j++) mean[j] += probabilities[k] * row[j];
        }

        for (int i = 0; i < classCount; i++)
        {
            ReadOnlySpan<double> row = logitJacobian.Slice(i * featureCount, featureCount);
            Span<double> target = probabilityJacobian.Slice(i * featureCount, featureCount);
            for (int j = 0; j < featureCount; j++) target[j] = probabilities[i] * (row[j] - mean[j]);
        }
    }
}
