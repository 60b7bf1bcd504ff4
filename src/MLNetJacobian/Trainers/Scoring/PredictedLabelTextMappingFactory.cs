using Microsoft.ML.Transforms;

namespace MLNetJacobian.Trainers;

/// <summary>
/// The stateless custom mapping inside every saved model of this library: it turns the one-element string vector
/// that the ONNX graph writes per row (the predicted class name) into a scalar string, which
/// <c>MapValueToKey</c> then turns into the <c>PredictedLabel</c> key column.
/// </summary>
/// <remarks>
/// ML.NET finds this factory by its contract name, <see cref="ContractName"/>, when it loads a zip; the zip stores
/// only that name. Keep the name and the two column names stable: saved models depend on them.
/// </remarks>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PredictedLabelTextMappingFactory : CustomMappingFactory<PredictedLabelTextMappingFactory.Input, PredictedLabelTextMappingFactory.Output>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "MLNetJacobian.PredictedLabelText.v1";

    /// <summary>The column holding the ONNX graph's predicted class name, a string vector of length 1.</summary>
    public const string VectorColumnName = "MLNetJacobian.PredictedLabelVector";

    /// <summary>The column holding the predicted class name as a scalar string.</summary>
    public const string TextColumnName = "MLNetJacobian.PredictedLabelText";

    /// <inheritdoc />
    public override Action<Input, Output> GetMapping() => Map;

    /// <summary>Copies the single element of the input vector (an empty string when the vector is empty).</summary>
    /// <param name="input">The row read from <see cref="VectorColumnName"/>.</param>
    /// <param name="output">The row written to <see cref="TextColumnName"/>.</param>
    public static void Map(Input input, Output output) =>
        output.Text = input.Vector is { Length: > 0 } vector ? vector[0] : string.Empty;

    /// <summary>The input row of the mapping.</summary>
    public sealed class Input
    {
        /// <summary>The predicted class name as a one-element vector.</summary>
        [Microsoft.ML.Data.ColumnName(VectorColumnName)]
        [Microsoft.ML.Data.VectorType(1)]
        public string[]? Vector { get; set; }
    }

    /// <summary>The output row of the mapping.</summary>
    public sealed class Output
    {
        /// <summary>The predicted class name.</summary>
        [Microsoft.ML.Data.ColumnName(TextColumnName)]
        public string Text { get; set; } = string.Empty;
    }
}
