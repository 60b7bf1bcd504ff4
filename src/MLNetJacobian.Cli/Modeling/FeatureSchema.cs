using Microsoft.ML;
using MLNetJacobian.Cli.Data;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>The input schema saved with a model: the feature column alone, since scoring needs nothing else.</summary>
internal static class FeatureSchema
{
    /// <summary>A schema holding only <paramref name="data"/>'s feature column (type and annotations kept).</summary>
    public static DataViewSchema Of(DataViewSchema data)
    {
        DataViewSchema.Column features = data[LoadedData.FeatureColumnName];
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(features.Name, features.Type, features.Annotations);
        return builder.ToSchema();
    }
}
