namespace MLNetJacobian.Tests.Network;

/// <summary>Comparisons of computed tensors with expected ones, by error relative to the expected tensor's scale.</summary>
internal static class NumericAssert
{
    /// <summary>
    /// <c>max_j |actual_j - expected_j| / max(max_j |expected_j|, floor)</c>: the error relative to the tensor's
    /// largest entry, which is meaningful for entries near zero too.
    /// </summary>
    public static double RelativeError(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double floor = 1e-300)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = floor, error = 0;
        for (int j = 0; j < expected.Length; j++)
        {
            scale = Math.Max(scale, Math.Abs(expected[j]));
            double difference = Math.Abs(actual[j] - expected[j]);
            error = double.IsNaN(difference) ? double.PositiveInfinity : Math.Max(error, difference);
        }

        return error / scale;
    }

    /// <summary>Asserts <see cref="RelativeError"/> is at most <paramref name="tolerance"/> and returns it.</summary>
    public static double Close(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance, string what,
        double scaleFloor = 1e-300)
    {
        double error = RelativeError(expected, actual, scaleFloor);
        Assert.True(error <= tolerance, $"{what}: relative error {error:E3} exceeds {tolerance:E1}.");
        return error;
    }

    /// <summary>Asserts a scalar's relative error is at most <paramref name="tolerance"/> and returns it.</summary>
    public static double Close(double expected, double actual, double tolerance, string what) =>
        Close([expected], [actual], tolerance, what);

    /// <summary>Widens a span of float or double to double.</summary>
    public static double[] ToDouble<T>(ReadOnlySpan<T> values) where T : System.Numerics.INumberBase<T>
    {
        var result = new double[values.Length];
        for (int j = 0; j < values.Length; j++) result[j] = double.CreateTruncating(values[j]);
        return result;
    }

    /// <summary>Narrows doubles to float or double.</summary>
    public static T[] FromDouble<T>(ReadOnlySpan<double> values) where T : System.Numerics.INumberBase<T>
    {
        var result = new T[values.Length];
        for (int j = 0; j < values.Length; j++) result[j] = T.CreateTruncating(values[j]);
        return result;
    }
}
