namespace MLNetJacobian.Robustness;

/// <summary>
/// A classifier seen from outside: a score per class for a batch of inputs. Any model fits, trees included;
/// the predicted class is the arg-max of the scores. Black-box attacks (noise, Square) need only this.
/// </summary>
/// <remarks>
/// Instances hold work buffers and are not thread-safe; the evaluator calls <see cref="CreateThreadInstance"/>
/// once per thread. Buffers grow to the largest batch seen and are then reused (no allocation per batch).
/// </remarks>
public interface IClassifierScores
{
    /// <summary>D, the number of input features.</summary>
    int FeatureCount { get; }

    /// <summary>C, the number of classes (scores per row).</summary>
    int ClassCount { get; }

    /// <summary>A one-line description of the model for reports.</summary>
    string Description { get; }

    /// <summary>Computes the scores of <paramref name="rows"/> inputs.</summary>
    /// <param name="features">Inputs, <c>[rows, D]</c> row-major.</param>
    /// <param name="rows">Number of rows (at least 1).</param>
    /// <param name="scores">Destination, <c>[rows, C]</c> row-major.</param>
    void ComputeScores(ReadOnlySpan<float> features, int rows, Span<float> scores);

    /// <summary>
    /// An independent instance over the same model, with its own work buffers, for use on another thread.
    /// A differentiable model returns an <see cref="IDifferentiableClassifier"/>.
    /// </summary>
    IClassifierScores CreateThreadInstance();
}
