using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLNetJacobian.Compute;

/// <summary>
/// The cache-blocked GEMM loop nest around one micro-kernel, for one rectangle of C.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TKernel">The micro-kernel.</typeparam>
/// <remarks>
/// Loop order: columns of C in blocks of NC; depth in blocks of KC; pack that <c>[KC, NC]</c> block of
/// <c>op(B)</c>; rows of C in blocks of MC (a transposed A is packed per block); then for every MR-high row tile,
/// whose A panel stays in L1, run the kernel against every NR-wide B micro-panel of the block, streamed from L2 (or
/// L3 where the block is larger). This keeps the smaller operand in L1: a 25 KiB B micro-panel plus a streamed A tile
/// would overfill a 32 KiB L1 (the measured choice is in docs/performance.md, "The GEMM driver's choices").
/// A transposed B whose rectangle is one row block is the exception: it is packed panel by panel, each panel just
/// before it meets every row tile, so the panel is still in L1 when it is used.
/// The first depth block merges with <c>beta * C</c> (or overwrites when beta is zero); later blocks add with
/// beta = 1.
/// When A is not transposed its rows are already contiguous runs of the depth, so the kernel reads the full and
/// short row tiles of A in place and only rows left over at the edge are packed (zero-padded): no copy of A, and
/// column bands on two threads duplicate no packing.
/// KC depends only on k, so every element of C sees the same depth blocks and the same kernel arithmetic
/// whichever rectangle (thread) computes it: results do not depend on the partition.
/// </remarks>
internal static unsafe class GemmDriver<T, TKernel>
    where T : unmanaged, INumberBase<T>
    where TKernel : IGemmMicroKernel<T>
{
    /// <summary>
    /// Largest depth block (KC): an A tile <c>[MR, KC]</c> (at most 19 KiB for float) stays in L1 while B streams
    /// past it. Every k of the training shapes (at most 784) is then one block, so C is written once (the
    /// measurements behind 800 are in docs/performance.md). KC may not depend on the thread count: it sets how each
    /// sum is grouped, and results must not depend on it.
    /// </summary>
    private const int MaximumDepthBlock = 800;

    /// <summary>
    /// Rows per A block (MC) in units of MR: how much of a transposed A is packed at a time (<c>[MC, KC]</c>, at most
    /// 144 x 800 floats), and the rows a transposed B's panel-by-panel packing serves.
    /// </summary>
    private const int RowBlockTiles = 24;

    /// <summary>Largest column block (NC), a multiple of every kernel's NR.</summary>
    private const int MaximumColumnBlock = 2048;

    /// <summary>The depth block KC for a shared dimension <paramref name="k"/>: at most 800, the blocks of equal size.</summary>
    public static int DepthBlock(int k)
    {
        int blocks = (k + MaximumDepthBlock - 1) / MaximumDepthBlock;
        return (k + blocks - 1) / blocks;
    }

    /// <summary>Computes rows <c>[rowStart, rowEnd)</c> and columns <c>[columnStart, columnEnd)</c> of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmProblem<T> problem, int rowStart, int rowEnd, int columnStart, int columnEnd)
    {
        int mr = TKernel.TileRows, nr = TKernel.TileColumns;
        int depthBlock = DepthBlock(problem.K);
        int rowBlock = Math.Min(RowBlockTiles * mr, RoundUp(rowEnd - rowStart, mr));
        int columnBlock = Math.Min(MaximumColumnBlock, RoundUp(columnEnd - columnStart, nr));
        T* packedA = GemmPackingBuffers<T>.ForA(rowBlock * depthBlock);    // [MC / MR] panels of [KC, MR]
        T* packedB = GemmPackingBuffers<T>.ForB(columnBlock * depthBlock); // [NC / NR] panels of [KC, NR]
        T* edgeTile = stackalloc T[mr * nr];                                // [MR, NR]
        nint ldc = problem.Ldc;
        bool inPlace = !problem.TransposeA;

        for (int column = columnStart; column < columnEnd; column += columnBlock)
        {
            int columns = Math.Min(columnBlock, columnEnd - column);
            for (int depthStart = 0; depthStart < problem.K; depthStart += depthBlock)
            {
                int depth = Math.Min(depthBlock, problem.K - depthStart);
                // A transposed B whose panels serve a single row block is packed one panel at a time, just before
                // its tiles run, so the panel is still in L1; a row-major B packs faster as a whole block, read row
                // by row.
                bool panelwise = problem.TransposeB && rowEnd - rowStart <= rowBlock;
                if (!panelwise) GemmPacking<T, TKernel>.PackB(problem, depthStart, depth, column, columns, packedB);
                var step = new BlockStep(problem, depthStart, depth);
                for (int row = rowStart; row < rowEnd; row += rowBlock)
                {
                    int rows = Math.Min(rowBlock, rowEnd - row);
                    var tiles = new RowTiling(rows, mr, TKernel.ShortTileRows, inPlace);

                    // In place, A itself serves the full and short tiles and only the edge rows are packed;
                    // otherwise the whole block is packed in MR-row panels.
                    int packedFrom = inPlace ? tiles.EdgeStart : 0;
                    if (packedFrom < rows)
                    {
                        GemmPacking<T, TKernel>.PackA(problem, row + packedFrom, rows - packedFrom, depthStart, depth, packedA);
                    }

                    T* cBlock = problem.C + row * ldc + column;
                    if (panelwise)
                    {
                        // Panel by panel: each freshly packed B panel, in L1, meets every row tile.
                        for (int tileColumn = 0; tileColumn < columns; tileColumn += nr)
                        {
                            int tileColumns = Math.Min(nr, columns - tileColumn);
                            GemmPacking<T, TKernel>.PackB(problem, depthStart, depth, column + tileColumn, tileColumns, packedB);
                            for (int tileRow = 0; tileRow < rows; tileRow += tiles.HeightAt(tileRow))
                            {
                                step.Tile(tiles, row, tileRow, packedFrom, packedA, packedB, cBlock + tileRow * ldc + tileColumn,
                                    tileColumns, edgeTile);
                            }
                        }

                        continue;
                    }

                    // Row tile by row tile: the tile's A panel stays in L1 while the packed B panels of the block
                    // stream past it.
                    for (int tileRow = 0; tileRow < rows; tileRow += tiles.HeightAt(tileRow))
                    {
                        T* cRow = cBlock + tileRow * ldc;
                        for (int tileColumn = 0; tileColumn < columns; tileColumn += nr)
                        {
                            step.Tile(tiles, row, tileRow, packedFrom, packedA, packedB + (nint)tileColumn * depth,
                                cRow + tileColumn, Math.Min(nr, columns - tileColumn), edgeTile);
                        }
                    }
                }
            }
        }
    }

    /// <summary>What every tile of one depth block shares: the depth, and how the block merges into C.</summary>
    private readonly struct BlockStep
    {
        private readonly T* _a;
        private readonly nint _lda;
        private readonly nint _ldc;
        private readonly int _depthStart;
        private readonly int _depth;
        private readonly T _alpha;
        private readonly T _beta;
        private readonly bool _overwrite;

        /// <summary>The first depth block merges with <c>beta * C</c> (or overwrites when beta is zero); later ones add.</summary>
        public BlockStep(in GemmProblem<T> problem, int depthStart, int depth)
        {
            bool first = depthStart == 0;
            _a = problem.A;
            _lda = problem.Lda;
            _ldc = problem.Ldc;
            _depth = depth;
            _depthStart = depthStart;
            _alpha = problem.Alpha;
            _beta = first ? problem.Beta : T.One;
            _overwrite = first && problem.BetaIsZero;
        }

        /// <summary>
        /// Runs the tile at <paramref name="tileRow"/> of the row block starting at <paramref name="row"/> against one B
        /// micro-panel, reading A in place above <paramref name="packedFrom"/> and from the packed panels below it.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Tile(in RowTiling tiles, int row, int tileRow, int packedFrom, T* packedA, T* panelB, T* c,
            int tileColumns, T* edgeTile)
        {
            int mr = TKernel.TileRows;
            int tileRows = tiles.HeightAt(tileRow);
            T* panelA;
            nint rowStride, depthStride;
            if (tileRow < packedFrom)
            {
                panelA = _a + (row + tileRow) * _lda + _depthStart;
                rowStride = _lda;
                depthStride = 1;
            }
            else
            {
                panelA = packedA + (nint)(tileRow - packedFrom) * _depth;
                rowStride = 1;
                depthStride = mr;
            }

            bool shortTile = tileRows == TKernel.ShortTileRows && tileRow < tiles.EdgeStart;
            if (tileColumns == TKernel.TileColumns && tileRows == mr)
            {
                TKernel.Multiply(_depth, panelA, rowStride, depthStride, panelB, c, _ldc, _alpha, _beta, _overwrite);
            }
            else if (tileColumns == TKernel.TileColumns && shortTile)
            {
                TKernel.MultiplyFourRows(_depth, panelA, rowStride, depthStride, panelB, c, _ldc, _alpha, _beta, _overwrite);
            }
            else
            {
                EdgeTile(_depth, panelA, rowStride, depthStride, panelB, c, _ldc, tileRows, tileColumns, shortTile, _alpha,
                    _beta, _overwrite, edgeTile);
            }
        }
    }

    /// <summary>
    /// A partial tile: the same kernel on a full-size scratch tile, then the valid part copied back,
    /// so edge elements get exactly the arithmetic of interior ones.
    /// </summary>
    private static void EdgeTile(int depth, T* panelA, nint rowStride, nint depthStride, T* panelB, T* c, nint ldc,
        int rows, int columns, bool shortTile, T alpha, T beta, bool overwrite, T* scratch)
    {
        int nr = TKernel.TileColumns;
        if (!overwrite)
        {
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < columns; j++) scratch[r * nr + j] = c[r * ldc + j];
            }
        }

        if (shortTile)
        {
            TKernel.MultiplyFourRows(depth, panelA, rowStride, depthStride, panelB, scratch, nr, alpha, beta, overwrite);
        }
        else
        {
            TKernel.Multiply(depth, panelA, rowStride, depthStride, panelB, scratch, nr, alpha, beta, overwrite);
        }
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < columns; j++) c[r * ldc + j] = scratch[r * nr + j];
        }
    }

    /// <summary>
    /// How a block of rows is cut into tiles: full MR-row tiles, then short tiles (ShortTileRows high) where the
    /// remainder allows, then at most one edge tile of the rows left, computed on a zero-padded packed panel.
    /// </summary>
    /// <remarks>
    /// With MR = 6 and short tiles of 4, a remainder of 4 is one short tile and a remainder of 2 turns the last full
    /// tile into two short ones (6 + 2 = 4 + 4), so every even row count from 4 up runs without padded rows:
    /// 128 = 20 x 6 + 2 x 4, 64 = 10 x 6 + 4. When A is packed (not read in place) short tiles must start on a
    /// panel boundary, so only the single short tile is used there.
    /// </remarks>
    private readonly struct RowTiling
    {
        private readonly int _fullEnd;
        private readonly int _shortRows;

        public RowTiling(int rows, int mr, int shortRows, bool inPlace)
        {
            _shortRows = shortRows;
            int full = rows / mr;
            int remainder = rows - full * mr;
            int shortTiles = 0;
            if (shortRows < mr)
            {
                if (remainder == shortRows)
                {
                    shortTiles = 1;
                }
                else if (inPlace && full > 0 && mr + remainder == 2 * shortRows)
                {
                    full--;
                    shortTiles = 2;
                }
            }

            _fullEnd = full * mr;
            EdgeStart = _fullEnd + shortTiles * shortRows;
            Rows = rows;
        }

        /// <summary>The first row of the edge tile (Rows when there is none).</summary>
        public int EdgeStart { get; }

        private int Rows { get; }

        /// <summary>The height of the tile that starts at <paramref name="row"/>.</summary>
        public int HeightAt(int row) => row < _fullEnd ? TKernel.TileRows : row < EdgeStart ? _shortRows : Rows - row;
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
