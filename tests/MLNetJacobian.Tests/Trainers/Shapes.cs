using System.Reflection;
using Microsoft.ML;

namespace MLNetJacobian.Tests.Trainers;

/// <summary>
/// The <see cref="SchemaShape"/> of a schema, as ML.NET's estimator chains compute it before fitting
/// (<c>SchemaShape.Create</c> is internal to ML.NET; tests reach it by reflection).
/// </summary>
internal static class Shapes
{
    public static SchemaShape Of(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(DataViewSchema)])!
            .Invoke(null, [schema])!;
}
