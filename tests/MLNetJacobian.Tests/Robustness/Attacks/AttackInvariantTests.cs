using MLNetJacobian.Robustness;
using MLNetJacobian.Models;

namespace MLNetJacobian.Tests.Robustness;

/// <summary>Invariants every attack must satisfy, on a trained softmax model of the digits.</summary>
public sealed class AttackInvariantTests
{
    private const int Rows = 64;

    public static TheoryData<int> AttackIndices() => new(Enumerable.Range(0, RobustnessTestModels.SmallSuite().Count()));

    private static (Attack Attack, float Epsilon) Get(int index) => RobustnessTestModels.SmallSuite().ElementAt(index);

    private static float[] RunAttack(Attack attack, float epsilon, int seed, IModel? model = null)
    {
        (float[] x, int[] y) = RobustnessTestModels.FirstDigits(Rows);
        var adversarial = new float[x.Length];
        attack.CreateWorker(model ?? RobustnessTestModels.Softmax, new InputBounds(0, 1), Rows)
            .Run(x, y, Enumerable.Repeat(epsilon, Rows).ToArray(), Rows, new Random(seed), adversarial);
        return adversarial;
    }

    [Theory]
    [MemberData(nameof(AttackIndices))]
    public void Run_AnyAttack_StaysInsideBallAndBounds(int index)
    {
        (Attack attack, float eps) = Get(index);
        (float[] x, _) = RobustnessTestModels.FirstDigits(Rows);
        float[] adversarial = RunAttack(attack, eps, seed: 1);
        int d = RobustnessTestModels.Digits.FeatureCount;
        bool moved = false;
        for (int i = 0; i < Rows; i++)
        {
            ReadOnlySpan<float> row = adversarial.AsSpan(i * d, d);
            ReadOnlySpan<float> clean = x.AsSpan(i * d, d);
            Assert.True(new InputBounds(0, 1).Contains(row), $"{attack.Name}: row {i} leaves [0, 1].");
            if (attack.Norm is { } norm)
            {
                // Float rounding in the L2 projection: 1e-5 relative.
                Assert.True(norm.Distance(row, clean) <= eps * (1 + 1e-5), $"{attack.Name}: row {i} is {norm.Distance(row, clean)} from x, radius {eps}.");
            }

            moved |= !row.SequenceEqual(clean);
        }

        Assert.True(moved, $"{attack.Name} changed no input at all.");
    }

    [Theory]
    [MemberData(nameof(AttackIndices))]
    public void Run_SameSeed_SameResult(int index)
    {
        (Attack attack, float eps) = Get(index);
        Assert.Equal(RunAttack(attack, eps, seed: 5), RunAttack(attack, eps, seed: 5));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Fgsm_Always_EqualsOneStepPgdWithStepEpsilon(bool linf)
    {
        PerturbationNorm norm = linf ? PerturbationNorm.LInfinity : PerturbationNorm.L2;
        float eps = linf ? 0.1f : 1f;
        float[] fgsm = RunAttack(PgdAttack.Fgsm(norm), eps, seed: 3);
        float[] pgd = RunAttack(new PgdAttack(norm, steps: 1, randomStart: false) { AbsoluteStepSize = eps }, eps, seed: 4);
        Assert.Equal(fgsm, pgd);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Fgsm_LinearTwoClassModel_AchievesClosedFormWorstCase(bool linf)
    {
        // z = W x + b with two classes: the margin m = z_0 - z_1 = (w_0 - w_1) . x + (b_0 - b_1) is linear, so its
        // minimum over the ball is m - eps ||w_0 - w_1||_1 (L-inf) or m - eps ||w_0 - w_1||_2 (L2). Bounds wide enough
        // never to clip. The bias keeps the example correctly classified after the step, so FGSM returns its step.
        var random = new Random(11);
        const int d = 20;
        float[] w = Enumerable.Range(0, 2 * d).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var model = new LinearModel(w, [8f, 0f], d);
        float[] x = Enumerable.Range(0, d).Select(_ => (float)random.NextDouble()).ToArray();
        float eps = 0.05f;
        PerturbationNorm norm = linf ? PerturbationNorm.LInfinity : PerturbationNorm.L2;
        var adversarial = new float[d];
        PgdAttack.Fgsm(norm).CreateWorker(model, new InputBounds(-100, 100), 1).Run(x, [0], [eps], 1, new Random(0), adversarial);
        double[] difference = Enumerable.Range(0, d).Select(j => (double)w[j] - w[d + j]).ToArray();
        double Margin(float[] input) => Enumerable.Range(0, d).Sum(j => difference[j] * input[j]) + 8;
        double dualNorm = linf ? difference.Sum(Math.Abs) : Math.Sqrt(difference.Sum(v => v * v));
        Assert.True(Margin(x) - eps * dualNorm > 0, "Precondition: the step must not cross the decision boundary.");
        // Float inputs (rounding 3e-8 each) in a sum of 20 terms of size <= 2, plus 8: 1e-5 absolute.
        Assert.Equal(Margin(x) - eps * dualNorm, Margin(adversarial), 1e-5);
    }

    [Fact]
    public void ApgdCheckpoints_HundredIterations_FollowAutoAttackSchedule()
    {
        // Windows of 22, 19, 16, 13, 10, 7, then 6 (= 0.06 N) iterations.
        Assert.Equal([22, 41, 57, 70, 80, 87, 93, 99], new ApgdAttack(ILogitLoss.CrossEntropy).Checkpoints);
    }

    [Fact]
    public void Run_GradientAttackOnBlackBox_ThrowsNamingTheAttack()
    {
        var blackBox = new ScoresOnly(RobustnessTestModels.Softmax);
        var error = Assert.Throws<InvalidOperationException>(() => new PgdAttack(PerturbationNorm.LInfinity).CreateWorker(blackBox, new InputBounds(0, 1), 4));
        Assert.Contains("PGD-40 L-inf", error.Message);
    }

    [Fact]
    public void Square_BlackBoxModel_CountsQueriesWithinBudget()
    {
        var blackBox = new ScoresOnly(RobustnessTestModels.Softmax);
        var attack = new SquareAttack(maxQueries: 50);
        (float[] x, int[] y) = RobustnessTestModels.FirstDigits(Rows);
        AttackWorker worker = attack.CreateWorker(blackBox, new InputBounds(0, 1), Rows);
        worker.Run(x, y, Enumerable.Repeat(0.1f, Rows).ToArray(), Rows, new Random(2), new float[x.Length]);
        Assert.InRange(worker.ScoreQueries, Rows, 50L * Rows);
        Assert.Equal(0, worker.GradientQueries);
    }

    /// <summary>Hides the gradient of a model: what a tree ensemble looks like to the attacks.</summary>
    internal sealed class ScoresOnly(IModel inner) : IModel
    {
        public int FeatureCount => inner.FeatureCount;

        public int OutputCount => inner.OutputCount;

        public ModelTask Task => inner.Task;

        public ModelOutputKind OutputKind => inner.OutputKind;

        public IReadOnlyList<string> ClassNames => inner.ClassNames;

        public string Description => "scores only: " + inner.Description;

        public void ComputeOutputs(ReadOnlySpan<float> features, int rows, Span<float> scores) => inner.ComputeOutputs(features, rows, scores);

        public IModel CreateThreadInstance() => new ScoresOnly(inner.CreateThreadInstance());
    }
}
