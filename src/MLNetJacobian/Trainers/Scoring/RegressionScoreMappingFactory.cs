using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNetJacobian.Trainers;

/// <summary>
/// The stateless custom mapping inside every saved regression model of this library: it turns the one-element float
/// vector that the ONNX graph writes per row into the scalar <c>Score</c> column that <c>Regression.Evaluate</c> reads
/// (ML.NET's ONNX transformer cannot emit scalars).
/// </summary>
/// <remarks>ML.NET finds this factory by its contract name when it loads a zip; keep the name and columns stable.</remarks>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class RegressionScoreMappingFactory : CustomMappingFactory<RegressionScoreMappingFactory.Input, RegressionScoreMappingFactory.Output>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "MLNetJacobian.RegressionScore.v1";

    /// <summary>The column holding the ONNX graph's score, a float vector of length 1.</summary>
    public const string ScoreVectorColumnName = "MLNetJacobian.ScoreVector";

    /// <inheritdoc />
    public override Action<Input, Output> GetMapping() => Map;

    /// <summary>Copies the single element of the score vector (NaN when it is empty).</summary>
    /// <param name="input">The row read from <see cref="ScoreVectorColumnName"/>.</param>
    /// <param name="output">The row written to <c>Score</c>.</param>
    public static void Map(Input input, Output output) => output.Score = input.Score is { Length: > 0 } score ? score[0] : float.NaN;

    /// <summary>The input row of the mapping.</summary>
    public sealed class Input
    {
        /// <summary>The score as a one-element vector.</summary>
        [ColumnName(ScoreVectorColumnName)]
        [VectorType(1)]
        public float[]? Score { get; set; }
    }

    /// <summary>The output row of the mapping.</summary>
    public sealed class Output
    {
        /// <summary>The prediction.</summary>
        [ColumnName("Score")]
        public float Score { get; set; }
    }
}
