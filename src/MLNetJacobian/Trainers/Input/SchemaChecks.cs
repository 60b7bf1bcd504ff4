using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Data;
using MLNetJacobian.Models;

namespace MLNetJacobian.Trainers;

/// <summary>Checks of input schemas shared by the trainer and the prediction transformer; messages name the column and its type.</summary>
internal static class SchemaChecks
{
    /// <summary>Returns the feature column, which must be a known-size vector of Single (of <paramref name="expectedSize"/> when given).</summary>
    public static DataViewSchema.Column FeatureColumn(DataViewSchema schema, string name, int? expectedSize, string parameterName)
    {
        DataViewSchema.Column column = Column(schema, name, "feature", parameterName);
        if (column.Type is not VectorDataViewType { IsKnownSize: true } vector || vector.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentException(
                $"The feature column '{name}' is {column.Type}; it must be a vector of Single of known size (e.g. Vector<Single, 784>). " +
                "Concatenate or convert the feature columns into one float vector first.", parameterName);
        }

        if (expectedSize is int size && vector.Size != size)
        {
            throw new ArgumentException(
                $"The feature column '{name}' has {vector.Size} features (type {column.Type}), but the model was trained on {size}: expected Vector<Single, {size}>.",
                parameterName);
        }

        return column;
    }

    /// <summary>
    /// The image the feature column forms: <paramref name="option"/> when given (it must hold as many features as the
    /// column and agree with recorded dimensions), else the column's recorded dimensions <c>[channels, height, width]</c>
    /// (what ExtractPixels writes for planar pixels), else null. Interleaved pixels (ExtractPixels with
    /// <c>interleavePixelColors: true</c> records <c>[height, width, channels]</c>) are refused: the network reads planes.
    /// </summary>
    public static Network.ImageShape? ImageShape(DataViewSchema.Column featureColumn, Network.ImageShape? option, string optionName)
    {
        var vector = (VectorDataViewType)featureColumn.Type;
        System.Collections.Immutable.ImmutableArray<int> dims = vector.Dimensions;
        Network.ImageShape? recorded = null;
        if (dims.Length == 3 && dims.All(d => d > 0))
        {
            if (dims[2] <= 4 && dims[0] > 4)
            {
                throw new ArgumentException(
                    $"The feature column '{featureColumn.Name}' has dimensions {string.Join("x", dims)}: pixels interleaved per position (height x width x " +
                    "channels), as ExtractPixels writes them with interleavePixelColors: true. The network reads planar images (channels x height x " +
                    "width): extract the pixels with interleavePixelColors: false.", optionName);
            }

            recorded = new Network.ImageShape(dims[0], dims[1], dims[2]);
        }

        if (option is null) return recorded;
        if (option.FeatureCount != vector.Size)
        {
            throw new ArgumentException(
                $"Options.ImageShape {option} holds {option.FeatureCount} features, but the feature column '{featureColumn.Name}' has {vector.Size}.", optionName);
        }

        if (recorded is not null && recorded != option)
        {
            throw new ArgumentException(
                $"Options.ImageShape is {option}, but the feature column '{featureColumn.Name}' records the image as {recorded}.", optionName);
        }

        return option;
    }

    /// <summary>Returns the label column, which must be a key type of at least 2 classes, and the number of classes.</summary>
    public static (DataViewSchema.Column Column, int ClassCount) LabelColumn(DataViewSchema schema, string name, string parameterName)
    {
        DataViewSchema.Column column = Column(schema, name, "label", parameterName);
        if (column.Type is not KeyDataViewType key)
        {
            throw new ArgumentException(
                $"The label column '{name}' is {column.Type}; it must be a key type. " +
                $"Put mlContext.Transforms.Conversion.MapValueToKey(\"{name}\") before the trainer.", parameterName);
        }

        if (key.RawType != typeof(uint))
        {
            throw new ArgumentException(
                $"The label column '{name}' is {column.Type}; it must be a key of UInt32, as MapValueToKey produces.", parameterName);
        }

        if (key.Count < 2 || key.Count > int.MaxValue)
        {
            throw new ArgumentException(
                $"The label column '{name}' is a key with {key.Count} classes; a classifier needs at least 2 (and at most {int.MaxValue}).", parameterName);
        }

        return (column, (int)key.Count);
    }

    /// <summary>Returns the label column for a label of <paramref name="kind"/>: a key (multiclass), Boolean (binary) or Single (regression).</summary>
    public static DataViewSchema.Column LabelColumn(ModelTask kind, DataViewSchema schema, string name, string parameterName) => kind switch
    {
        ModelTask.MulticlassClassification => LabelColumn(schema, name, parameterName).Column,
        ModelTask.BinaryClassification => BooleanLabelColumn(schema, name, parameterName),
        _ => SingleLabelColumn(schema, name, parameterName),
    };

    /// <summary>The message for a binary label of type <paramref name="type"/> that is not Boolean.</summary>
    public static string NotBooleanLabel(string name, string type) =>
        $"The label column '{name}' is {type}; a binary classifier needs a Boolean label (true = positive class). " +
        "Load it as Boolean (a bool property, or DataKind.Boolean in the text loader), or map its values to true and false first, " +
        $"e.g. with mlContext.Transforms.Conversion.MapValue(\"{name}\", ...).";

    /// <summary>The message for a regression label of type <paramref name="type"/> that is not Single.</summary>
    public static string NotSingleLabel(string name, string type) =>
        $"The label column '{name}' is {type}; a regression trainer needs a Single label. " +
        $"Convert it first: mlContext.Transforms.Conversion.ConvertType(\"{name}\", outputKind: DataKind.Single).";

