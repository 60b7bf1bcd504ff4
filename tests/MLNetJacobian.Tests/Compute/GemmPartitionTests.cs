using MLNetJacobian.Compute;

namespace MLNetJacobian.Tests.Compute;

public class GemmPartitionTests
{
    [Theory]
    [InlineData(128, 256, 4)]  // columns (fewer rows than columns)
    [InlineData(784, 256, 4)]  // rows
    [InlineData(128, 10, 4)]   // one column tile: rows
    [InlineData(5, 100, 3)]    // one row tile: columns
    [InlineData(97, 37, 7)]
    [InlineData(2, 5, 4)]      // a single tile: one part
    public void Choose_AnyShape_BandsTileTheOutputExactlyOnTileBoundaries(int m, int n, int maximumParts)
    {
        var partition = GemmPartition.Choose(m, n, maximumParts, 6, 16);
        int length = partition.SplitsRows ? m : n, unit = partition.SplitsRows ? 6 : 16;
        Assert.InRange(partition.Parts, 1, maximumParts);
        int expectedStart = 0;
        for (int part = 0; part < partition.Parts; part++)
        {
            var (start, end) = partition.Band(part);
            Assert.Equal(expectedStart, start);
            Assert.True(end > start, $"band {part} is empty");
            Assert.True(end == length || end % unit == 0, $"band {part} ends at {end}, inside a tile");
            expectedStart = end;
        }

        Assert.Equal(length, expectedStart);
    }

    [Fact]
    public void Choose_MoreRowsThanColumns_SplitsRows()
    {
        Assert.True(GemmPartition.Choose(784, 256, 4, 6, 16).SplitsRows);
        Assert.False(GemmPartition.Choose(128, 784, 4, 6, 16).SplitsRows);
    }
}
