using System.Diagnostics;
using System.Globalization;
using MLNetJacobian.Compute;
using MLNetJacobian.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Robustness;
using MLNetJacobian.Training;
using MLNetJacobian.Models;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Benchmarks.Robustness;

/// <summary>
/// <c>robustness-apgd [rounds]</c>: APGD-CE and APGD-DLR (100 iterations, L-inf, epsilon 0.05 and 0.1) over the 1,797
/// embedded digits, with and without <see cref="ApgdAttack.ReturnFirstAdversarial"/>, interleaved round by round in one
/// run. Without it every row runs all 100 iterations (what APGD did before it stopped at the first misclassified
/// iterate). The network (64-128-10 ReLU) is trained here for 10 epochs without penalty. Prints medians of the
/// evaluation time, the gradient rows per attacked example and the robust accuracy.
/// </summary>
internal static class ApgdEarlyStoppingTable
{
    public static void Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        LabeledDataset digits = DigitsDataset.Load(scaleToUnitInterval: true);
        var architecture = new NetworkArchitecture(digits.FeatureCount, [128], digits.ClassCount, Activation.Relu);
        var network = FeedForwardNetwork<float>.Create(architecture, WeightInitializer.HeNormal, new Random(1));
        var gemm = new ManagedGemmProvider(1);
        new NetworkTrainer<float>(gemm).Train(network, new JacobianRegularizedObjective<float>(network, gemm, 32, new JacobianPenaltyOptions(JacobianWeight: 0)),
            InMemoryTrainingData<float>.FromDataset(digits), null, JacobianRegularizedTrainer.EngineOptions(new() { NumberOfEpochs = 10, BatchSize = 32, LearningRate = 0.1 }), new Random(2), null);

        var contenders = new List<(string Loss, bool Stops)>();
        foreach (string loss in new[] { "CE", "DLR" })
        {
            foreach (bool stops in new[] { true, false }) contenders.Add((loss, stops));
        }

        var results = contenders.Select(_ => new List<RobustnessReport.AttackCurve>()).ToList();
        for (int round = 0; round <= rounds; round++)
        {
            for (int c = 0; c < contenders.Count; c++)
            {
                RobustnessReport.AttackCurve curve = RunOnce(network, digits, contenders[c].Loss, contenders[c].Stops);
                if (round > 0) results[c].Add(curve); // round 0 warms up
            }
        }

        Console.WriteLine($"APGD-100 L-inf on the {digits.Count} digits, {architecture}, 1 thread, medians of {rounds} rounds");
        Console.WriteLine("| attack | stops at first misclassified | seconds | gradient rows / attacked example (eps 0.05, 0.1) | robust acc (eps 0.05, 0.1) |");
        Console.WriteLine("|---|---|---|---|---|");
        for (int c = 0; c < contenders.Count; c++)
        {
            List<RobustnessReport.AttackCurve> curves = results[c];
            double seconds = Median(curves.Select(v => v.Points.Sum(p => p.Seconds)).ToList());
            RobustnessReport.AttackCurve last = curves[^1];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| APGD-{contenders[c].Loss} | {(contenders[c].Stops ? "yes" : "no")} | {seconds:0.00} | {string.Join(", ", last.Points.Select(p => p.GradientsPerExample.ToString("0.0", CultureInfo.InvariantCulture)))} | {string.Join(", ", last.Points.Select(p => (100 * p.RobustAccuracy).ToString("0.00", CultureInfo.InvariantCulture) + "%"))} |"));
        }
    }

    private static RobustnessReport.AttackCurve RunOnce(FeedForwardNetwork<float> network, LabeledDataset digits, string loss, bool stops)
    {
        ILogitLoss logitLoss = loss == "CE" ? ILogitLoss.CrossEntropy : ILogitLoss.DifferenceOfLogitsRatio;
        var options = new RobustnessOptions
        {
            Epsilons = [0.05f, 0.1f],
            Attacks = [new ApgdAttack(logitLoss) { ReturnFirstAdversarial = stops }],
            ThreadCount = 1, BatchSize = 256, BisectionSteps = 0, RunSanityChecks = false, Seed = 1,
        };
        var model = new NetworkModel<float>(network, gemm: new ManagedGemmProvider(1), maxBatchSize: 256);
        return RobustnessEvaluator.Evaluate(model, digits.Features, digits.Labels, options).Attacks[0];
    }

    private static double Median(List<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);
    }
}
