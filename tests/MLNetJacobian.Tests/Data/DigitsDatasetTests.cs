using MLNetJacobian.Data;

namespace MLNetJacobian.Tests.Data;

public class DigitsDatasetTests
{
    [Fact]
    public void Load_EmbeddedResource_HasDocumentedShapeAndClassCounts()
    {
        LabeledDataset digits = DigitsDataset.Load();

        Assert.Equal(1797, digits.Count);
        Assert.Equal(64, digits.FeatureCount);
        Assert.Equal(10, digits.ClassCount);
        int[] counts = new int[10];
        foreach (int label in digits.Labels) counts[label]++;
        Assert.Equal(new[] { 178, 182, 177, 183, 181, 182, 181, 179, 174, 180 }, counts);
        Assert.All(digits.Features, v => Assert.InRange(v, 0f, 16f));
    }

    [Fact]
    public void Load_Scaled_FeaturesInUnitInterval()
    {
        LabeledDataset digits = DigitsDataset.Load(scaleToUnitInterval: true);
        Assert.All(digits.Features, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(1f, digits.Features.Max());
    }

    [Fact]
    public void Split_SameSeed_SamePartitionCoveringAllRows()
    {
        LabeledDataset digits = DigitsDataset.Load();
        var (a1, b1) = digits.Split(0.8, seed: 7);
        var (a2, _) = digits.Split(0.8, seed: 7);

        Assert.Equal(1438, a1.Count);
        Assert.Equal(digits.Count, a1.Count + b1.Count);
        Assert.Equal(a1.Labels, a2.Labels);
        Assert.Equal(a1.Features, a2.Features);
    }
}
