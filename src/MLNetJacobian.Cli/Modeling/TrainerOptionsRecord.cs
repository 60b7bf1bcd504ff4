using MLNetJacobian.Trainers;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>The trainer options as a plain name-to-value map for JSON (enums as names).</summary>
internal static class TrainerOptionsRecord
{
    /// <summary>The options that shape the model and its training.</summary>
    public static IReadOnlyDictionary<string, object?> Of(JacobianRegularizedOptions o)
    {
        var record = Shared(o);
        if (o is JacobianRegularizedRegressionTrainer.Options r)
        {
            record["lossFunction"] = r.LossFunction.ToString();
            record["huberDelta"] = r.HuberDelta;
            record["standardizeLabel"] = r.StandardizeLabel;
        }

        return record;
    }

    private static Dictionary<string, object?> Shared(JacobianRegularizedOptions o) => new()
    {
        ["hiddenLayers"] = o.HiddenLayers,
        ["activation"] = o.Activation.ToString(),
        ["layers"] = o.Layers is null ? null : Network.NetworkLayers.Format(o.Layers),
        ["imageShape"] = o.ImageShape?.ToString(),
        ["weightInitializer"] = o.WeightInitializer.ToString(),
        ["biasInitializer"] = o.BiasInitializer.ToString(),
        ["jacobianWeight"] = o.JacobianWeight,
        ["numberOfProjections"] = o.NumberOfProjections,
        ["useExactJacobianNorm"] = o.UseExactJacobianNorm,
        ["jacobianSampleFraction"] = o.JacobianSampleFraction,
        ["optimizer"] = o.Optimizer.ToString(),
        ["learningRate"] = o.LearningRate,
        ["momentum"] = o.Momentum,
        ["useNesterov"] = o.UseNesterov,
        ["adamBeta1"] = o.AdamBeta1,
        ["adamBeta2"] = o.AdamBeta2,
        ["adamEpsilon"] = o.AdamEpsilon,
        ["learningRateSchedule"] = o.LearningRateSchedule.ToString(),
        ["stepDecayFractions"] = o.StepDecayFractions,
        ["stepDecayFactor"] = o.StepDecayFactor,
        ["weightDecay"] = o.WeightDecay,
        ["batchSize"] = o.BatchSize,
        ["numberOfEpochs"] = o.NumberOfEpochs,
        ["shuffle"] = o.Shuffle,
        ["earlyStoppingPatience"] = o.EarlyStoppingPatience,
        ["restoreBestModel"] = o.RestoreBestModel,
        ["numberOfThreads"] = o.NumberOfThreads,
        ["seed"] = o.Seed,
    };
}
