namespace MLNetJacobian.Cli.Data;

/// <summary>Which part of a data set a command reads.</summary>
public enum DataSplit
{
    /// <summary>The held-out test part (MNIST's t10k files, or the <c>--test-fraction</c> of other data).</summary>
    Test,

    /// <summary>The training part.</summary>
    Train,

    /// <summary>Every row.</summary>
    All,
}
