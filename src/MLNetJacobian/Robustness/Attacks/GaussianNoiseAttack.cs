using System.Globalization;
using MLNetJacobian.Models;

using MLNetJacobian.Network;

namespace MLNetJacobian.Robustness;

/// <summary>
/// Additive Gaussian noise: <c>x' = clip(x + sigma * n)</c>, <c>n ~ N(0, I)</c>, several draws per example; an
/// example counts as fooled when any draw is misclassified. Needs scores only. Its strengths are the standard
/// deviations <c>sigma</c> (no epsilon ball): by default 0.1, 0.2, 0.3 and 0.5 of the input range
/// (<see cref="Attack.RelativeStrengths"/>; set <see cref="Attack.Strengths"/> for sigmas in feature units).
/// </summary>
/// <remarks>
/// With <see cref="Draws"/> = 1 the result is the usual "accuracy under Gaussian noise". With <see cref="Clip"/> false
/// the noisy inputs are not clipped to the bounds (as an evaluation that adds noise to standardized inputs does), and
/// the name says "unclipped".
/// </remarks>
public sealed class GaussianNoiseAttack : Attack
{
    /// <summary>Creates the attack.</summary>
    /// <param name="draws">Noise draws per example (at least 1).</param>
    public GaussianNoiseAttack(int draws = 5)
    {
        if (draws < 1) throw new ArgumentOutOfRangeException(nameof(draws), draws, "At least one draw is needed.");
        Draws = draws;
        RelativeStrengths = [0.1f, 0.2f, 0.3f, 0.5f];
    }

    /// <summary>Noise draws per example.</summary>
    public int Draws { get; }

    /// <summary>Whether noisy inputs are clipped to the input bounds (default true).</summary>
    public bool Clip { get; init; } = true;

    /// <inheritdoc />
    public override string Name => Clip ? $"Gaussian noise x{Draws}" : $"Gaussian noise x{Draws} unclipped";

    /// <inheritdoc />
    public override bool ClipsToBounds => Clip;

    /// <inheritdoc />
    public override PerturbationNorm? Norm => null;

    /// <inheritdoc />
    public override AttackKind Kind => AttackKind.Noise;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["strength"] = "standard deviation sigma of the noise per feature",
        ["draws"] = Draws.ToString(CultureInfo.InvariantCulture),
        ["fooledWhen"] = "any draw is misclassified",
        ["clippedToBounds"] = Clip ? "yes" : "no",
    };

    /// <inheritdoc />
    public override AttackWorker CreateWorker(IModel model, InputBounds bounds, int maxRows) =>
        new Worker(model, Clip ? bounds : new InputBounds(float.MinValue, float.MaxValue), maxRows, Draws);

    private sealed class Worker(IModel model, InputBounds bounds, int maxRows, int draws)
        : NoiseAttackWorker(model, bounds, null, maxRows, draws)
    {
        protected override void Draw(ReadOnlySpan<float> features, ReadOnlySpan<float> strengths, int rows, Random random, Span<float> destination)
        {
            int d = FeatureCount;
            GaussianSampler.Fill(random, destination[..(rows * d)]);
            for (int i = 0; i < rows; i++)
            {
                float sigma = strengths[i];
                ReadOnlySpan<float> x = features.Slice(i * d, d);
                Span<float> noisy = destination.Slice(i * d, d);
                for (int j = 0; j < d; j++) noisy[j] = x[j] + sigma * noisy[j];
            }
        }
    }
}
