using System.Reflection;
using MLNetJacobian.Cli.Commands;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Cli.Tests.Commands;

/// <summary>The tool's trainer settings bind to <see cref="JacobianRegularizedTrainer.Options"/> instead of restating it.</summary>
public sealed class TrainerSettingsBindingTests
{
    // Options the tool sets from elsewhere (the data's columns, the --seed of every command) or cannot express.
    private static readonly string[] NotSettings =
    [
        nameof(JacobianRegularizedTrainer.Options.LabelColumnName), nameof(JacobianRegularizedTrainer.Options.FeatureColumnName),
        nameof(JacobianRegularizedTrainer.Options.ExampleWeightColumnName), nameof(JacobianRegularizedTrainer.Options.Seed),
        nameof(JacobianRegularizedTrainer.Options.CancellationToken),
    ];

    [Fact]
    public void TrainerSettings_EveryOptionBoundOnce()
    {
        string[] bound = typeof(TrainerSettings).GetProperties()
            .Select(p => p.GetCustomAttribute<TrainerOptionAttribute>()?.Option).OfType<string>().ToArray();
        string[] options = typeof(JacobianRegularizedTrainer.Options).GetProperties().Select(p => p.Name).Except(NotSettings).ToArray();

        Assert.Equal(bound.Length, bound.Distinct().Count());
        Assert.Equal(options.Order(), bound.Order());
    }

    [Fact]
    public void ToTrainerOptions_NothingGiven_EqualsTheTrainersDefaults()
    {
        JacobianRegularizedTrainer.Options fromTool = new TrainSettings().ToTrainerOptions();
        var defaults = new JacobianRegularizedTrainer.Options();

        foreach (PropertyInfo option in typeof(JacobianRegularizedTrainer.Options).GetProperties().Where(p => !NotSettings.Contains(p.Name)))
        {
            object? expected = option.GetValue(defaults), actual = option.GetValue(fromTool);
            if (expected is System.Collections.IEnumerable list) Assert.Equal(list.Cast<object>(), ((System.Collections.IEnumerable)actual!).Cast<object>());
            else Assert.Equal(expected, actual);
        }
    }

    /// <summary>The trainer's defaults as a user sees them: a new Options.</summary>
    private static readonly JacobianRegularizedTrainer.Options TrainerDefaults = new();

    [Fact]
    public void Defaults_CompareAndDemoLambdas_ComeFromTheTrainer()
    {
        Assert.Equal($"0,{TrainerDefaults.JacobianWeight}", new CompareSettings().Lambdas);
        Assert.Equal(TrainerDefaults.JacobianWeight, new DemoSettings().Lambda);
        Assert.Equal(TrainerDefaults.JacobianWeight, new TrainSettings().Lambda);
    }

    [Fact]
    public void Train_NesterovWithoutMomentum_TheTrainersRuleUnderBothFlags()
    {
        CliRun run = CliRun.Start("train", "--nesterov", "--momentum", "0");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --nesterov needs --momentum greater than 0.", Assert.Single(run.Lines));
    }

    [Fact]
    public void TrainHelp_ShowsTheTrainersDefaults()
    {
        CliRun run = CliRun.Start("train", "--help");

        string lambda = Assert.Single(run.Lines, l => l.TrimStart().StartsWith("--lambda <", StringComparison.Ordinal));
        Assert.Contains(TrainerDefaults.JacobianWeight.ToString(System.Globalization.CultureInfo.InvariantCulture), lambda);
        Assert.Contains(run.Lines, l => l.TrimStart().StartsWith("--hidden-layers <", StringComparison.Ordinal) && l.Contains(string.Join(",", TrainerDefaults.HiddenLayers), StringComparison.Ordinal));
    }
}
