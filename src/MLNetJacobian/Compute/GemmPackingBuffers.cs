using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetJacobian.Compute;

/// <summary>
/// Per-thread, reused buffers for the packed panels of A and B, 64-byte aligned and pinned.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// Each thread that runs a GEMM (a caller or a pool worker) owns one A buffer and one B buffer per element
/// type. They grow to the largest block the thread has needed and are then reused, so the steady state
/// allocates nothing. They are ordinary pinned arrays, collected with their thread.
/// </remarks>
internal static unsafe class GemmPackingBuffers<T> where T : unmanaged
{
    private const int Alignment = 64;

    [ThreadStatic]
    private static T[]? PackedA;

    [ThreadStatic]
    private static T[]? PackedB;

    /// <summary>A buffer of at least <paramref name="length"/> elements for packed A panels.</summary>
    public static T* ForA(int length) => Ensure(ref PackedA, length);

    /// <summary>A buffer of at least <paramref name="length"/> elements for packed B panels.</summary>
    public static T* ForB(int length) => Ensure(ref PackedB, length);

    private static T* Ensure(ref T[]? buffer, int length)
    {
        int padding = Alignment / sizeof(T);
        if (buffer is null || buffer.Length < length + padding)
        {
            buffer = GC.AllocateUninitializedArray<T>(length + padding, pinned: true);
        }

        nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (T*)((start + (Alignment - 1)) & ~(nint)(Alignment - 1));
    }
}
