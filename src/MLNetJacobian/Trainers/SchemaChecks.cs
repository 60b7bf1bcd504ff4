using Microsoft.ML;
using Microsoft.ML.Data;

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

        if (key.Count < 2 || key.Count > int.MaxValue)
        {
            throw new ArgumentException(
                $"The label column '{name}' is a key with {key.Count} classes; a classifier needs at least 2 (and at most {int.MaxValue}).", parameterName);
        }

        return (column, (int)key.Count);
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
        schema.GetColumnOrNull(name) ?? throw new ArgumentException(
            $"The {role} column '{name}' is not in the data. Columns present: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"))}.",
            parameterName);
}
