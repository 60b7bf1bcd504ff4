namespace MLNetJacobian.Analysis;

public static partial class ModelComparison
{
    /// <summary>Settings of <see cref="ModelComparison"/>: how many rows, the boundary search, and the decision-cell figures.</summary>
    public sealed record Options
    {
        /// <summary>Rows (the first ones) for accuracy and the Jacobian statistics. Default 500.</summary>
        public int StatisticsExamples { get; init; } = 500;

        /// <summary>The boundary-distance settings; its <c>MaxExamples</c> bounds the rows searched. Default: 200 rows, radius 4.</summary>
        public DecisionBoundaryDistance.Options Boundary { get; init; } = new() { MaxExamples = 200 };

        /// <summary>The rows of the data drawn as decision-cell figures (every model on the same planes). Default rows 0, 1, 2.</summary>
        public IReadOnlyList<int> FigureExamples { get; init; } = [0, 1, 2];

        /// <summary>The half-width of each map, in feature units. Default 3.</summary>
        public double MapRadius { get; init; } = 3.0;

        /// <summary>Grid points per side of each map (odd puts the input exactly at the centre). Default 161.</summary>
        public int MapResolution { get; init; } = 161;

        /// <summary>The seed of the random planes (the same planes for every model). Default 1.</summary>
        public int PlaneSeed { get; init; } = 1;

        /// <summary>
        /// Also draw each example on the plane of the top two right singular vectors of the Jacobian of the first model that
        /// has a Jacobian source (no such figure for an example where that Jacobian has fewer than two non-zero singular
        /// values: the plane is not defined there). Default true.
        /// </summary>
        public bool IncludeSingularPlanes { get; init; } = true;
    }
}
