namespace MLNetJacobian.Onnx;

/// <summary>The names of the inputs and outputs of the ONNX graph written by <see cref="OnnxClassifierWriter"/>.</summary>
/// <remarks>
/// Names are case-sensitive and must be distinct and non-empty. Internal values of the graph are named under the
/// prefix <c>MLNetJacobian/</c>, which these names may not use. Inside ML.NET, the input name is the feature column
/// and the output names are the columns <c>ApplyOnnxModel</c> creates.
/// </remarks>
internal sealed record OnnxClassifierNames
{
    /// <summary>The float input <c>[N, D]</c>. Default <c>Features</c>.</summary>
    public string InputName { get; init; } = "Features";

    /// <summary>The class probabilities <c>[N, C]</c> (softmax of the logits). Default <c>Score</c>.</summary>
    public string ScoreName { get; init; } = "Score";

    /// <summary>The predicted class name per row, a string tensor <c>[N]</c>. Default <c>PredictedLabel</c>.</summary>
    public string PredictedLabelName { get; init; } = "PredictedLabel";

    /// <summary>The logits <c>[N, C]</c>, the network's linear outputs. Default <c>Logits</c>.</summary>
    public string LogitsName { get; init; } = "Logits";

    /// <summary>The prefix of every internal value name in the graph.</summary>
    internal const string InternalPrefix = "MLNetJacobian/";

    /// <summary>Throws when a name is empty, uses the internal prefix, or two names are equal.</summary>
    internal void Validate()
    {
        string[] names = [InputName, ScoreName, PredictedLabelName, LogitsName];
        string[] properties = [nameof(InputName), nameof(ScoreName), nameof(PredictedLabelName), nameof(LogitsName)];
        for (int i = 0; i < names.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(names[i]))
            {
                throw new ArgumentException($"OnnxClassifierNames.{properties[i]} must not be empty; it is '{names[i]}'.", properties[i]);
            }

            if (names[i].StartsWith(InternalPrefix, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"OnnxClassifierNames.{properties[i]} is '{names[i]}', which uses the prefix '{InternalPrefix}' reserved for the graph's internal values.",
                    properties[i]);
            }

            for (int j = 0; j < i; j++)
            {
                if (names[i] == names[j])
                {
                    throw new ArgumentException(
                        $"OnnxClassifierNames.{properties[i]} and OnnxClassifierNames.{properties[j]} are both '{names[i]}'; every name must be distinct.",
                        properties[i]);
                }
            }
        }
    }
}
