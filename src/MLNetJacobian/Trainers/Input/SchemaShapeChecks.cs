using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetJacobian.Trainers;

/// <summary>The trainer's checks of an input <see cref="SchemaShape"/> during schema propagation (before any data is read).</summary>
internal static class SchemaShapeChecks
{
    /// <summary>The multiclass label: a scalar key.</summary>
    public static void CheckKeyLabel(SchemaShape.Column label)
    {
        if (!label.IsKey || label.Kind != SchemaShape.Column.VectorKind.Scalar)
        {
            throw new ArgumentException(
                $"The label column '{label.Name}' is {Describe(label)}; it must be a key type. " +
                $"Put mlContext.Transforms.Conversion.MapValueToKey(\"{label.Name}\") before the trainer.", "inputSchema");
        }
    }

    /// <summary>The binary label: a scalar Boolean.</summary>
    public static void CheckBooleanLabel(SchemaShape.Column label)
    {
        if (label.IsKey || label.Kind != SchemaShape.Column.VectorKind.Scalar || label.ItemType != BooleanDataViewType.Instance)
        {
            throw new ArgumentException(SchemaChecks.NotBooleanLabel(label.Name, Describe(label)), "inputSchema");
        }
    }

    /// <summary>The regression label: a scalar Single.</summary>
    public static void CheckSingleLabel(SchemaShape.Column label)
    {
        if (label.IsKey || label.Kind != SchemaShape.Column.VectorKind.Scalar || label.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentException(SchemaChecks.NotSingleLabel(label.Name, Describe(label)), "inputSchema");
        }
    }

    /// <summary>The feature column (a vector of Single) and the weight column (a scalar Single) when there is one.</summary>
    public static void CheckFeaturesAndWeights(SchemaShape inputSchema, JacobianRegularizedOptions options)
    {
        SchemaShape.Column features = Find(inputSchema, options.FeatureColumnName, "feature");
        if (features.Kind != SchemaShape.Column.VectorKind.Vector || features.IsKey || features.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentException(
                $"The feature column '{features.Name}' is {Describe(features)}; it must be a vector of Single of known size (e.g. Vector<Single, 784>). " +
                "Concatenate or convert the feature columns into one float vector first.", nameof(inputSchema));
        }

        if (options.ExampleWeightColumnName is { } weightName)
        {
            SchemaShape.Column weight = Find(inputSchema, weightName, "example weight");
            if (weight.Kind != SchemaShape.Column.VectorKind.Scalar || weight.IsKey || weight.ItemType != NumberDataViewType.Single)
            {
                throw new ArgumentException($"The example weight column '{weightName}' is {Describe(weight)}; it must be a scalar Single.", nameof(inputSchema));
            }
        }
    }

    /// <summary>A column's shape as text: <c>Single</c>, <c>Vector&lt;Single&gt;</c>, <c>VarVector&lt;Single&gt;</c>, <c>Key&lt;UInt32&gt;</c>.</summary>
    public static string Describe(SchemaShape.Column column)
    {
        string item = column.IsKey ? $"Key<{column.ItemType.RawType.Name}>" : column.ItemType.ToString() ?? column.ItemType.RawType.Name;
        return column.Kind switch
        {
            SchemaShape.Column.VectorKind.Vector => $"Vector<{item}>",
            SchemaShape.Column.VectorKind.VariableVector => $"VarVector<{item}>",
            _ => item,
        };
    }

    public static SchemaShape.Column Find(SchemaShape inputSchema, string name, string role)
    {
        foreach (SchemaShape.Column column in inputSchema)
        {
            if (column.Name == name) return column;
        }

        throw new ArgumentException(
                $"The {role} column '{name}' is not in the data. Columns present: {string.Join(", ", inputSchema.Select(c => $"'{c.Name}'"))}.",
                nameof(inputSchema));
    }
}
