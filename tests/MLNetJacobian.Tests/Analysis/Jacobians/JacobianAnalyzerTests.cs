using System.Text.Json;
using MLNetJacobian.Analysis;
using MLNetJacobian.Data;
using MLNetJacobian.Models;

namespace MLNetJacobian.Tests.Analysis;

public class JacobianAnalyzerTests
{
    [Fact]
    public void Analyze_DataViewWithKeyLabels_GroupsCoverEveryExampleAndLeastStableAreLargestSpectralNorms()
    {
        DigitsModels models = DigitsModels.Instance;
        var source = LinearModel.FromParameters(models.MaximumEntropy.Model);

        JacobianAnalysisReport report = JacobianAnalyzer.Analyze(source, models.TestView,
            new JacobianAnalyzer.Options { MaxExamples = 100, LeastStableCount = 5, UseProbabilities = true });

        Assert.Equal(100, report.Overall.Count);
        Assert.Equal(JacobianAnalysisReport.ClassGrouping.TrueLabel, report.Grouping);
        Assert.Equal(100, report.PerClass.Sum(g => g.Count));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()), report.ClassNames);
        for (int i = 0; i < 100; i++) Assert.Equal(models.Test.Labels[i], report.Examples[i].Label);
        double fifthLargest = report.Examples.Select(e => e.Statistics.SpectralNorm).OrderDescending().ElementAt(4);
        Assert.Equal(5, report.LeastStable.Count);
        Assert.All(report.LeastStable, e => Assert.True(e.Statistics.SpectralNorm >= fifthLargest));
        Assert.True(report.Overall.SpectralNorm.Percentile5 <= report.Overall.SpectralNorm.Median);
        Assert.True(report.Overall.SpectralNorm.Median <= report.Overall.SpectralNorm.Percentile95);
        // The probability Jacobian's rows sum to zero, so its rank is at most C - 1 = 9: condition number infinite.
        Assert.All(report.Examples, e => Assert.True(e.Statistics.Rank <= 9));
    }

    [Fact]
    public void Analyze_LabeledDataset_LogitJacobianOfLinearModelIsTheSameEverywhere()
    {
        DigitsModels models = DigitsModels.Instance;
        var source = LinearModel.FromParameters(models.MaximumEntropy.Model);

        JacobianAnalysisReport report = JacobianAnalyzer.Analyze(source, models.Test, new JacobianAnalyzer.Options { MaxExamples = 30 });

        // J = W at every x: every example has the same statistics, so the spread is zero.
        Assert.Equal(report.Overall.SpectralNorm.Minimum, report.Overall.SpectralNorm.Maximum);
        Assert.Equal(report.Overall.FrobeniusNorm.Percentile5, report.Overall.FrobeniusNorm.Percentile95);
    }

    [Fact]
    public void Analyze_NoLabelColumn_GroupsByPredictedClass()
    {
        var network = new TanhTestNetwork(featureCount: 64, hidden: 8, classCount: 10, seed: 3);
        DigitsModels models = DigitsModels.Instance;

        JacobianAnalysisReport report = JacobianAnalyzer.Analyze(network, models.TestView, new JacobianAnalyzer.Options { MaxExamples = 40, LabelColumnName = null });

        Assert.Equal(JacobianAnalysisReport.ClassGrouping.PredictedClass, report.Grouping);
        Assert.All(report.Examples, e => Assert.Null(e.Label));
        Assert.All(report.PerClass, g => Assert.Equal(report.Examples.Count(e => e.PredictedClass == g.ClassIndex), g.Count));
    }

    [Fact]
    public void SaveJson_ExistingFileWithoutOverwrite_ThrowsAndKeepsTheFile()
    {
        JacobianAnalysisReport report = SmallReport();
        string path = Path.Combine(Path.GetTempPath(), $"jacobian-report-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, "user's file");

            var error = Assert.Throws<IOException>(() => report.SaveJson(path, overwrite: false));

            Assert.Contains("overwrite", error.Message);
            Assert.Equal("user's file", File.ReadAllText(path));
            report.SaveJson(path);
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
            Assert.Equal(report.Overall.Count, json.RootElement.GetProperty("overall").GetProperty("count").GetInt32());
            Assert.Equal("Logits", json.RootElement.GetProperty("outputKind").GetString());
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}*"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ToString_Report_ListsEveryGroupAndTheLeastStable()
    {
        JacobianAnalysisReport report = SmallReport();

        string table = report.ToString();

        Assert.Contains("||J||_2", table);
        Assert.Contains("Least stable", table);
        foreach (JacobianAnalysisReport.GroupSummary group in report.PerClass) Assert.Contains(group.Group, table);
    }

    [Fact]
    public void Analyze_MissingLabelColumn_ThrowsNamingTheColumn()
    {
        var network = new TanhTestNetwork(featureCount: 64, hidden: 4, classCount: 10, seed: 3);
        var error = Assert.Throws<ArgumentException>(() =>
            JacobianAnalyzer.Analyze(network, DigitsModels.Instance.TestView, new JacobianAnalyzer.Options { LabelColumnName = "Digit" }));
        Assert.Contains("Digit", error.Message);
    }

    [Fact]
    public void Analyze_WrongFeatureLength_Throws()
    {
        var network = new TanhTestNetwork(featureCount: 10, hidden: 4, classCount: 10, seed: 3);
        var error = Assert.Throws<ArgumentException>(() => JacobianAnalyzer.Analyze(network, DigitsModels.Instance.TestView));
        Assert.Contains("64", error.Message);
    }

    [Fact]
    public void Analyze_ProbabilitiesOfScoreSource_Throws()
    {
        var source = FiniteDifferenceJacobian.WithAbsoluteStep(new TransformerModel(DigitsModels.Instance.MaximumEntropy, 64), 1e-3);
        Assert.Throws<ArgumentException>(() => JacobianAnalyzer.Analyze(source, DigitsModels.Instance.Test, new JacobianAnalyzer.Options { UseProbabilities = true }));
    }

    private static JacobianAnalysisReport SmallReport()
    {
        var network = new TanhTestNetwork(featureCount: 64, hidden: 8, classCount: 10, seed: 5);
        LabeledDataset test = DigitsModels.Instance.Test;
        return JacobianAnalyzer.Analyze(network, test, new JacobianAnalyzer.Options { MaxExamples = 60, LeastStableCount = 3 });
    }
}
