using System.Globalization;
using MLNetJacobian.Robustness;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>
/// The attacks <c>--attacks</c> names, a preset (<see cref="AttackSuite"/>) or a list, with the settings of
/// <c>--noise-sigmas</c>, <c>--noise-draws</c>, <c>--no-noise-clip</c>, <c>--pgd-steps</c>, <c>--pgd-step-size</c> and
/// <c>--square-queries</c> applied to the attacks they concern.
/// </summary>
internal static class AttackPlan
{
    /// <summary>The attack names a list may hold, in the order the suites run them.</summary>
    public static readonly IReadOnlyList<string> Names = ["uniform", "noise", "fgsm", "pgd", "apgd-ce", "apgd-dlr", "square"];

    /// <summary>The attack names of a preset.</summary>
    public static IReadOnlyList<string> NamesOf(AttackSuite suite) => suite switch
    {
        AttackSuite.Quick => ["noise", "fgsm", "pgd"],
        AttackSuite.QuickWithSquare => ["noise", "fgsm", "pgd", "square"],
        _ => Names,
    };

    /// <summary>The first problem with the attack options, or null.</summary>
    public static string? Check(IRobustnessSettings settings)
    {
        if (TryParse(settings.Attacks, out _, out _) is { } error) return error;
        if (settings.NoiseSigmas is { } sigmas)
        {
            foreach (string item in sigmas.Split(','))
            {
                if (!float.TryParse(item.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float sigma) || !float.IsFinite(sigma) || sigma < 0)
                {
                    return $"--noise-sigmas '{sigmas}' must be comma-separated numbers of at least 0; '{item.Trim()}' is not.";
                }
            }
        }

        if (settings.NoiseDraws < 1) return $"--noise-draws {settings.NoiseDraws} must be at least 1.";
        if (settings.PgdSteps is int steps && steps < 1) return $"--pgd-steps {steps} must be at least 1.";
        if (settings.PgdStepSize is double step && !(step > 0 && double.IsFinite(step))) return $"--pgd-step-size {Format(step)} must be finite and greater than 0.";
        if (settings.SquareQueries is int queries && queries < 1) return $"--square-queries {queries} must be at least 1.";
        return null;
    }

    /// <summary>The attacks, built with the settings (validated before).</summary>
    /// <param name="settings">The command's robustness options.</param>
    /// <param name="classCount">C (APGD-DLR needs three or more classes; it is left out of a preset below that).</param>
    public static IReadOnlyList<Attack> AttacksOf(IRobustnessSettings settings, int classCount)
    {
        TryParse(settings.Attacks, out IReadOnlyList<string> names, out AttackSuite? preset);
        bool standard = preset == AttackSuite.Standard;
        int pgdSteps = settings.PgdSteps ?? (standard ? 40 : 20);
        float? pgdStep = settings.PgdStepSize is double s ? (float)s : null;
        var attacks = new List<Attack>();
        foreach (string name in names)
        {
            switch (name)
            {
                case "uniform": attacks.Add(new UniformNoiseAttack()); break;
                case "noise": attacks.Add(Noise(settings)); break;
                case "fgsm": attacks.Add(PgdAttack.Fgsm(PerturbationNorm.LInfinity)); break;
                case "pgd": attacks.Add(new PgdAttack(PerturbationNorm.LInfinity, steps: pgdSteps, relativeStepSize: pgdStep)); break;
                case "apgd-ce": attacks.Add(new ApgdAttack(ILogitLoss.CrossEntropy)); break;
                case "apgd-dlr" when classCount >= 3 || preset is null: attacks.Add(new ApgdAttack(ILogitLoss.DifferenceOfLogitsRatio)); break;
                case "square": attacks.Add(new SquareAttack(maxQueries: settings.SquareQueries ?? (standard ? 5000 : 1000))); break;
            }
        }

        return attacks;
    }

    /// <summary>The Gaussian noise attack: K draws (worst-of-K), the given sigmas, clipped unless told.</summary>
    public static GaussianNoiseAttack Noise(IRobustnessSettings settings) => Noise(settings, settings.NoiseDraws);

    /// <summary>The Gaussian noise attack with <paramref name="draws"/> draws and the settings' sigmas and clipping.</summary>
    public static GaussianNoiseAttack Noise(IRobustnessSettings settings, int draws) => settings.NoiseSigmas is { } sigmas
        ? new GaussianNoiseAttack(draws) { Clip = !settings.NoNoiseClip, Strengths = RobustnessRuns.ParseEpsilons(sigmas) }
        : new GaussianNoiseAttack(draws) { Clip = !settings.NoNoiseClip };

    private static string? TryParse(string text, out IReadOnlyList<string> names, out AttackSuite? preset)
    {
        preset = null;
        names = [];
        if (Enum.TryParse(text.Trim(), ignoreCase: true, out AttackSuite suite) && Enum.IsDefined(suite) && !int.TryParse(text, out _))
        {
            preset = suite;
            names = NamesOf(suite);
            return null;
        }

        var list = new List<string>();
        foreach (string item in text.Split(','))
        {
            string name = item.Trim().ToLowerInvariant();
            if (!Names.Contains(name))
            {
                return $"--attacks '{text}' must be Quick, QuickWithSquare, Standard or a comma-separated list of {string.Join(", ", Names)}; '{item.Trim()}' is not.";
            }

            if (list.Contains(name)) return $"--attacks '{text}' names {name} twice.";
            list.Add(name);
        }

        names = Names.Where(list.Contains).ToList();
        return null;
    }

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
