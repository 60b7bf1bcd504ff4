using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Analysis;
using MLNetJacobian.Models;

namespace MLNetJacobian.Tests.Analysis;

/// <summary>Input gradients, response curves and local Lipschitz estimates of one-output models, against closed forms.</summary>
public sealed class OneOutputAnalysisTests
{
    private static readonly float[] Weights = [2f, -0.5f, 0f, 1.5f];

    private static float[] Rows(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n * Weights.Length).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
    }

    [Fact]
    public void InputGradients_LinearRegressor_AreTheWeights_SharesSumToOne()
    {
        var model = new LinearModel(Weights, [3f], Weights.Length, "linear", task: ModelTask.Regression);
        InputGradientReport report = OneOutputAnalysis.InputGradients(model, Rows(20, 1), 20, ["a", "b", "c", "d"]);
        Assert.True(report.IsExact);
        double l1 = Weights.Sum(Math.Abs), l2 = Math.Sqrt(Weights.Sum(w => w * w));
        foreach (InputGradientReport.Example example in report.Examples)
        {
            Assert.Equal(Weights.Select(w => (double)w), example.Gradient);
            Assert.Equal(l2, example.L2Norm, 1e-6);
            Assert.Equal(1.0, example.Shares.Sum(), 1e-12);
        }

        Assert.Equal(["a", "d", "b", "c"], report.Features.Select(f => f.Name));
        Assert.Equal(2 / l1, report.Features[0].MeanShare, 1e-6);
    }

    [Fact]
    public void InputGradients_BlackBoxTree_FiniteDifferencesFlagged()
    {
        var context = new MLContext(seed: 1);
        float[] x = Rows(200, 2);
        var rows = Enumerable.Range(0, 200).Select(i => new TreeRow { Features = x.AsSpan(i * 4, 4).ToArray(), Label = 2 * x[i * 4] + x[i * 4 + 3] }).ToList();
        IDataView data = context.Data.LoadFromEnumerable(rows);
        ITransformer tree = context.Regression.Trainers.FastTree(numberOfLeaves: 4, numberOfTrees: 5, minimumExampleCountPerLeaf: 5).Fit(data);
        IModel model = MlNetModel.Create(tree, data, out string notice);
        Assert.StartsWith("Attacked as a black box", notice, StringComparison.Ordinal);
        InputGradientReport report = OneOutputAnalysis.InputGradients(model, x, 20);
        Assert.False(report.IsExact);

        // A tree's response is a staircase: along feature 0 over [-1, 1], 201 points give a few distinct values, a linear model 201.
        var linear = new LinearModel(Weights, [0f], 4, task: ModelTask.Regression);
        ResponseCurve curve = OneOutputAnalysis.ResponseCurve([("tree", model), ("linear", linear)], x.AsSpan(0, 4), 0, -1, 1, featureName: "a");
        Assert.Equal(201, curve.Values.Count);
        Assert.InRange(curve.Series[0].Predictions.Distinct().Count(), 2, 25);
        Assert.Equal(201, curve.Series[1].Predictions.Distinct().Count());
        for (int k = 0; k < 201; k++)
        {
            double expected = 2 * curve.Values[k] - 0.5 * x[1] + 1.5 * x[3];
            Assert.Equal(expected, curve.Series[1].Predictions[k], 1e-5);
        }

        Assert.Equal(x[0], curve.ExampleValue);
    }

    [Fact]
    public void LocalLipschitz_Linear_IsTheWeightNorm_Exponential_ReachesTheClosedFormMaximum()
    {
        float[] x = Rows(5, 3);
        double norm = Math.Sqrt(Weights.Sum(w => w * w));
        var linear = new LinearModel(Weights, [0.5f], 4, task: ModelTask.Regression);
        foreach (OneOutputAnalysis.LocalLipschitzEstimate estimate in OneOutputAnalysis.LocalLipschitz(linear, x, 5, new OneOutputAnalysis.LocalLipschitzOptions { Radius = 0.3, Samples = 8, AscentSteps = 3 }))
        {
            Assert.Equal(norm, estimate.LargestGradientNorm, 1e-5);
            Assert.Equal(norm, estimate.GradientNormAtExample, 1e-5);
        }

        // f = exp(w.x + b): ||grad f|| = exp(w.x + b) ||w||, largest on the L2 ball of radius r at x + r w/||w||: exp(z + r ||w||) ||w||.
        var poisson = new LinearModel(Weights, [0.5f], 4, "exp", null, ModelTask.Regression, exponential: true);
        double r = 0.3;
        IReadOnlyList<OneOutputAnalysis.LocalLipschitzEstimate> estimates = OneOutputAnalysis.LocalLipschitz(poisson, x, 5, new OneOutputAnalysis.LocalLipschitzOptions { Radius = r, Samples = 16, AscentSteps = 20, Seed = 4 });
        for (int i = 0; i < 5; i++)
        {
            double z = 0.5 + Enumerable.Range(0, 4).Sum(j => Weights[j] * x[i * 4 + j]);
            double atExample = Math.Exp(z) * norm, largest = Math.Exp(z + r * norm) * norm;
            Assert.Equal(atExample, estimates[i].GradientNormAtExample, 1e-4 * atExample);
            Assert.InRange(estimates[i].LargestGradientNorm, 0.99 * largest, largest * (1 + 1e-4));
            Assert.True(estimates[i].DistanceOfLargest <= r * (1 + 1e-5));
        }
    }

    [Fact]
    public void OneOutputTools_RejectMulticlassModels()
    {
        var multiclass = new LinearModel(new float[8], new float[2], 4, "two logits");
        var error = Assert.Throws<ArgumentException>(() => OneOutputAnalysis.InputGradients(multiclass, Rows(2, 1), 2));
        Assert.StartsWith("The model 'two logits' has 2 outputs; these tools take one-output models (binary classifiers, regressors).", error.Message, StringComparison.Ordinal);
    }

    private sealed class TreeRow
    {
        [VectorType(4)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
