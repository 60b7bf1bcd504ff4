using MLNetJacobian.Compute;

namespace MLNetJacobian.Tests.Compute;

public class ManagedGemmProviderTests
{
    private const double SingleRoundoff = 1.0 / (1 << 24);
    private const double DoubleRoundoff = 1.0 / (1L << 53);

    private static readonly MatrixTranspose[] Transposes = { MatrixTranspose.None, MatrixTranspose.Transpose };

    /// <summary>
    /// Awkward shapes: ones, primes, edges of the 6 x 16 tile, k past one depth block (800: two blocks for 801, three
    /// for 1603), m past MC (144), row counts cut into short 4-row tiles (4, 8 = 4 + 4, 10 = 6 + 4, 14 = 6 + 4 + 4,
    /// 64, 128 = 20 x 6 + 2 x 4), and the 10-column logit shape.
    /// </summary>
    private static readonly (int M, int N, int K)[] Shapes =
    {
        (1, 1, 1), (1, 97, 7), (97, 1, 13), (13, 7, 1), (7, 13, 37), (6, 16, 256), (7, 17, 257),
        (37, 97, 300), (145, 33, 20), (12, 32, 5), (7, 17, 801), (19, 23, 1603),
        (4, 19, 9), (8, 33, 20), (10, 16, 801), (14, 31, 3), (64, 40, 30), (128, 10, 256),
    };

    /// <summary>A transpose named in theory data (test methods take names: the enum is internal).</summary>
    private static MatrixTranspose Op(string name) => Enum.Parse<MatrixTranspose>(name);

    public static TheoryData<string, string, int, int, int, int> TransposesAndShapes()
    {
        var data = new TheoryData<string, string, int, int, int, int>();
        foreach (var transposeA in Transposes)
        {
            foreach (var transposeB in Transposes)
            {
                foreach (var (m, n, k) in Shapes) data.Add(transposeA.ToString(), transposeB.ToString(), m, n, k, (m + n + k) % 3 == 0 ? 3 : 0);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TransposesAndShapes))]
    public void Gemm_SingleAwkwardShapes_MatchesReferenceWithinRoundoffBound(
        string transposeA, string transposeB, int m, int n, int k, int padding)
    {
        var problem = GemmTestCase.Create(Op(transposeA), Op(transposeB), m, n, k, padding);
        foreach (var provider in FastProviders())
        {
            AssertSingleMatches(problem, provider, 1.5f, -0.75f);
        }
    }

    [Theory]
    [MemberData(nameof(TransposesAndShapes))]
    public void Gemm_DoubleAwkwardShapes_MatchesReferenceWithinRoundoffBound(
        string transposeA, string transposeB, int m, int n, int k, int padding)
    {
        var problem = GemmTestCase.Create(Op(transposeA), Op(transposeB), m, n, k, padding);
        foreach (var provider in FastProviders())
        {
            double[] expected = problem.Run(new ReferenceGemmProvider(), 0.5, 2.0);
            double[] actual = problem.Run(provider, 0.5, 2.0);
            AssertWithinBound(problem, expected, actual, 0.5, 2.0, DoubleRoundoff, provider.Name);
        }
    }

    [Theory]
    [InlineData(1f, 0f)]
    [InlineData(1f, 1f)]
    [InlineData(-2f, 0.5f)]
    [InlineData(0.25f, -3f)]
    public void Gemm_AlphaBetaVariants_MatchesReference(float alpha, float beta)
    {
        var problem = GemmTestCase.Create(MatrixTranspose.Transpose, MatrixTranspose.None, 23, 41, 300, padding: 2);
        foreach (var provider in FastProviders()) AssertSingleMatches(problem, provider, alpha, beta);
    }

    [Fact]
    public void Gemm_BetaZeroWithNaNInC_OverwritesWithoutReadingC()
    {
        var problem = GemmTestCase.Create(MatrixTranspose.None, MatrixTranspose.Transpose, 13, 37, 300, padding: 1);
        foreach (var provider in FastProviders())
        {
            float[] c = Enumerable.Repeat(float.NaN, problem.C.Length).ToArray();
            float[] actual = problem.Run(provider, 1f, 0f, c);
            float[] expected = problem.Run(new ReferenceGemmProvider(), 1f, 0f);
            for (int i = 0; i < problem.M; i++)
            {
                for (int j = 0; j < problem.N; j++)
                {
                    float value = actual[i * problem.Ldc + j];
                    Assert.False(float.IsNaN(value), $"{provider.Name}: NaN at ({i}, {j})");
                    Assert.True(Math.Abs(value - expected[i * problem.Ldc + j]) <= problem.Tolerance(i, j, 1, 0, SingleRoundoff));
                }

                if (problem.Ldc > problem.N) Assert.True(float.IsNaN(actual[i * problem.Ldc + problem.N]), "padding was written");
            }
        }
    }

