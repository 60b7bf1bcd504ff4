using System.Globalization;
using Microsoft.ML;
using MLNetJacobian.Cli.Data;
using MLNetJacobian.Compute;
using MLNetJacobian.Models;
using MLNetJacobian.Robustness;
using Spectre.Console;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>Builds the evaluator's options from the command line and runs it on a model.</summary>
internal static class RobustnessRuns
{
    /// <summary>The attacks of a suite.</summary>
    /// <param name="suite">The suite.</param>
    /// <param name="classCount">C (APGD-DLR needs three or more classes).</param>
    public static IReadOnlyList<Attack> AttacksOf(AttackSuite suite, int classCount) => suite switch
    {
        AttackSuite.Quick => [new GaussianNoiseAttack(draws: 1), PgdAttack.Fgsm(PerturbationNorm.LInfinity), new PgdAttack(PerturbationNorm.LInfinity, steps: 20)],
        AttackSuite.QuickWithSquare =>
            [new GaussianNoiseAttack(draws: 1), PgdAttack.Fgsm(PerturbationNorm.LInfinity), new PgdAttack(PerturbationNorm.LInfinity, steps: 20), new SquareAttack(maxQueries: 1000)],
        _ => RobustnessOptions.DefaultAttacks(classCount),
    };

    /// <summary>Parses the comma-separated epsilons (validated before).</summary>
    public static float[] ParseEpsilons(string text) =>
        text.Split(',').Select(item => float.Parse(item.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The first problem with <paramref name="settings"/>, or null.</summary>
    public static string? Check(IRobustnessSettings settings)
    {
        foreach (string item in settings.Epsilons.Split(','))
        {
            if (!float.TryParse(item.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value) || value < 0)
            {
                return $"--epsilons '{settings.Epsilons}' must be comma-separated numbers of at least 0; '{item.Trim()}' is not.";
            }
        }

        if (settings.AttackRows is int rows && rows < 1) return $"--attack-rows {rows} must be at least 1.";
        if (settings.BisectionSteps < 0) return $"--bisection-steps {settings.BisectionSteps} must be at least 0.";
        if (settings.AttackThreads is int threads && threads < 1) return $"--attack-threads {threads} must be at least 1.";
        return null;
    }

    /// <summary>The evaluator's options.</summary>
    /// <param name="settings">The command's robustness options.</param>
    /// <param name="data">The data (bounds).</param>
    /// <param name="classCount">C.</param>
    public static RobustnessOptions OptionsFor(IRobustnessSettings settings, LoadedData data, int classCount) => new()
    {
        FeatureColumnName = LoadedData.FeatureColumnName,
        LabelColumnName = LoadedData.LabelColumnName,
        LowerBound = data.LowerBound,
        UpperBound = data.UpperBound,
        Epsilons = ParseEpsilons(settings.Epsilons),
        Attacks = AttacksOf(settings.Attacks, classCount),
        Seed = settings.Seed,
        MaxExamples = settings.AttackRows,
        BisectionSteps = settings.BisectionSteps,
        RunSanityChecks = !settings.NoSanityChecks,
        ThreadCount = settings.AttackThreads ?? Math.Min(2, Environment.ProcessorCount),
    };

    /// <summary>
    /// Evaluates a model: this library's network trained in this process is attacked white-box through the engine;
    /// any other model (a loaded zip, an ML.NET trainer) through <c>EvaluateRobustness(ITransformer, ...)</c>.
    /// </summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="model">The model.</param>
    /// <param name="alignedData">Rows whose Label is a key numbered like the model's classes.</param>
    /// <param name="options">The evaluator's options.</param>
    /// <param name="console">The console (a spinner while it runs).</param>
    public static RobustnessReport Evaluate(MLContext context, TrainedModel model, IDataView alignedData, RobustnessOptions options, IAnsiConsole console)
    {
        RobustnessReport report = null!;
        console.Status().Spinner(Spinner.Known.Dots).Start($"Attacking {Markup.Escape(model.Name)}...", _ =>
        {
            report = Guard.Data(() => model.Network is { } network
                ? context.MulticlassClassification.EvaluateRobustness(
                    new NetworkModel<float>(network.CreateNetwork(), network.ClassNames, new ManagedGemmProvider(1), description: $"{model.Name}: network {network.Architecture} (white box, exact gradients)"),
                    alignedData, options)
                : context.MulticlassClassification.EvaluateRobustness(model.Model, alignedData, options));
        });
        return report;
    }
}
