using System.Text.Json;
using MLNetJacobian.Analysis;
using MLNetJacobian.Data;

namespace MLNetJacobian.Tests.Analysis;

/// <summary>
/// The JSON keys of the analysis reports are a file format: readers of comparison.json and the reports rely on them.
/// These tests pin every key path, so that renaming or nesting a C# type cannot change a key silently.
/// </summary>
public class AnalysisJsonKeysTests
{
    private static readonly string[] SummaryKeys =
        ["count", "mean", "minimum", "percentile5", "percentile25", "median", "percentile75", "percentile95", "maximum", "infiniteCount"];

    private static readonly string[] JacobianReportKeys =
    [
        "outputKind", "probabilityJacobian", "featureCount", "outputCount", "classNames", "grouping",
        .. Group("overall"), "perClass", .. Group("perClass[]").Skip(1),
        "leastStable", .. Example("leastStable[]"), "examples", .. Example("examples[]"),
    ];

    private static readonly string[] BoundaryReportKeys =
    [
        "options", "options.maxRadius", "options.randomDirectionCount", "options.scanSteps", "options.bisectionSteps", "options.seed",
        "options.includeGradientDirection", "options.featureColumnName", "options.labelColumnName", "options.maxExamples", "options.resolution",
        "classNames", "examples", "examples[].index", "examples[].label", "examples[].predictedClass",
        "examples[].randomDirections", .. Search("examples[].randomDirections[]"), "examples[].gradientDirection", .. Search("examples[].gradientDirection"),
        "examples[].nearestRandomDistance",
        .. Distances("randomDirections"), .. Distances("nearestRandomDirection"), .. Distances("gradientDirection"), "notices",
    ];

    [Fact]
    public void JacobianAnalysisReport_WithExamples_HasThePinnedKeys()
    {
        JacobianAnalysisReport report = JacobianAnalyzer.Analyze(new HalfSpaceClassifier([1, 2, 0], bias: -1), Data());

        Assert.Equal(JacobianReportKeys.Order(StringComparer.Ordinal), KeyPaths(report.ToJson(includeExamples: true)));
    }

    [Fact]
    public void BoundaryDistanceReport_WithExamples_HasThePinnedKeys()
    {
        var halfSpace = new HalfSpaceClassifier([1, 2, 0], bias: -1);
        BoundaryDistanceReport report = DecisionBoundaryDistance.Measure(halfSpace, Data(),
            new DecisionBoundaryDistance.Options { MaxRadius = 50, RandomDirectionCount = 2, BisectionSteps = 4 }, halfSpace);

        Assert.Equal(BoundaryReportKeys.Order(StringComparer.Ordinal), KeyPaths(report.ToJson(includeExamples: true)));
    }

    [Fact]
    public void ModelComparisonReport_HasThePinnedKeysAndLeavesTheMapsOut()
    {
        var halfSpace = new HalfSpaceClassifier([1, 2, 0], bias: -1);
        ModelComparisonReport report = ModelComparison.Run([("half-space", halfSpace)], Data(), new ModelComparison.Options
        {
            StatisticsExamples = 4, Boundary = new DecisionBoundaryDistance.Options { MaxExamples = 2, MaxRadius = 50, RandomDirectionCount = 2 }, FigureExamples = [0], MapResolution = 5,
        });

        string[] expected =
        [
            "models", "models[].name", "models[].exampleCount", "models[].accuracy",
            "models[].jacobian", .. JacobianReportKeys.Select(k => "models[].jacobian." + k).Where(k => !k.Contains("examples[]", StringComparison.Ordinal)),
            "models[].boundary", .. BoundaryReportKeys.Select(k => "models[].boundary." + k).Where(k => !k.Contains("examples[]", StringComparison.Ordinal)),
            "models[].randomPlaneCellFractions", "figures", "figures[].example", "figures[].fileName", "figures[].title",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), KeyPaths(report.ToJson()));
    }

    private static LabeledDataset Data() => new([0f, 0f, 0f, 1f, 1f, 1f, 0.5f, 0f, 1f, 2f, 0f, 0f], [0, 1, 0, 1], 3, ["below", "above"]);

    private static IEnumerable<string> Group(string at) =>
    [
        at, .. new[] { "group", "classIndex", "count" }.Select(k => $"{at}.{k}"),
        .. new[] { "frobeniusNorm", "spectralNorm", "conditionNumber" }.SelectMany(s => Summary($"{at}.{s}")), $"{at}.logAbsDeterminant",
    ];

    private static IEnumerable<string> Summary(string at) => [at, .. SummaryKeys.Select(k => $"{at}.{k}")];

    private static IEnumerable<string> Example(string at) =>
    [
        .. new[] { "index", "label", "predictedClass", "statistics" }.Select(k => $"{at}.{k}"),
        .. new[] { "outputCount", "featureCount", "frobeniusNorm", "spectralNorm", "singularValues", "rank", "rankTolerance", "conditionNumber", "logAbsDeterminant" }
            .Select(k => $"{at}.statistics.{k}"),
    ];

    private static IEnumerable<string> Search(string at) => new[] { "outcome", "distance", "classAcross" }.Select(k => $"{at}.{k}");

    private static IEnumerable<string> Distances(string at) =>
    [
        at, .. new[] { "searchCount", "foundCount", "notFoundCount", "unavailableCount", "medianIncludingNotFound" }.Select(k => $"{at}.{k}"), .. Summary($"{at}.found"),
    ];

    /// <summary>Every key path in the document, arrays written as <c>name[]</c> and the keys of all their elements merged, sorted.</summary>
    private static IEnumerable<string> KeyPaths(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        Walk(document.RootElement, "");
        return paths;

        void Walk(JsonElement element, string at)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    string path = at.Length == 0 ? property.Name : $"{at}.{property.Name}";
                    paths.Add(path);
                    Walk(property.Value, path);
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in element.EnumerateArray()) Walk(item, at + "[]");
            }
        }
    }
}
