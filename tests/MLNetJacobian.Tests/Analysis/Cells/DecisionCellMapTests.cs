using MLNetJacobian.Analysis;

namespace MLNetJacobian.Tests.Analysis;

public class DecisionCellMapTests
{
    [Fact]
    public void Compute_HalfSpace_GridClassesFollowTheHyperplane()
    {
        var classifier = new HalfSpaceClassifier([1, 0, 0], bias: -0.25);
        DecisionPlane plane = DecisionPlane.FromDirections([0f, 0f, 0f], [1, 0, 0], [0, 1, 0]);

        DecisionCellMap grid = DecisionCellMap.Compute(classifier, plane, radius: 1, resolution: 41, modelName: "half space");

        for (int row = 0; row < 41; row++)
            for (int column = 0; column < 41; column++)
                Assert.Equal(grid.SAt(column) > 0.25 ? 1 : 0, grid.ClassAt(row, column));
        Assert.Equal(0, grid.CenterClass);
        Assert.Equal([0, 1], grid.PresentClasses);
        Assert.Equal(1.0, grid.TAt(0));
        Assert.Equal(-1.0, grid.SAt(0));
        // Columns with s <= 0.25: s_i = -1 + i/20 <= 0.25 for i <= 25, i.e. 26 of 41 columns.
        Assert.Equal(26.0 / 41, grid.CenterCellFraction, 12);
    }

    [Fact]
    public void Compute_PlaneOfOtherDimension_ThrowsNamingPlane()
    {
        var classifier = new HalfSpaceClassifier([1, 0, 0], bias: 0);
        var error = Assert.Throws<ArgumentException>(() => DecisionCellMap.Compute(classifier, DecisionPlane.Random(new float[4], 1), 1));
        Assert.Equal("plane", error.ParamName);
    }
}
