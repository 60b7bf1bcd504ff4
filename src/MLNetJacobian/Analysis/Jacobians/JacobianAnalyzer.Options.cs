namespace MLNetJacobian.Analysis;

public static partial class JacobianAnalyzer
{
    /// <summary>Settings of <see cref="JacobianAnalyzer"/>: the columns, how many rows, and which Jacobian.</summary>
    public sealed record Options
    {
        /// <summary>The feature column of the analyzed data view (a float vector of length D).</summary>
        public string FeatureColumnName { get; init; } = "Features";

        /// <summary>
        /// The label column (key, float, int, uint or Boolean class indices); null to group by the predicted class.
        /// </summary>
        public string? LabelColumnName { get; init; } = "Label";

        /// <summary>Analyze at most this many rows (the first ones); null for all rows.</summary>
        public int? MaxExamples { get; init; }

        /// <summary>How many least stable examples (largest spectral norm) the report lists.</summary>
        public int LeastStableCount { get; init; } = 10;

        /// <summary>
        /// Analyze the Jacobian of the class probabilities instead of the logits, through
        /// the softmax chain rule <c>(diag(p) - p p^T) J</c>. Only for sources whose outputs are logits.
        /// </summary>
        public bool UseProbabilities { get; init; }

        /// <summary>The rank tolerance passed to <see cref="JacobianStatistics.Compute(ReadOnlySpan{double}, int, int, double?)"/>; null for its default.</summary>
        public double? RankTolerance { get; init; }
    }
}
