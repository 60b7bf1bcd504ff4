namespace MLNetJacobian.Onnx;

/// <summary>How the graph's input and outputs carry rows.</summary>
internal enum OnnxRowLayout
{
    /// <summary>A symbolic batch dimension: input <c>[N, D]</c>, scores <c>[N, C]</c>, labels <c>[N]</c>. The exported form.</summary>
    Batched,

    /// <summary>
    /// One row per run, the form ML.NET's ONNX transformer types exactly: input <c>[D]</c>, scores <c>[C]</c>,
    /// labels <c>[1]</c> (ML.NET would read a symbolic batch size as 1 and type the scores <c>Vector&lt;Single, 1, C&gt;</c>).
    /// </summary>
    SingleRow,
}
