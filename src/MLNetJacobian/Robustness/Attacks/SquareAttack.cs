using System.Globalization;
using MLNetJacobian.Models;

namespace MLNetJacobian.Robustness;

/// <summary>
/// The Square attack (Andriushchenko et al. 2020), L-infinity: a random search that needs only the scores, so it
/// attacks any model, trees included. Reports the queries it used.
/// </summary>
/// <remarks>
/// Inputs are read as images of <see cref="ImageHeight"/> x <see cref="ImageWidth"/> pixels and <c>D / (H W)</c>
/// channels stored plane after plane (by default a square single-channel image when D is a square, else one row of
/// D pixels). Start: vertical stripes, <c>delta[c, :, w] = +-eps</c>. Each iteration, for every example not yet
/// misclassified, a square window of side <c>s = round(sqrt(p H W))</c> (<c>s = round(p W)</c> for a single row)
/// at a random place gets a new random sign per channel; the candidate <c>clip(x + delta)</c> is kept when it lowers
/// the margin <c>score_y - max_{j != y} score_j</c>. The window fraction <c>p</c> starts at <see cref="InitialFraction"/>
/// and is halved at 10, 50, 200, 500, 1000, 2000, 4000, 6000 and 8000 of 10,000 queries (rescaled to
/// <see cref="MaxQueries"/>). Each model evaluation of an example counts as one query.
/// </remarks>
public sealed class SquareAttack : Attack
{
    private static readonly int[] HalvingPoints = [10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000];

    /// <summary>Creates the attack.</summary>
    /// <param name="maxQueries">The most model evaluations per example (at least 1).</param>
    /// <param name="initialFraction">The starting fraction of pixels in the window, in (0, 1].</param>
    public SquareAttack(int maxQueries = 5000, float initialFraction = 0.8f)
    {
        if (maxQueries < 1) throw new ArgumentOutOfRangeException(nameof(maxQueries), maxQueries, "At least one query is needed.");
        if (!(initialFraction > 0 && initialFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(initialFraction), initialFraction, "The initial fraction must be in (0, 1].");
        MaxQueries = maxQueries;
        InitialFraction = initialFraction;
    }

    /// <summary>The most model evaluations per example.</summary>
    public int MaxQueries { get; }

    /// <summary>The starting fraction of pixels changed per iteration (<c>p_init</c>).</summary>
    public float InitialFraction { get; }

    /// <summary>The image height in pixels; null to infer it from D.</summary>
    public int? ImageHeight { get; init; }

    /// <summary>The image width in pixels; null to infer it from D.</summary>
    public int? ImageWidth { get; init; }

    /// <inheritdoc />
    /// <remarks>Encodes every setting that differs from the defaults: <c>Square-5000 L-inf</c>, <c>Square-1000 L-inf p 0.3 image 8x8</c>.</remarks>
    public override string Name =>
        $"Square-{MaxQueries} L-inf" +
        (InitialFraction != 0.8f ? $" p {InitialFraction.ToString("R", CultureInfo.InvariantCulture)}" : "") +
        (ImageHeight is { } h && ImageWidth is { } w ? $" image {h}x{w}" : "");

    /// <inheritdoc />
    public override PerturbationNorm? Norm => PerturbationNorm.LInfinity;

    /// <inheritdoc />
    public override AttackKind Kind => AttackKind.BlackBox;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["norm"] = "L-inf",
        ["max_queries"] = MaxQueries.ToString(CultureInfo.InvariantCulture),
        ["p_init"] = InitialFraction.ToString("R", CultureInfo.InvariantCulture),
        ["image"] = ImageHeight is { } h && ImageWidth is { } w ? $"{h}x{w}" : "inferred from the feature count",
        ["loss"] = "margin score_y - max_{j != y} score_j",
    };

    /// <inheritdoc />
    public override AttackWorker CreateWorker(IModel model, InputBounds bounds, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(model);
        (int height, int width) = ResolveImage(model.FeatureCount);
        return new SquareWorker(this, model, bounds, maxRows, height, width);
    }

    /// <summary>The window fraction <c>p</c> at a given iteration.</summary>
    /// <param name="iteration">The iteration (1-based).</param>
    internal float FractionAt(int iteration)
    {
        int rescaled = (int)((long)iteration * 10000 / MaxQueries);
        float p = InitialFraction;
        foreach (int point in HalvingPoints)
        {
            if (rescaled > point) p *= 0.5f;
        }

        return p;
    }

    private (int Height, int Width) ResolveImage(int featureCount)
    {
        if (ImageHeight is { } h && ImageWidth is { } w)
        {
            if (h < 1 || w < 1 || featureCount % (h * w) != 0)
            {
                throw new ArgumentException($"The image {h}x{w} does not divide the feature count {featureCount} into whole channels.", nameof(ImageHeight));
            }

            return (h, w);
        }

        int side = (int)Math.Round(Math.Sqrt(featureCount));
        return side * side == featureCount ? (side, side) : (1, featureCount);
    }
}
