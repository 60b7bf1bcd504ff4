using System.Numerics;
using MLNetJacobian.Compute;

namespace MLNetJacobian.Network;

/// <summary>
/// What the owner of a pass lends a layer: the GEMM provider and a scratch buffer. One context per worker
/// (it belongs to a workspace); layers keep no state of their own, so one network serves many workers at once.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class LayerContext<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _scratch;

    /// <summary>Creates a context with a scratch buffer of <paramref name="scratchLength"/> elements.</summary>
    /// <param name="gemm">The GEMM provider.</param>
    /// <param name="scratchLength">The largest <see cref="ILayer{T}.ScratchLength"/> of the layers it serves (0 or more).</param>
    /// <exception cref="ArgumentNullException"><paramref name="gemm"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scratchLength"/> is negative.</exception>
    public LayerContext(IGemmProvider gemm, int scratchLength = 0)
    {
        ArgumentNullException.ThrowIfNull(gemm);
        if (scratchLength < 0) throw new ArgumentOutOfRangeException(nameof(scratchLength), scratchLength, "The scratch length must not be negative.");
        Gemm = gemm;
        _scratch = new T[scratchLength];
    }

    /// <summary>The GEMM provider.</summary>
    public IGemmProvider Gemm { get; }

    /// <summary>
    /// Temporary memory any pass may overwrite; its content means nothing between calls. At least the
    /// <see cref="ILayer{T}.ScratchLength"/> of every layer the context serves.
    /// </summary>
    public Span<T> Scratch => _scratch;

    /// <summary>The creating owner's scratch length.</summary>
    public int ScratchLength => _scratch.Length;
}
