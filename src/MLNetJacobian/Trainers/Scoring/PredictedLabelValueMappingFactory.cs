using System.Globalization;
using Microsoft.ML.Transforms;

namespace MLNetJacobian.Trainers;

/// <summary>
/// The stateless custom mapping inside saved models whose label's key values are numbers or Booleans: it turns the
/// one-element string vector that the ONNX graph writes per row (the predicted class name, written from the key value
/// in the invariant culture) back into a value of the label's type <typeparamref name="T"/>, which <c>MapValueToKey</c>
/// then turns into the <c>PredictedLabel</c> key column, so that <c>MapKeyToValue("PredictedLabel")</c> gives the
/// label's own type, as ML.NET's multiclass trainers do.
/// </summary>
/// <typeparam name="T">The raw type of the label's key values.</typeparam>
/// <remarks>Each concrete type below is found by ML.NET through its contract name when a zip is loaded; keep the names stable.</remarks>
public abstract class PredictedLabelValueMappingFactory<T> : CustomMappingFactory<PredictedLabelTextMappingFactory.Input, PredictedLabelValueMappingFactory<T>.Output>
{
    /// <summary>The column holding the predicted class as a value of the label's type.</summary>
    public const string ValueColumnName = "MLNetJacobian.PredictedLabelValue";

    /// <inheritdoc />
    public override Action<PredictedLabelTextMappingFactory.Input, Output> GetMapping() =>
        (input, output) => output.Value = Parse(input.Vector is { Length: > 0 } vector ? vector[0] : string.Empty);

    /// <summary>Parses a class name written in the invariant culture; throws <see cref="FormatException"/> naming the text.</summary>
    /// <param name="text">The class name.</param>
    public abstract T Parse(string text);

    /// <summary>The output row of the mapping.</summary>
    public sealed class Output
    {
        /// <summary>The predicted class.</summary>
        [Microsoft.ML.Data.ColumnName(ValueColumnName)]
        public T Value { get; set; } = default!;
    }

    /// <summary>The exception for a class name that is not a value of the label's type.</summary>
    protected static FormatException NotAValue(string text) =>
        new($"The predicted class name '{text}' is not a {typeof(T).Name}; the model's class names and its label type disagree.");
}

/// <summary>Predicted labels of Single labels (see <see cref="PredictedLabelValueMappingFactory{T}"/>).</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PredictedLabelSingleMappingFactory : PredictedLabelValueMappingFactory<float>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "MLNetJacobian.PredictedLabelSingle.v1";

    /// <inheritdoc />
    public override float Parse(string text) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) ? value : throw NotAValue(text);
}

/// <summary>Predicted labels of Double labels (see <see cref="PredictedLabelValueMappingFactory{T}"/>).</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PredictedLabelDoubleMappingFactory : PredictedLabelValueMappingFactory<double>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "MLNetJacobian.PredictedLabelDouble.v1";

    /// <inheritdoc />
    public override double Parse(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : throw NotAValue(text);
}

/// <summary>Predicted labels of Int32 labels (see <see cref="PredictedLabelValueMappingFactory{T}"/>).</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PredictedLabelInt32MappingFactory : PredictedLabelValueMappingFactory<int>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "MLNetJacobian.PredictedLabelInt32.v1";

    /// <inheritdoc />
    public override int Parse(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : throw NotAValue(text);
}

/// <summary>Predicted labels of UInt32 labels (see <see cref="PredictedLabelValueMappingFactory{T}"/>).</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PredictedLabelUInt32MappingFactory : PredictedLabelValueMappingFactory<uint>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "MLNetJacobian.PredictedLabelUInt32.v1";

    /// <inheritdoc />
    public override uint Parse(string text) =>
        uint.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out uint value) ? value : throw NotAValue(text);
}

/// <summary>Predicted labels of Int64 labels (see <see cref="PredictedLabelValueMappingFactory{T}"/>).</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PredictedLabelInt64MappingFactory : PredictedLabelValueMappingFactory<long>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "MLNetJacobian.PredictedLabelInt64.v1";

    /// <inheritdoc />
    public override long Parse(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : throw NotAValue(text);
}

/// <summary>Predicted labels of Boolean labels (see <see cref="PredictedLabelValueMappingFactory{T}"/>).</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PredictedLabelBooleanMappingFactory : PredictedLabelValueMappingFactory<bool>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "MLNetJacobian.PredictedLabelBoolean.v1";

    /// <inheritdoc />
    public override bool Parse(string text) => bool.TryParse(text, out bool value) ? value : throw NotAValue(text);
}
