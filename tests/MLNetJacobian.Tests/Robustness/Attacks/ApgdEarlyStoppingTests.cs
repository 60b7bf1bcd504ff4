using MLNetJacobian.Robustness;
using Xunit.Abstractions;
using MLNetJacobian.Models;

namespace MLNetJacobian.Tests.Robustness;

/// <summary>
/// APGD with <see cref="ApgdAttack.ReturnFirstAdversarial"/> stops attacking a row at its first misclassified iterate:
/// the rows it keeps attacking follow exactly the trajectory of a full run (their step-size schedule is not disturbed
/// by the rows that leave), the robust accuracy is the full run's (DLR) or at most it (CE), and the model is evaluated
/// on fewer rows.
/// </summary>
/// <remarks>
/// Why CE can differ: a full run returns the best-loss iterate <c>x_max</c>, and for the cross-entropy that can be
/// correctly classified while an earlier iterate was not (the true class keeps the largest probability while losing
/// mass); early stopping returns that earlier iterate. The DLR loss is positive exactly when the row is misclassified,
/// so there <c>x_max</c> is misclassified whenever any iterate was.
/// </remarks>
public sealed class ApgdEarlyStoppingTests(ITestOutputHelper output)
{
    private const int Rows = 150;

    public static TheoryData<string> Losses => ["CE", "DLR"];

    private static ILogitLoss LossNamed(string name) => name == "CE" ? ILogitLoss.CrossEntropy : ILogitLoss.DifferenceOfLogitsRatio;

