namespace MLNetJacobian.Robustness;

/// <summary>A per-example loss on logits that an attack maximises, with its gradient in the logits.</summary>
public interface ILogitLoss
{
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
