using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNetJacobian.Trainers;

/// <summary>
/// The raw types a label's key values may have in a model of this library (text, Single, Double, Int32, UInt32,
/// Int64, Boolean), with what <see cref="ScoringChain"/> needs to give PredictedLabel key values of the same type:
/// the custom mapping that parses the ONNX graph's predicted class name, and the key data of <c>MapValueToKey</c>.
/// </summary>
internal static class ClassValueTypes
{
    private sealed record Kind(string Name, PrimitiveDataViewType Type, Func<MLContext, IReadOnlyList<string>, Step> Steps);

    /// <summary>The custom mapping (text vector -> value column) and the key data for <c>MapValueToKey</c>.</summary>
    internal sealed record Step(IEstimator<ITransformer> Mapping, string ValueColumnName, IDataView KeyData);

    private static readonly Kind[] Kinds =
    [
        new("String", TextDataViewType.Instance, (context, names) => new Step(
            context.Transforms.CustomMapping(new PredictedLabelTextMappingFactory().GetMapping(), PredictedLabelTextMappingFactory.ContractName),
            PredictedLabelTextMappingFactory.TextColumnName,
            context.Data.LoadFromEnumerable(names.Select(name => new ValueRow<string> { Value = name })))),
        Typed("Single", NumberDataViewType.Single, new PredictedLabelSingleMappingFactory(), PredictedLabelSingleMappingFactory.ContractName),
        Typed("Double", NumberDataViewType.Double, new PredictedLabelDoubleMappingFactory(), PredictedLabelDoubleMappingFactory.ContractName),
        Typed("Int32", NumberDataViewType.Int32, new PredictedLabelInt32MappingFactory(), PredictedLabelInt32MappingFactory.ContractName),
        Typed("UInt32", NumberDataViewType.UInt32, new PredictedLabelUInt32MappingFactory(), PredictedLabelUInt32MappingFactory.ContractName),
        Typed("Int64", NumberDataViewType.Int64, new PredictedLabelInt64MappingFactory(), PredictedLabelInt64MappingFactory.ContractName),
        Typed("Boolean", BooleanDataViewType.Instance, new PredictedLabelBooleanMappingFactory(), PredictedLabelBooleanMappingFactory.ContractName),
    ];

    /// <summary>Whether the key values of a label may have type <paramref name="type"/> in a model of this library.</summary>
    public static bool IsSupported(DataViewType type) => Kinds.Any(kind => kind.Type.Equals(type));

    /// <summary>The name stored in the ONNX graph for <paramref name="type"/>.</summary>
    public static string NameOf(PrimitiveDataViewType type) =>
        Kinds.FirstOrDefault(kind => kind.Type.Equals(type))?.Name
        ?? throw new ArgumentException($"Class values of type {type} are not supported; use text, Single, Double, Int32, UInt32, Int64 or Boolean.", nameof(type));

    /// <summary>The type stored in the ONNX graph under <paramref name="name"/>.</summary>
    public static PrimitiveDataViewType FromName(string name) =>
        Kinds.FirstOrDefault(kind => kind.Name == name)?.Type
        ?? throw new InvalidDataException($"The model records the class value type '{name}', which this version of MLNetJacobian does not know.");

    /// <summary>Throws unless every class name parses as a value of <paramref name="type"/> (and prints back the same).</summary>
    public static void CheckNames(PrimitiveDataViewType type, IReadOnlyList<string> classNames, string parameterName)
    {
        foreach (string name in classNames)
        {
            try
            {
                _ = ParseName(type, name);
            }
            catch (FormatException exception)
            {
                throw new ArgumentException($"The class name '{name}' is not a value of the class value type {type}: {exception.Message}", parameterName, exception);
            }
        }
    }

    /// <summary>The mapping and key data of <paramref name="type"/> for the class names.</summary>
    public static Step StepsFor(MLContext context, PrimitiveDataViewType type, IReadOnlyList<string> classNames) =>
        Kinds.First(k => k.Type.Equals(type)).Steps(context, classNames);

    private static object ParseName(PrimitiveDataViewType type, string name) => type switch
    {
        _ when type.Equals(NumberDataViewType.Single) => new PredictedLabelSingleMappingFactory().Parse(name),
        _ when type.Equals(NumberDataViewType.Double) => new PredictedLabelDoubleMappingFactory().Parse(name),
        _ when type.Equals(NumberDataViewType.Int32) => new PredictedLabelInt32MappingFactory().Parse(name),
        _ when type.Equals(NumberDataViewType.UInt32) => new PredictedLabelUInt32MappingFactory().Parse(name),
        _ when type.Equals(NumberDataViewType.Int64) => new PredictedLabelInt64MappingFactory().Parse(name),
        _ when type.Equals(BooleanDataViewType.Instance) => new PredictedLabelBooleanMappingFactory().Parse(name),
        _ => name,
    };

    private static Kind Typed<T>(string name, PrimitiveDataViewType type, PredictedLabelValueMappingFactory<T> factory, string contractName) =>
        new(name, type, (context, names) => new Step(
            context.Transforms.CustomMapping(factory.GetMapping(), contractName),
            PredictedLabelValueMappingFactory<T>.ValueColumnName,
            context.Data.LoadFromEnumerable(names.Select(text => new ValueRow<T> { Value = factory.Parse(text) }))));

    private sealed class ValueRow<T>
    {
        public T Value { get; set; } = default!;
    }
}