    [Theory]
    [MemberData(nameof(Losses))]
    public void Run_ReturnFirstAdversarial_RowsNeverFooledEndAtTheFullRunsIterate(string loss)
    {
        // One restart: with more, the full run redraws the random start of every row, the stopping run only of those left.
        (float[] x, int[] y) = RobustnessTestModels.FirstDigits(Rows);
        float[] epsilons = Enumerable.Repeat(0.05f, Rows).ToArray();
        float[] stopping = Attack(new ApgdAttack(LossNamed(loss), iterations: 30) { ReturnFirstAdversarial = true }, x, y, epsilons);
        float[] full = Attack(new ApgdAttack(LossNamed(loss), iterations: 30) { ReturnFirstAdversarial = false }, x, y, epsilons);
        bool[] fooledStopping = Fooled(stopping, y), fooledFull = Fooled(full, y);

        int d = RobustnessTestModels.Digits.FeatureCount;
        int robust = 0;
        for (int i = 0; i < Rows; i++)
        {
            if (fooledStopping[i]) continue;
            robust++;
            // The reference GEMM makes each row's arithmetic independent of the batch, so the same trajectory gives
            // the same floats: a row whose schedule was disturbed by the others leaving would end elsewhere.
            Assert.True(full.AsSpan(i * d, d).SequenceEqual(stopping.AsSpan(i * d, d)), $"Row {i} ends at a different iterate.");
        }

        // So every row the full run fools, early stopping fools too; for DLR the converse holds (see the remarks).
        if (loss == "DLR") Assert.Equal(fooledFull, fooledStopping);
        Assert.InRange(robust, 10, Rows - 10); // both kinds of row occur, so the comparison means something
        output.WriteLine($"APGD-{loss}: {robust} of {Rows} rows never fooled at epsilon 0.05.");
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void Evaluate_ReturnFirstAdversarial_FullRunsRobustAccuracyWithFewerModelRows(string loss)
    {
        (float[] x, int[] y) = RobustnessTestModels.FirstDigits(Rows);
        (RobustnessReport stopping, long stoppingRows) = Evaluate(returnFirstAdversarial: true);
        (RobustnessReport full, long fullRows) = Evaluate(returnFirstAdversarial: false);

        RobustnessReport.AttackCurve stoppingCurve = Assert.Single(stopping.Attacks), fullCurve = Assert.Single(full.Attacks);
        // Same seeds: the random starts of every restart are drawn for the whole batch in both runs.
        for (int s = 0; s < fullCurve.Points.Count; s++)
        {
            if (loss == "DLR") Assert.Equal(fullCurve.Points[s].RobustAccuracy, stoppingCurve.Points[s].RobustAccuracy);
            else Assert.True(stoppingCurve.Points[s].RobustAccuracy <= fullCurve.Points[s].RobustAccuracy);
        }

        Assert.True(stoppingRows < fullRows, $"{stoppingRows} model rows with early stopping, {fullRows} without.");
        Assert.True(stoppingCurve.Points[^1].GradientsPerExample < fullCurve.Points[^1].GradientsPerExample);
        output.WriteLine($"APGD-{loss}: robust accuracy {Figures(stoppingCurve)} with early stopping, {Figures(fullCurve)} without; " +
            $"model rows {stoppingRows} with early stopping, {fullRows} without ({(double)stoppingRows / fullRows:P0}).");

        (RobustnessReport, long) Evaluate(bool returnFirstAdversarial)
        {
            var counter = new RowCounter();
            var options = new RobustnessOptions
            {
                Epsilons = [0.03f, 0.05f, 0.1f],
                Attacks = [new ApgdAttack(LossNamed(loss), iterations: 30, restarts: 2) { ReturnFirstAdversarial = returnFirstAdversarial }],
                Seed = 11,
                BatchSize = 64,
                ThreadCount = 2,
                BisectionSteps = 0,
                RunSanityChecks = false,
            };
            RobustnessReport report = RobustnessEvaluator.Evaluate(new CountingClassifier(RobustnessTestModels.Network, counter), x, y, options);
            return (report, counter.Rows);
        }
    }

    private static string Figures(RobustnessReport.AttackCurve curve) =>
        string.Join(" / ", curve.Points.Select(p => p.RobustAccuracy.ToString("P1", System.Globalization.CultureInfo.InvariantCulture)));

    private static float[] Attack(ApgdAttack attack, float[] x, int[] y, float[] epsilons)
    {
        var adversarial = new float[x.Length];
        attack.CreateWorker(RobustnessTestModels.Network, new InputBounds(0, 1), Rows).Run(x, y, epsilons, Rows, new Random(9), adversarial);
        return adversarial;
    }

    private static bool[] Fooled(float[] inputs, int[] labels)
    {
        int c = RobustnessTestModels.Digits.ClassCount;
        var scores = new float[Rows * c];
        RobustnessTestModels.Network.ComputeOutputs(inputs, Rows, scores);
        return Enumerable.Range(0, Rows).Select(i => ModelPredictions.ArgMax(scores.AsSpan(i * c, c)) != labels[i]).ToArray();
    }

    /// <summary>Rows evaluated by every thread instance of a <see cref="CountingClassifier"/>.</summary>
    private sealed class RowCounter
    {
        private long _rows;

        public long Rows => Interlocked.Read(ref _rows);

        public void Add(int rows) => Interlocked.Add(ref _rows, rows);
    }

    /// <summary>Counts the rows passed through the model (scores or loss gradients), over all thread instances.</summary>
    private sealed class CountingClassifier(IDifferentiableModel inner, RowCounter counter) : IDifferentiableModel
    {
        public int FeatureCount => inner.FeatureCount;

        public int OutputCount => inner.OutputCount;

        public ModelTask Task => inner.Task;

        public ModelOutputKind OutputKind => inner.OutputKind;

        public IReadOnlyList<string> ClassNames => inner.ClassNames;

        public string Description => inner.Description;

        public void ComputeOutputs(ReadOnlySpan<float> features, int rows, Span<float> scores)
        {
            counter.Add(rows);
            inner.ComputeOutputs(features, rows, scores);
        }

        public void ComputeInputGradient(ReadOnlySpan<float> features, int rows, IOutputGradient seed, Span<float> logits, Span<float> inputGradient)
        {
            counter.Add(rows);
            inner.ComputeInputGradient(features, rows, seed, logits, inputGradient);
        }

        public IModel CreateThreadInstance() => new CountingClassifier((IDifferentiableModel)inner.CreateThreadInstance(), counter);
    }
}
