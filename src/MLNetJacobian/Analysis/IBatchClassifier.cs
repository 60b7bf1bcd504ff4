namespace MLNetJacobian.Analysis;

/// <summary>A classifier that scores many feature rows in one call: the view of a model that the analysis needs.</summary>
/// <remarks>
/// <see cref="MLNetClassifier"/> adapts any ML.NET transformer with a Score column; the network adapter adapts this
/// library's networks. Implementations are not required to be thread-safe.
/// </remarks>
public interface IBatchClassifier
{
    /// <summary>D, the number of input features.</summary>
    int FeatureCount { get; }

    /// <summary>The width of the score vector per row (C for multiclass models, 1 for a binary margin).</summary>
    int OutputCount { get; }

    /// <summary>What the scores are (logits, or an ML.NET Score column).</summary>
    JacobianOutputKind OutputKind { get; }

    /// <summary>The class names, in class-index order.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>Scores and classifies <paramref name="rows"/> feature rows.</summary>
    /// <param name="features">x: <c>[rows, D]</c> row-major.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="scores">Receives the scores: <c>[rows, OutputCount]</c> row-major.</param>
    /// <param name="predictedClasses">Receives the predicted class index of each row, in <c>[0, ClassNames.Count)</c>: <c>[rows]</c>.</param>
    void Classify(ReadOnlySpan<float> features, int rows, Span<float> scores, Span<int> predictedClasses);
}
