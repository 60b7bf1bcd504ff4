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
    /// <summary>The attacks of a preset with every other attack option at its default and one noise draw (the demo's suite).</summary>
    /// <param name="suite">The preset.</param>
    /// <param name="classCount">C (APGD-DLR needs three or more classes).</param>
    public static IReadOnlyList<Attack> AttacksOf(AttackSuite suite, int classCount) => AttackPlan.AttacksOf(new PresetSettings(suite.ToString()), classCount);

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
        return AttackPlan.Check(settings);
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
        Attacks = AttackPlan.AttacksOf(settings, classCount),
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
    /// <param name="console">The console (a spinner while it runs), or null to run silently (the repeated one-draw noise runs).</param>
    public static RobustnessReport Evaluate(MLContext context, TrainedModel model, IDataView alignedData, RobustnessOptions options, IAnsiConsole? console)
    {
        RobustnessReport report = null!;
        void Run()
        {
            // A network behind a normalizer is attacked through the whole model: the evaluator folds the normalizer into
            // the first layer, so the attacks and their epsilons stay in raw feature units.
            report = Guard.Data(() => model.Network is { } network && model.Normalization is null
                ? context.MulticlassClassification.EvaluateRobustness(
                    new NetworkModel<float>(network.CreateNetwork(), network.ClassNames, new ManagedGemmProvider(1), description: $"{model.Name}: network {network.Architecture} (white box, exact gradients)"),
                    alignedData, options)
                : context.MulticlassClassification.EvaluateRobustness(model.Model, alignedData, options));
        }

        if (console is null) Run();
        else console.Status().Spinner(Spinner.Known.Dots).Start($"Attacking {Markup.Escape(model.Name)}...", _ => Run());
        return report;
    }

    /// <summary>A preset with every other attack option at its default and one noise draw.</summary>
    private sealed record PresetSettings(string Attacks) : IRobustnessSettings
    {
        public string Epsilons => "0.05,0.1,0.2,0.3";

        public string? NoiseSigmas => null;

        public int NoiseDraws => 1;

        public bool NoNoiseClip => false;

        public int? PgdSteps => null;

        public double? PgdStepSize => null;

        public int? SquareQueries => null;

        public int? AttackRows => null;

        public int BisectionSteps => 0;

        public bool NoSanityChecks => false;

        public int? AttackThreads => null;

        public int Seed => 0;

        public string? Perturb => null;

        public EpsilonScale? EpsScale => null;
    }
}