    [Fact]
    public void Gemm_AlphaZero_ScalesCWithoutReadingAOrB()
    {
        foreach (var provider in FastProviders())
        {
            float[] a = { float.NaN, float.NaN, float.NaN, float.NaN };
            float[] c = { 1, 2, 3, 4 };
            provider.Gemm(MatrixTranspose.None, MatrixTranspose.None, 2, 2, 2, 0f, a, 2, a, 2, 0.5f, c, 2);
            Assert.Equal(new[] { 0.5f, 1f, 1.5f, 2f }, c);
        }
    }

    [Fact]
    public void Gemm_DepthZero_ScalesC()
    {
        foreach (var provider in FastProviders())
        {
            float[] c = { 1, 2, 3, float.NaN };
            provider.Gemm(MatrixTranspose.None, MatrixTranspose.None, 2, 2, 0, 1f, Array.Empty<float>(), 1,
                Array.Empty<float>(), 2, -1f, c, 2);
            Assert.Equal(new[] { -1f, -2f, -3f }, c[..3]);
            Assert.True(float.IsNaN(c[3]));
            provider.Gemm(MatrixTranspose.None, MatrixTranspose.None, 2, 2, 0, 1f, Array.Empty<float>(), 1,
                Array.Empty<float>(), 2, 0f, c, 2);
            Assert.Equal(new float[4], c);
        }
    }

    [Fact]
    public void Gemm_EmptyOutput_LeavesCUntouched()
    {
        var provider = new ManagedGemmProvider();
        float[] c = { 7 };
        provider.Gemm(MatrixTranspose.None, MatrixTranspose.None, 0, 1, 3, 1f, Array.Empty<float>(), 3, new float[3], 1, 0f, c, 1);
        provider.Gemm(MatrixTranspose.None, MatrixTranspose.None, 1, 0, 3, 1f, new float[3], 3, Array.Empty<float>(), 1, 0f, c, 1);
        Assert.Equal(7f, c[0]);
    }

    public static TheoryData<string, string, int, int, int> ThreadingShapes()
    {
        var data = new TheoryData<string, string, int, int, int>();
        foreach (var transposeA in Transposes)
        {
            foreach (var transposeB in Transposes)
            {
                data.Add(transposeA.ToString(), transposeB.ToString(), 97, 37, 900);  // rows split, uneven bands, two depth blocks (of 450)
                data.Add(transposeA.ToString(), transposeB.ToString(), 13, 101, 257); // columns split, edge columns
            }
        }

        data.Add(nameof(MatrixTranspose.None), nameof(MatrixTranspose.None), 2, 5, 11);     // fewer tiles than threads
        data.Add(nameof(MatrixTranspose.None), nameof(MatrixTranspose.None), 128, 256, 256); // a training shape, above the default threshold
        return data;
    }

    [Theory]
    [MemberData(nameof(ThreadingShapes))]
    public void Gemm_OneToEightThreads_BitIdenticalResults(
        string transposeA, string transposeB, int m, int n, int k)
    {
        var problem = GemmTestCase.Create(Op(transposeA), Op(transposeB), m, n, k, padding: 1);
        foreach (GemmKernel kernel in TestedKernels())
        {
            float[] single = problem.Run(Provider(1, kernel), 1.25f, 0.5f);
            double[] singleDouble = problem.Run(Provider(1, kernel), 1.25, 0.5);
            foreach (int threads in new[] { 2, 3, 8 })
            {
                var provider = Provider(threads, kernel);
                Assert.Equal(single, problem.Run(provider, 1.25f, 0.5f));
                Assert.Equal(singleDouble, problem.Run(provider, 1.25, 0.5));
            }
        }
    }

