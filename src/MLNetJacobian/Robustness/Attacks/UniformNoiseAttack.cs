using System.Globalization;
using MLNetJacobian.Models;

namespace MLNetJacobian.Robustness;

/// <summary>
/// Uniform noise in the L-infinity ball: <c>x' = clip(x + eps * u)</c>, <c>u_j ~ U(-1, 1)</c>, several draws per
/// example; an example counts as fooled when any draw is misclassified. Needs scores only.
/// </summary>
public sealed class UniformNoiseAttack : Attack
{
    /// <summary>Creates the attack.</summary>
    /// <param name="draws">Noise draws per example (at least 1).</param>
    public UniformNoiseAttack(int draws = 5)
    {
        if (draws < 1) throw new ArgumentOutOfRangeException(nameof(draws), draws, "At least one draw is needed.");
        Draws = draws;
    }

    /// <summary>Noise draws per example.</summary>
    public int Draws { get; }

    /// <inheritdoc />
    public override string Name => $"Uniform noise x{Draws} L-inf";

    /// <inheritdoc />
    public override PerturbationNorm? Norm => PerturbationNorm.LInfinity;

    /// <inheritdoc />
    public override AttackKind Kind => AttackKind.Noise;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["norm"] = "L-inf",
        ["draws"] = Draws.ToString(CultureInfo.InvariantCulture),
        ["fooled_when"] = "any draw is misclassified",
    };

    /// <inheritdoc />
    public override AttackWorker CreateWorker(IModel model, InputBounds bounds, int maxRows) => new Worker(model, bounds, maxRows, Draws);

    private sealed class Worker(IModel model, InputBounds bounds, int maxRows, int draws)
        : NoiseAttackWorker(model, bounds, PerturbationNorm.LInfinity, maxRows, draws)
    {
        protected override void Draw(ReadOnlySpan<float> features, ReadOnlySpan<float> strengths, int rows, Random random, Span<float> destination) =>
            PerturbationNorm.LInfinity.SampleInBall(features, strengths, rows, FeatureCount, random, destination);
    }
}
