using MLNetJacobian.Analysis;
using MLNetJacobian.Data;
using MLNetJacobian.Models;

namespace MLNetJacobian.Tests.Analysis;

public class DecisionBoundaryDistanceTests
{
    private static readonly HalfSpaceClassifier HalfSpace = new([3, -4, 0], bias: 1);

    [Fact]
    public void Measure_HalfSpace_GradientDistanceIsTheDistanceToTheHyperplane()
    {
        float[] x = [0.2f, 0.5f, 7f]; // margin 3*0.2 - 4*0.5 + 1 = -0.4; ||w|| = 5 -> distance 0.08
        var options = new DecisionBoundaryDistance.Options { MaxRadius = 1, RandomDirectionCount = 0 };

        BoundaryDistanceReport.Example result = DecisionBoundaryDistance.Measure(HalfSpace, x, options, gradientSource: HalfSpace);

        Assert.Equal(BoundaryDistanceReport.SearchOutcome.Found, result.GradientDirection!.Outcome);
        Assert.Equal(1, result.GradientDirection.ClassAcross);
        // The reported distance is the upper end of the final bracket: within one resolution above the true distance.
        Assert.InRange(result.GradientDirection.Distance!.Value, 0.4 / 5, 0.4 / 5 + options.Resolution);
    }

    [Fact]
    public void Measure_HalfSpace_RandomDistancesMatchTheLineHyperplaneIntersection()
    {
        float[] x = [0.2f, 0.5f, 7f];
        var options = new DecisionBoundaryDistance.Options { MaxRadius = 2, RandomDirectionCount = 32, Seed = 4, IncludeGradientDirection = false };

        BoundaryDistanceReport.Example result = DecisionBoundaryDistance.Measure(HalfSpace, x, options);

        // Recreate the directions exactly as documented: seeded by (seed, example index).
        var random = new Random(RandomDirections.SeedFor(4, 0));
        var direction = new double[3];
        int found = 0, notFound = 0;
        foreach (BoundaryDistanceReport.SearchResult search in result.RandomDirections)
        {
            RandomDirections.FillUnit(random, direction);
            double expected = HalfSpace.DistanceAlong(x, direction);
            if (expected > 0 && expected <= options.MaxRadius - options.Resolution)
            {
                found++;
                Assert.Equal(BoundaryDistanceReport.SearchOutcome.Found, search.Outcome);
                // Points are rounded to float: allow 1e-6 beyond the bracket width.
                Assert.InRange(search.Distance!.Value, expected - 1e-6, expected + options.Resolution + 1e-6);
            }
            else if (expected <= 0 || expected > options.MaxRadius)
            {
                notFound++;
                Assert.Equal(BoundaryDistanceReport.SearchOutcome.NotFoundWithinRadius, search.Outcome);
                Assert.Null(search.Distance);
            }
        }

        Assert.True(found > 5 && notFound > 5, $"found {found}, not found {notFound}: the test should see both outcomes");
        Assert.Null(result.GradientDirection);
    }

    [Fact]
    public void Measure_DigitsMaximumEntropy_DistancesInsideRangeAndReproducibleWithSeed()
    {
        DigitsModels models = DigitsModels.Instance;
        var classifier = new TransformerModel(models.MaximumEntropy, 64);
        var gradient = LinearModel.FromParameters(models.MaximumEntropy.Model);
        var options = new DecisionBoundaryDistance.Options { MaxRadius = 3, RandomDirectionCount = 4, MaxExamples = 20, Seed = 7, BisectionSteps = 10 };

        BoundaryDistanceReport first = DecisionBoundaryDistance.Measure(classifier, models.TestView, options, gradient);
        BoundaryDistanceReport second = DecisionBoundaryDistance.Measure(classifier, models.TestView, options, gradient);
        BoundaryDistanceReport otherSeed = DecisionBoundaryDistance.Measure(classifier, models.TestView, options with { Seed = 8 }, gradient);

        Assert.Equal(20, first.Examples.Count);
        IEnumerable<BoundaryDistanceReport.SearchResult> all = first.Examples.SelectMany(e => e.RandomDirections.Append(e.GradientDirection!));
        Assert.All(all, r =>
        {
            if (r.Outcome == BoundaryDistanceReport.SearchOutcome.Found) Assert.InRange(r.Distance!.Value, double.Epsilon, options.MaxRadius);
            else Assert.Null(r.Distance);
        });
        Assert.Equal(Distances(first), Distances(second));
        Assert.NotEqual(Distances(first), Distances(otherSeed));
        // The margin-descent direction reaches the boundary no later than most random directions.
        Assert.True(first.GradientDirection!.Found!.Median < first.RandomDirections!.MedianIncludingNotFound.GetValueOrDefault(options.MaxRadius));
        Assert.Empty(first.Notices);
    }

