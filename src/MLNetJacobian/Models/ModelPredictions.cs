namespace MLNetJacobian.Models;

/// <summary>How a row of outputs becomes a predicted class, and the checks adapters share.</summary>
internal static class ModelPredictions
{
    /// <summary>The index of the largest output (the first on ties; NaN never wins).</summary>
    public static int ArgMax(ReadOnlySpan<float> outputs)
    {
        int best = 0;
        for (int j = 1; j < outputs.Length; j++)
        {
            if (outputs[j] > outputs[best]) best = j;
        }

        return best;
    }

    /// <summary>The arg-max for several outputs; for one output (a binary logit or margin), 1 when positive, else 0.</summary>
    public static int PredictedClass(ReadOnlySpan<float> outputs) => outputs.Length == 1 ? (outputs[0] > 0 ? 1 : 0) : ArgMax(outputs);

    /// <summary>The arg-max for several outputs; for one output, 1 when positive, else 0.</summary>
    public static int PredictedClass(ReadOnlySpan<double> outputs)
    {
        if (outputs.Length == 1) return outputs[0] > 0 ? 1 : 0;
        int best = 0;
        for (int k = 1; k < outputs.Length; k++) if (outputs[k] > outputs[best]) best = k;
        return best;
    }

    /// <summary>The predicted class of each row.</summary>
    public static void PredictClasses(IModel model, ReadOnlySpan<float> features, int rows, Span<float> outputs, Span<int> predictedClasses)
    {
        int k = model.OutputCount;
        model.ComputeOutputs(features, rows, outputs);
        for (int i = 0; i < rows; i++) predictedClasses[i] = PredictedClass(outputs.Slice(i * k, k));
    }

    /// <summary>The margin <c>s_y - max_{j != y} s_j</c> (for one output, <c>+-s</c>): negative when the row is misclassified.</summary>
    public static float Margin(ReadOnlySpan<float> outputs, int label)
    {
        if (outputs.Length == 1) return label == 1 ? outputs[0] : -outputs[0];
        float other = float.NegativeInfinity;
        for (int j = 0; j < outputs.Length; j++)
        {
            if (j != label && outputs[j] > other) other = outputs[j];
        }

        return outputs[label] - other;
    }

    /// <summary>Default class names "0".."count-1".</summary>
    public static string[] IndexNames(int count) =>
        Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Checks the lengths of a batch call.</summary>
    public static void CheckBatch(IModel model, ReadOnlySpan<float> features, int rows, int outputLength, string outputName)
    {
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "At least one row is needed.");
        if (features.Length < rows * model.FeatureCount)
        {
            throw new ArgumentException($"features holds {features.Length} values; rows * D = {rows} * {model.FeatureCount} = {rows * model.FeatureCount} are needed.", nameof(features));
        }

        if (outputLength < rows * model.OutputCount)
        {
            throw new ArgumentException($"{outputName} holds {outputLength} values; rows * K = {rows} * {model.OutputCount} = {rows * model.OutputCount} are needed.", outputName);
        }
    }

    /// <summary>Checks the lengths of a one-row Jacobian call.</summary>
    public static void CheckJacobian(IModel model, ReadOnlySpan<float> features, int outputs, int jacobian)
    {
        int d = model.FeatureCount, k = model.OutputCount;
        if (features.Length != d) throw new ArgumentException($"features has {features.Length} values; D = {d} expected.", nameof(features));
        if (outputs != k) throw new ArgumentException($"outputs has {outputs} entries; K = {k} expected.", nameof(outputs));
        if (jacobian != k * d) throw new ArgumentException($"jacobian has {jacobian} entries; K * D = {k * d} expected.", nameof(jacobian));
    }
}
