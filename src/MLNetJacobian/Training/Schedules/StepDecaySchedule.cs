namespace MLNetJacobian.Training;

/// <summary>
/// Multiplies the learning rate by a factor each time training passes one of the given fractions of its length.
/// </summary>
/// <remarks>
/// <c>lr(t) = baseRate * factor^k</c>, <c>k</c> = the number of fractions <c>f</c> with <c>t &gt;= f</c>, where
/// <c>t</c> is the step-level progress (see <see cref="ILearningRateSchedule"/>). A fraction that falls on an epoch
/// boundary (0.5 of 10 epochs) decays exactly at the first step of that epoch, like PyTorch's <c>MultiStepLR</c>
/// stepped per epoch; other fractions decay at the first step past them.
/// </remarks>
internal sealed class StepDecaySchedule : ILearningRateSchedule
{
    private readonly double[] _fractions;

    /// <summary>Creates the schedule.</summary>
    /// <param name="atFractions">The points of decay as fractions of training, each in (0, 1), in any order (at least one).</param>
    /// <param name="factor">The multiplier applied at each point, in (0, 1].</param>
    public StepDecaySchedule(IReadOnlyList<double> atFractions, double factor = 0.1)
    {
        ArgumentNullException.ThrowIfNull(atFractions);
        if (atFractions.Count == 0) throw new ArgumentException("The step decay schedule needs at least one fraction.", nameof(atFractions));
        foreach (double fraction in atFractions)
        {
            if (!(fraction > 0 && fraction < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(atFractions), fraction, "Every decay fraction must be in (0, 1).");
            }
        }

        if (!(factor > 0 && factor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The decay factor must be in (0, 1].");
        }

        _fractions = atFractions.Order().ToArray();
        Factor = factor;
    }

    /// <summary>The points of decay as fractions of training, ascending.</summary>
    public IReadOnlyList<double> AtFractions => _fractions;

    /// <summary>The multiplier applied at each point.</summary>
    public double Factor { get; }

    /// <inheritdoc />
    public double GetLearningRate(double baseRate, int epoch, int totalEpochs, int step, int stepsPerEpoch)
    {
        double progress = ScheduleProgress.Of(baseRate, epoch, totalEpochs, step, stepsPerEpoch);
        double rate = baseRate;
        foreach (double fraction in _fractions)
        {
            if (progress >= fraction) rate *= Factor;
        }

        return rate;
    }

    /// <inheritdoc />
    public override string ToString() => $"step decay x{Factor} at [{string.Join(", ", _fractions)}]";
}