    /// <summary>
    /// Row i of C depends only on row i of op(A): the first r rows of a 12-row product, computed as products of r rows
    /// (full 6-row tiles, short 4-row tiles, zero-padded edge tiles; A read in place or packed from its transposed
    /// storage), are bit-identical to the same rows of the 12-row product.
    /// </summary>
    [Fact]
    public void Gemm_AnyRowTiling_BitIdenticalRows()
    {
        const int m = 12, n = 37, k = 419, ldc = n;
        var random = new Random(5);
        float[] a = new float[m * k], aTransposed = new float[k * m], b = new float[k * n];
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++) a[i * k + p] = aTransposed[p * m + i] = (float)(random.NextDouble() * 2 - 1);
        }

        for (int index = 0; index < b.Length; index++) b[index] = (float)(random.NextDouble() * 2 - 1);
        foreach (GemmKernel kernel in TestedKernels())
        {
            var provider = Provider(1, kernel);
            float[] all = new float[m * ldc];
            provider.Gemm(MatrixTranspose.None, MatrixTranspose.None, m, n, k, 1f, a, k, b, n, 0f, all, ldc);
            foreach (int rows in new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 })
            {
                float[] inPlace = new float[rows * ldc], packed = new float[rows * ldc];
                provider.Gemm(MatrixTranspose.None, MatrixTranspose.None, rows, n, k, 1f, a, k, b, n, 0f, inPlace, ldc);
                provider.Gemm(MatrixTranspose.Transpose, MatrixTranspose.None, rows, n, k, 1f, aTransposed, m, b, n, 0f,
                    packed, ldc);
                Assert.Equal(all.AsSpan(0, rows * ldc).ToArray(), inPlace);
                Assert.Equal(all.AsSpan(0, rows * ldc).ToArray(), packed);
            }
        }
    }

    [Fact]
    public void Gemm_RepeatedAndConcurrentCalls_BitIdenticalResults()
    {
        var problem = GemmTestCase.Create(MatrixTranspose.None, MatrixTranspose.Transpose, 64, 96, 200);
        var provider = new ManagedGemmProvider(2, 0, GemmKernels.Widest);
        float[] expected = problem.Run(provider, 1f, 0f);
        float[][] results = new float[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            index => results[index] = problem.Run(provider, 1f, 0f));
        Assert.All(results, result => Assert.Equal(expected, result));
        Assert.Equal(expected, problem.Run(provider, 1f, 0f));
    }

    /// <summary>
    /// The AVX-512 and AVX2 kernels compute every element with the same fused multiply-adds in the same order (6-row
    /// tiles, depth blocks that depend only on k), so their results agree bit for bit on every shape and layout, in
    /// both precisions: a model trained on either kind of processor is the same.
    /// </summary>
    [Theory]
    [MemberData(nameof(TransposesAndShapes))]
    public void Gemm_Avx512AndAvx2_BitIdentical(string transposeA, string transposeB, int m, int n, int k,
        int padding)
    {
        if (!GemmKernels.IsSupported(GemmKernel.Avx2)) return;
        var problem = GemmTestCase.Create(Op(transposeA), Op(transposeB), m, n, k, padding);
        Assert.Equal(problem.Run(Provider(1, GemmKernel.Avx2), -0.5f, 1.5f), problem.Run(Provider(2, GemmKernel.Avx512), -0.5f, 1.5f));
        Assert.Equal(problem.Run(Provider(1, GemmKernel.Avx2), 0.75, 0.0), problem.Run(Provider(1, GemmKernel.Avx512), 0.75, 0.0));
    }

    [Fact]
    public void Constructor_KernelTheProcessorLacks_ThrowsNamingIt()
    {
        if (GemmKernels.IsSupported(GemmKernel.Avx512)) return;
        var error = Assert.Throws<PlatformNotSupportedException>(() => new ManagedGemmProvider(1, GemmKernel.Avx512));
        Assert.Contains("AVX-512F", error.Message);
    }

    [Fact]
    public void DefaultKernel_IsTheWidestTheProcessorRunsUnlessCapped()
    {
        string? cap = Environment.GetEnvironmentVariable(GemmKernels.EnvironmentVariable);
        var expected = cap is null ? GemmKernels.Widest : GemmKernels.Default;
        Assert.Equal(expected, new ManagedGemmProvider(1).Kernel);
        Assert.True(GemmKernels.IsSupported(new ManagedGemmProvider(1).Kernel));
        Assert.True(GemmKernels.Default <= GemmKernels.Widest);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("portable", nameof(GemmKernel.Portable))]
    [InlineData(" AVX2 ", nameof(GemmKernel.Avx2))]
    [InlineData("avx512", nameof(GemmKernel.Avx512))]
    public void KernelCap_NarrowsNeverWidens(string? value, string? capName)
    {
        GemmKernel? cap = capName is null ? null : Enum.Parse<GemmKernel>(capName);
        GemmKernel expected = cap is null ? GemmKernels.Widest : (GemmKernel)Math.Min((int)cap.Value, (int)GemmKernels.Widest);
        Assert.Equal(expected, GemmKernels.Capped(value));
    }

    [Fact]
    public void KernelCap_UnknownValue_ThrowsNamingVariableAndValue()
    {
        var error = Assert.Throws<InvalidOperationException>(() => GemmKernels.Capped("sse9"));
        Assert.Contains(GemmKernels.EnvironmentVariable, error.Message);
        Assert.Contains("'sse9'", error.Message);
    }

    [Fact]
    public void Gemm_NegativeDimension_ThrowsNamingTheArgument()
    {
        var provider = new ManagedGemmProvider();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            provider.Gemm(MatrixTranspose.None, MatrixTranspose.None, 2, -1, 2, 1f, new float[4], 2, new float[4], 2, 0f, new float[4], 2));
        Assert.Equal("n", error.ParamName);
        Assert.Equal(-1, error.ActualValue);
    }

    [Fact]
    public void Gemm_LeadingDimensionTooSmall_ThrowsNamingTheArgument()
    {
        var provider = new ManagedGemmProvider();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            provider.Gemm(MatrixTranspose.Transpose, MatrixTranspose.None, 3, 2, 2, 1d, new double[6], 2, new double[4], 2, 0d, new double[6], 2));
        Assert.Equal("lda", error.ParamName);
    }

    [Fact]
    public void Gemm_BufferTooShort_NamesTheMatrix()
    {
        var provider = new ManagedGemmProvider();
        var error = Assert.Throws<ArgumentException>(() =>
            provider.Gemm(MatrixTranspose.None, MatrixTranspose.None, 2, 2, 2, 1f, new float[4], 2, new float[4], 2, 0f, new float[3], 2));
        Assert.Contains("Buffer for C has 3 elements", error.Message);
    }

    [Fact]
    public void Constructor_ZeroThreads_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ManagedGemmProvider(0));
        Assert.Equal("maxThreads", error.ParamName);
    }

    /// <summary>
    /// The AVX-512 and AVX2 kernels on one and two threads and the portable kernel on two: AVX-512 on the hardware where
    /// it exists and in software 512-bit vectors elsewhere (the same values), AVX2 where the processor has it.
    /// </summary>
    private static IEnumerable<ManagedGemmProvider> FastProviders()
    {
        foreach (GemmKernel kernel in TestedKernels())
        {
            if (kernel != GemmKernel.Portable) yield return Provider(1, kernel);
            yield return Provider(2, kernel);
        }
    }

    /// <summary>Every kernel this machine can run: AVX-512 (in hardware or software vectors), AVX2 if present, portable.</summary>
    private static IEnumerable<GemmKernel> TestedKernels()
    {
        yield return GemmKernel.Avx512;
        if (GemmKernels.IsSupported(GemmKernel.Avx2)) yield return GemmKernel.Avx2;
        yield return GemmKernel.Portable;
    }

    private static ManagedGemmProvider Provider(int threads, GemmKernel kernel) =>
        new(threads, 0, kernel, allowSoftwareVectors: true);

    private static void AssertSingleMatches(GemmTestCase problem, IGemmProvider provider, float alpha, float beta)
    {
        float[] expected = problem.Run(new ReferenceGemmProvider(), alpha, beta);
        float[] actual = problem.Run(provider, alpha, beta);
        AssertWithinBound(problem, Array.ConvertAll(expected, v => (double)v), Array.ConvertAll(actual, v => (double)v),
            alpha, beta, SingleRoundoff, provider.Name);
    }

    private static void AssertWithinBound(GemmTestCase problem, double[] expected, double[] actual,
        double alpha, double beta, double unitRoundoff, string providerName)
    {
        for (int index = 0; index < actual.Length; index++)
        {
            int i = index / problem.Ldc, j = index % problem.Ldc;
            if (j >= problem.N)
            {
                Assert.True(problem.C[index] == actual[index] || (float)problem.C[index] == actual[index],
                    $"{providerName}: padding element ({i}, {j}) was written");
                continue;
            }

            double error = Math.Abs(actual[index] - expected[index]);
            double bound = problem.Tolerance(i, j, alpha, beta, unitRoundoff);
            Assert.True(error <= bound,
                $"{providerName}: element ({i}, {j}) of {problem.M}x{problem.N}x{problem.K} is {actual[index]}, reference {expected[index]}, error {error} > bound {bound}");
        }
    }
}
