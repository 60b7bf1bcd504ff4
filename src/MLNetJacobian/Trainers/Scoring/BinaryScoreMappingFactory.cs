using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNetJacobian.Trainers;

/// <summary>
/// The stateless custom mapping inside every saved binary classifier of this library: it turns the one-element float
/// vectors that the ONNX graph writes per row (the logit and its sigmoid) into the scalar columns <c>Score</c>,
/// <c>Probability</c> and <c>PredictedLabel</c> (<c>Score &gt; 0</c>) that <c>BinaryClassification.Evaluate</c> reads,
/// as <c>LbfgsLogisticRegression</c> gives them.
/// </summary>
/// <remarks>ML.NET finds this factory by its contract name when it loads a zip; keep the name and columns stable.</remarks>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class BinaryScoreMappingFactory : CustomMappingFactory<BinaryScoreMappingFactory.Input, BinaryScoreMappingFactory.Output>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "MLNetJacobian.BinaryScore.v1";

    /// <summary>The column holding the ONNX graph's probability, a float vector of length 1.</summary>
    public const string ProbabilityVectorColumnName = "MLNetJacobian.ProbabilityVector";

    /// <inheritdoc />
    public override Action<Input, Output> GetMapping() => Map;

    /// <summary>Copies the logit and probability and decides the label (NaN scores give false).</summary>
    /// <param name="input">The row read from the two vector columns.</param>
    /// <param name="output">The row written to <c>Score</c>, <c>Probability</c> and <c>PredictedLabel</c>.</param>
    public static void Map(Input input, Output output)
    {
        output.Score = input.Score is { Length: > 0 } score ? score[0] : float.NaN;
        output.Probability = input.Probability is { Length: > 0 } probability ? probability[0] : float.NaN;
        output.PredictedLabel = output.Score > 0;
    }

    /// <summary>The input row of the mapping.</summary>
    public sealed class Input
    {
        /// <summary>The logit as a one-element vector.</summary>
        [ColumnName(RegressionScoreMappingFactory.ScoreVectorColumnName)]
        [VectorType(1)]
        public float[]? Score { get; set; }

        /// <summary>The probability as a one-element vector.</summary>
        [ColumnName(ProbabilityVectorColumnName)]
        [VectorType(1)]
        public float[]? Probability { get; set; }
    }

    /// <summary>The output row of the mapping.</summary>
    public sealed class Output
    {
        /// <summary>The logit.</summary>
        [ColumnName("Score")]
        public float Score { get; set; }

        /// <summary>The sigmoid of the logit.</summary>
        [ColumnName("Probability")]
        public float Probability { get; set; }

        /// <summary>Whether the logit is positive.</summary>
        [ColumnName("PredictedLabel")]
        public bool PredictedLabel { get; set; }
    }
}
