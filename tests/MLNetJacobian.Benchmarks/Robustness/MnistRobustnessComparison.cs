using System.Diagnostics;
using System.Globalization;
using MLNetJacobian.Compute;
using MLNetJacobian.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Robustness;
using MLNetJacobian.Training;
using MLNetJacobian.Plotting;
using MLNetJacobian.Models;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Benchmarks.Robustness;

/// <summary>
/// <c>robustness-mnist [examples] [epochs] [output folder]</c>: trains the reference network (784-200-200-10 ReLU,
/// the trainer's default MNIST setting) with lambda 0 and 0.1, evaluates both with the robustness evaluator on the
/// first test images, and prints the comparison table (reports and plots are saved when a folder is given).
/// </summary>
internal static class MnistRobustnessComparison
{
    public static void Run(string[] args)
    {
        int examples = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        int epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        string? output = args.Length > 2 ? args[2] : null;
        string mnist = Training.MnistFiles.DefaultFolder;
        LabeledDataset trainRows = MnistDataset.Load(mnist, MnistSplit.Train), testRows = MnistDataset.Load(mnist, MnistSplit.Test);
        var (trainX, trainY) = (trainRows.Features, trainRows.Labels);   // pixels in [0, 1]
        var (testX, testY) = (testRows.Features, testRows.Labels);
        var reports = new List<(double Lambda, RobustnessReport Report)>();
        foreach (double lambda in new[] { 0.0, 0.1 })
        {
            var architecture = new NetworkArchitecture(784, [200, 200], 10, Activation.Relu);
            var network = FeedForwardNetwork<float>.Create(architecture, WeightInitializer.XavierUniform, new Random(1));
            var watch = Stopwatch.StartNew();
            new NetworkTrainer<float>().Train(network, new JacobianRegularizedObjective<float>(network, new ManagedGemmProvider(2), 64, new JacobianPenaltyOptions(JacobianWeight: lambda)),
                new InMemoryTrainingData<float>(trainX, trainY, 784, 10), null, JacobianRegularizedTrainer.EngineOptions(new() { NumberOfEpochs = epochs }), new Random(2), null);
            Console.WriteLine($"lambda {lambda}: trained {epochs} epochs in {watch.Elapsed.TotalSeconds:0} s");
            var options = new RobustnessOptions
            {
                Epsilons = [0.05f, 0.1f, 0.2f, 0.3f],
                Attacks =
                [
                    new GaussianNoiseAttack(draws: 1) { Strengths = [0.1f, 0.3f, 0.5f] },
                    new UniformNoiseAttack(draws: 1),
                    PgdAttack.Fgsm(PerturbationNorm.LInfinity),
                    new PgdAttack(PerturbationNorm.LInfinity, steps: 40),
                    new ApgdAttack(ILogitLoss.CrossEntropy),
                    new ApgdAttack(ILogitLoss.DifferenceOfLogitsRatio),
                    new SquareAttack(maxQueries: 1000),
                ],
                MaxExamples = examples,
                Seed = 7,
            };
            var model = new NetworkModel<float>(network, gemm: new ManagedGemmProvider(1), maxBatchSize: 256, description: $"784-200-200-10 ReLU, lambda {lambda}, {epochs} epochs");
            RobustnessReport report = RobustnessEvaluator.Evaluate(model, testX, testY, options);
            Console.WriteLine(report);
            if (output is not null)
            {
                string stem = Path.Combine(output, $"mnist-lambda-{lambda.ToString(CultureInfo.InvariantCulture)}");
                report.SaveJson(stem + ".json", overwrite: true);
                report.SavePlot(stem + ".png", overwrite: true);
            }

            reports.Add((lambda, report));
        }

        Console.WriteLine($"| figure (first {examples} MNIST test images) | lambda 0 | lambda 0.1 |");
        Console.WriteLine("|---|---|---|");
        Row("clean accuracy", r => r.CleanAccuracy);
        foreach (string attack in new[] { "FGSM L-inf", "PGD-40 L-inf", "APGD-CE L-inf", "APGD-DLR L-inf", "Square-1000 L-inf", "Gaussian noise x1" })
        {
            foreach (RobustnessReport.AttackPoint point in reports[0].Report.GetAttack(attack).Points)
            {
                string label = attack.StartsWith("Gaussian", StringComparison.Ordinal) ? $"Gaussian noise, sigma {point.Strength:0.##}" : $"{attack}, eps {point.Strength:0.##}";
                Row(label, r => r.GetAttack(attack).Points.First(p => p.Strength == point.Strength).RobustAccuracy);
            }
        }

        foreach (RobustnessReport.WorstCasePoint point in reports[0].Report.WorstCase[0].Points)
        {
            Row($"worst case per example, eps {point.Epsilon:0.##}", r => r.WorstCase[0].Points.First(p => p.Epsilon == point.Epsilon).RobustAccuracy);
        }

        void Row(string name, Func<RobustnessReport, double> figure) =>
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {100 * figure(reports[0].Report):0.0}% | {100 * figure(reports[1].Report):0.0}% |"));
    }
}