    [Fact]
    public void Measure_DataSetInBlocks_SameAsOneExampleAtATime()
    {
        var network = new TanhTestNetwork(featureCount: 64, hidden: 8, classCount: 10, seed: 2, weightScale: 3);
        LabeledDataset test = DigitsModels.Instance.Test;
        var options = new DecisionBoundaryDistance.Options { MaxRadius = 2, RandomDirectionCount = 3, MaxExamples = 12, Seed = 1, BisectionSteps = 8 };

        BoundaryDistanceReport report = DecisionBoundaryDistance.Measure(network, test, options, gradientSource: network);

        for (int i = 0; i < 12; i++)
        {
            BoundaryDistanceReport.Example single = DecisionBoundaryDistance.Measure(network, test.Row(i), options, network, exampleIndex: i);
            Assert.Equal(single.RandomDirections, report.Examples[i].RandomDirections);
            Assert.Equal(single.GradientDirection, report.Examples[i].GradientDirection);
            Assert.Equal(test.Labels[i], report.Examples[i].Label);
        }
    }

    [Fact]
    public void Measure_LightGbmWithoutGradientSource_SkipsGradientWithNotice()
    {
        DigitsModels models = DigitsModels.Instance;
        var classifier = new TransformerModel(models.LightGbm, 64);

        BoundaryDistanceReport report = DecisionBoundaryDistance.Measure(classifier, models.Test,
            new DecisionBoundaryDistance.Options { MaxRadius = 3, RandomDirectionCount = 2, MaxExamples = 5, BisectionSteps = 6 });

        Assert.Null(report.GradientDirection);
        Assert.All(report.Examples, e => Assert.Null(e.GradientDirection));
        Assert.Contains(report.Notices, n => n.Contains("gradient", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("note:", report.ToString());
    }

    [Fact]
    public void Measure_ConstantClassifier_ZeroGradientReportedUnavailableNotAsADistance()
    {
        var flat = new HalfSpaceClassifier([0, 0], bias: 1);

        BoundaryDistanceReport.Example result = DecisionBoundaryDistance.Measure(flat, [0.5f, 0.5f],
            new DecisionBoundaryDistance.Options { RandomDirectionCount = 2 }, gradientSource: flat);

        Assert.Equal(BoundaryDistanceReport.SearchOutcome.DirectionUnavailable, result.GradientDirection!.Outcome);
        Assert.Null(result.GradientDirection.Distance);
        Assert.All(result.RandomDirections, r => Assert.Equal(BoundaryDistanceReport.SearchOutcome.NotFoundWithinRadius, r.Outcome));
        Assert.Null(result.NearestRandomDistance);
    }

    [Fact]
    public void Measure_WrongFeatureLength_ThrowsNamingFeatures()
    {
        var error = Assert.Throws<ArgumentException>(() => DecisionBoundaryDistance.Measure(HalfSpace, [1f, 2f]));
        Assert.Equal("features", error.ParamName);
    }

    [Fact]
    public void Measure_BadRadius_ThrowsNamingMaxRadius()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            DecisionBoundaryDistance.Measure(HalfSpace, [1f, 2f, 3f], new DecisionBoundaryDistance.Options { MaxRadius = -1 }));
        Assert.Equal("MaxRadius", error.ParamName);
    }

    [Fact]
    public void Measure_NoDirections_Throws()
    {
        Assert.Throws<ArgumentException>(() => DecisionBoundaryDistance.Measure(HalfSpace, [1f, 2f, 3f],
            new DecisionBoundaryDistance.Options { RandomDirectionCount = 0, IncludeGradientDirection = false }));
    }

    private static double?[] Distances(BoundaryDistanceReport report) =>
        report.Examples.SelectMany(e => e.RandomDirections.Select(r => r.Distance)).ToArray();
}