    /// <summary>Returns the label column of a binary classifier, which must be a scalar Boolean.</summary>
    public static DataViewSchema.Column BooleanLabelColumn(DataViewSchema schema, string name, string parameterName)
    {
        DataViewSchema.Column column = Column(schema, name, "label", parameterName);
        if (column.Type != BooleanDataViewType.Instance) throw new ArgumentException(NotBooleanLabel(name, column.Type.ToString()!), parameterName);

        return column;
    }

    /// <summary>Returns the label column of a regression trainer, which must be a scalar Single.</summary>
    public static DataViewSchema.Column SingleLabelColumn(DataViewSchema schema, string name, string parameterName)
    {
        DataViewSchema.Column column = Column(schema, name, "label", parameterName);
        if (column.Type != NumberDataViewType.Single) throw new ArgumentException(NotSingleLabel(name, column.Type.ToString()!), parameterName);
        return column;
    }

    /// <summary>Returns the example weight column, which must be a scalar Single.</summary>
    public static DataViewSchema.Column WeightColumn(DataViewSchema schema, string name, string parameterName)
    {
        DataViewSchema.Column column = Column(schema, name, "example weight", parameterName);
        if (column.Type != NumberDataViewType.Single)
        {
            throw new ArgumentException($"The example weight column '{name}' is {column.Type}; it must be a scalar Single.", parameterName);
        }

        return column;
    }

    private static DataViewSchema.Column Column(DataViewSchema schema, string name, string role, string parameterName) =>
        DataViewRowReader.Column(schema, name, role, parameterName);

    /// <summary>Checks that validation data has the training data's feature size, label classes and weight column.</summary>
    public static void SameSchema(DataViewSchema training, DataViewSchema validation, string featureColumnName, string labelColumnName,
        string? weightColumnName, string parameterName)
    {
        DataViewSchema.Column trainingFeatures = training[featureColumnName];
        DataViewSchema.Column validationFeatures = Column(validation, featureColumnName, "feature", parameterName);
        if (!validationFeatures.Type.Equals(trainingFeatures.Type))
        {
            throw new ArgumentException(
                $"The validation data's feature column '{featureColumnName}' is {validationFeatures.Type}, but the training data's is {trainingFeatures.Type}; " +
                "both must have the same schema.", parameterName);
        }

        DataViewSchema.Column trainingLabel = training[labelColumnName];
        DataViewSchema.Column validationLabel = Column(validation, labelColumnName, "label", parameterName);
        if (!validationLabel.Type.Equals(trainingLabel.Type))
        {
            throw new ArgumentException(
                $"The validation data's label column '{labelColumnName}' is {validationLabel.Type}, but the training data's is {trainingLabel.Type}; " +
                "both must have the same schema.", parameterName);
        }

        if (trainingLabel.Type is not KeyDataViewType trainingKey)
        {
            if (weightColumnName is not null) WeightColumn(validation, weightColumnName, parameterName);
            return;
        }

        int classCount = (int)trainingKey.Count;
        IReadOnlyList<string> trainingClasses = ClassNames(trainingLabel, classCount), validationClasses = ClassNames(validationLabel, classCount);
        if (!trainingClasses.SequenceEqual(validationClasses))
        {
            throw new ArgumentException(
                $"The validation data's label column '{labelColumnName}' has the classes [{string.Join(", ", validationClasses)}], but the training data's has " +
                $"[{string.Join(", ", trainingClasses)}]; map both with the same fitted MapValueToKey transformer.", parameterName);
        }

        if (weightColumnName is not null) WeightColumn(validation, weightColumnName, parameterName);
    }

    /// <summary>
    /// The class names of a key label: its KeyValues as text (invariant culture), or the class indices 0..C-1 when the
    /// key type has no KeyValues.
    /// </summary>
    public static IReadOnlyList<string> ClassNames(DataViewSchema.Column label, int classCount) => Classes(label, classCount).Names;

    /// <summary>
    /// The class names of a key label (see <see cref="ClassNames"/>) and the raw type of its key values, which the
    /// model's PredictedLabel keeps; text when the label has no usable KeyValues (the names are then the class indices)
    /// or their type is not one this library supports (<see cref="ClassValueTypes"/>).
    /// </summary>
    public static (IReadOnlyList<string> Names, PrimitiveDataViewType ValueType) Classes(DataViewSchema.Column label, int classCount)
    {
        DataViewSchema.Column? keyValues = label.Annotations.Schema.GetColumnOrNull(AnnotationKeyValues);
        if (keyValues is { Type: VectorDataViewType { ItemType: PrimitiveDataViewType itemType, Size: var size } } && size == classCount)
        {
            string[]? names = DataViewRowReader.KeyNames(label);
            if (names is not null && names.Distinct(StringComparer.Ordinal).Count() == names.Length)
            {
                return (names, ClassValueTypes.IsSupported(itemType) ? itemType : TextDataViewType.Instance);
            }
        }

        return (Enumerable.Range(0, classCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), TextDataViewType.Instance);
    }

    /// <summary>The item type of the KeyValues of a label in a schema shape (text when it has none or an unsupported one).</summary>
    public static PrimitiveDataViewType ClassValueType(SchemaShape inputShape, string labelColumnName)
    {
        foreach (SchemaShape.Column label in inputShape.Where(column => column.Name == labelColumnName))
        {
            foreach (SchemaShape.Column values in label.Annotations.Where(column => column.Name == AnnotationKeyValues))
            {
                if (values.ItemType is PrimitiveDataViewType itemType && ClassValueTypes.IsSupported(itemType)) return itemType;
            }
        }

        return TextDataViewType.Instance;
    }

    /// <summary>The annotation kind holding a key type's values.</summary>
    public const string AnnotationKeyValues = "KeyValues";
}
