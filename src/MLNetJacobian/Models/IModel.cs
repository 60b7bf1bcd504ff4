namespace MLNetJacobian.Models;

/// <summary>
/// A model seen from outside: <c>K</c> outputs per row for a batch of feature rows. Any model fits (trees included);
/// black-box attacks and the decision-boundary analysis need only this. Gradient attacks need
/// <see cref="IDifferentiableModel"/>, Jacobian statistics <see cref="IJacobianModel"/>.
/// </summary>
/// <remarks>
/// <para>Shapes: <c>x: [rows, D]</c> row-major, outputs <c>[rows, K]</c>. A multiclass classifier has <c>K = C</c>
/// outputs (logits or scores, predicted class the arg-max); a binary classifier has one output, a logit or margin
/// whose sign is the predicted class (class 1 when positive, ML.NET's threshold on its Score); a regression model
/// has one output, the predicted value, and no classes. Convolutional networks read the same flat rows (channels,
/// height, width flattened by the model).</para>
/// <para>Instances hold work buffers and are not thread-safe; callers that use threads call
/// <see cref="CreateThreadInstance"/> once per thread. Buffers grow to the largest batch seen and are then reused.</para>
/// </remarks>
public interface IModel
{
    /// <summary>D, the number of input features per row.</summary>
    int FeatureCount { get; }

    /// <summary>K, the number of outputs per row (C for a multiclass classifier, 1 for binary and regression).</summary>
    int OutputCount { get; }

    /// <summary>What the model predicts: it says how outputs become a prediction.</summary>
    ModelTask Task { get; }

    /// <summary>What the outputs are (logits, or the Score column of an ML.NET model).</summary>
    ModelOutputKind OutputKind { get; }

    /// <summary>The class names in class-index order (C of them; two for binary; empty for regression).</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>A one-line description of the model for reports.</summary>
    string Description { get; }

    /// <summary>Computes the outputs of <paramref name="rows"/> rows.</summary>
    /// <param name="features">Inputs, <c>[rows, D]</c> row-major.</param>
    /// <param name="rows">Number of rows (at least 1).</param>
    /// <param name="outputs">Destination, <c>[rows, K]</c> row-major.</param>
    /// <exception cref="ArgumentException">A span is shorter than the rows need.</exception>
    void ComputeOutputs(ReadOnlySpan<float> features, int rows, Span<float> outputs);

    /// <summary>
    /// An independent instance over the same model with its own work buffers, for another thread. It has the same
    /// capabilities (a differentiable model returns an <see cref="IDifferentiableModel"/>).
    /// </summary>
    IModel CreateThreadInstance();
}
