using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Onnx;
using MLNetJacobian.Onnx;

namespace MLNetJacobian.Trainers;

/// <summary>
/// Loads a saved ML.NET model zip and gives back this library's <see cref="JacobianRegularizedPredictionTransformer"/>
/// in place of the ONNX scoring chain that <c>mlContext.Model.Load</c> returns for it, so that the network's
/// weights (<see cref="JacobianRegularizedPredictionTransformerBase{TModel}.Model"/>), white-box attacks, exact Jacobians and
/// <see cref="JacobianRegularizedModelParameters.ExportOnnx(Stream)"/> work on a loaded model.
/// </summary>
/// <remarks>
/// <para>A trained network is saved as <see cref="ScoringChain"/>: <c>OnnxTransformer -> CustomMapping ->
/// MapValueToKey -> DropColumns</c>. <see cref="Load"/> calls <c>mlContext.Model.Load</c>, walks the loaded
/// (possibly nested) <see cref="TransformerChain{TLastTransformer}"/>, and for every OnnxTransformer followed by those
/// three steps reads the ONNX bytes from the zip entry at the same place in the chain
/// (<c>TransformerChain/Transform_iii/.../Transform_jjj/OnnxModel</c>, ML.NET's int32 length prefix removed) with
/// <see cref="OnnxClassifierReader"/>. When the graph is one written by this library for that chain, the four steps
/// become one <see cref="JacobianRegularizedPredictionTransformer"/> rebuilt from the weights and class names, reading
/// the graph's input column; it produces the same Score and PredictedLabel columns.</para>
/// <para>A binary classifier or regressor is saved as <see cref="OneOutputScoringChain"/>: <c>OnnxTransformer ->
/// CustomMapping -> DropColumns</c>. When its graph is one written by <see cref="OnnxOneOutputWriter"/>, the three steps
/// become one <see cref="JacobianRegularizedOneOutputPredictionTransformer"/> with the same task, network and label
/// scaling (a regressor's <c>Score = LabelShift + LabelScale z</c>: <see cref="JacobianRegularizedOneOutputModelParameters.CreateNetwork"/>
/// gives the network of the standardized output <c>z</c>, and the robustness evaluator folds the scaling back in, so its
/// gradients are in the label's units).</para>
/// <para>Every other step, and every ONNX model this library did not write, is kept as loaded; a zip that holds no
/// network of this library therefore comes back exactly as <c>mlContext.Model.Load</c> returns it. Rebuilt chains
/// apply every step in every scope (as chains fitted from estimators do).</para>
/// </remarks>
public static class JacobianRegularizedModel
{
    private const string RootFolder = "TransformerChain";
    private const string OnnxEntryName = "OnnxModel";

    /// <summary>Loads <paramref name="zipPath"/> with <c>mlContext.Model.Load</c> and restores this library's networks (see the remarks).</summary>
    /// <param name="mlContext">The ML.NET context that loads the model and builds the restored transformers.</param>
    /// <param name="zipPath">A zip written by <c>mlContext.Model.Save</c>.</param>
    /// <param name="inputSchema">The input schema saved with the model.</param>
    /// <returns>The loaded model, with each Jacobian-regularized network as a <see cref="JacobianRegularizedPredictionTransformer"/>
    /// (multiclass) or a <see cref="JacobianRegularizedOneOutputPredictionTransformer"/> (binary, regression).</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip, or an entry fails its CRC-32 check (a damaged file).</exception>
    /// <exception cref="DamagedModelException">A network of this library in the zip no longer matches the SHA-256 digest stored with it.</exception>
    /// <exception cref="InvalidDataException">ML.NET cannot load the zip; the message names the file and the cause (ML.NET's instantiation and invocation wrappers removed).</exception>
    public static ITransformer Load(MLContext mlContext, string zipPath, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrWhiteSpace(zipPath);
        using ZipArchive zip = OpenVerified(zipPath);
        DataViewSchema? schema = null;
        ITransformer loaded = ModelLoadErrors.Unwrap(zipPath, () => mlContext.Model.Load(zipPath, out schema));
        inputSchema = schema!;
        return Restore(mlContext, loaded, RootFolder, zip, zipPath);
    }

    /// <summary>
    /// Checks a saved model zip without loading it into ML.NET: every entry's CRC-32, and the SHA-256 digest of every
    /// network of this library in it.
    /// </summary>
    /// <param name="zipPath">A zip written by <c>mlContext.Model.Save</c>.</param>
    /// <exception cref="InvalidDataException">The file is not a zip, or an entry fails its CRC-32 check.</exception>
    /// <exception cref="DamagedModelException">A network of this library in the zip no longer matches the SHA-256 digest stored with it.</exception>
    public static void Verify(string zipPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(zipPath);
        using ZipArchive zip = OpenVerified(zipPath);
        foreach (ZipArchiveEntry entry in zip.Entries.Where(e => e.Name == OnnxEntryName))
        {
            byte[] bytes = ReadEntry(entry);
            try
            {
                OnnxClassifierReader.TryRead(OnnxBytes(bytes), out _, out _);
            }
            catch (DamagedModelException exception)
            {
                throw new DamagedModelException($"'{zipPath}' is damaged: {exception.Message}", exception);
            }
        }
    }

    private static ZipArchive OpenVerified(string zipPath)
    {
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(zipPath);
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidDataException($"'{zipPath}' is not a zip archive (or its directory is damaged): {exception.Message}", exception);
        }

        try
        {
            MLNetJacobian.IO.ZipIntegrity.Verify(zip, zipPath);
            return zip;
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry)
    {
        using Stream stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>The ONNX graph bytes of a saved OnnxTransformer entry: ML.NET writes an int32 length, then the bytes.</summary>
    internal static byte[] OnnxBytes(byte[] entry)
    {
        if (entry.Length >= sizeof(int) && BinaryPrimitives.ReadInt32LittleEndian(entry) == entry.Length - sizeof(int))
        {
            return entry[sizeof(int)..];
        }

        return entry;
    }

    private static ITransformer Restore(MLContext context, ITransformer transformer, string folder, ZipArchive zip, string zipPath)
    {
        if (transformer is not IEnumerable<ITransformer> chain) return transformer;
        List<ITransformer> parts = chain.ToList();
        var restored = new List<ITransformer>(parts.Count);
        bool changed = false;
        for (int i = 0; i < parts.Count; i++)
        {
            string partFolder = $"{folder}/Transform_{i:000}";
            if (IsScoringChainAt(parts, i) && TryReadNetwork(context, zip, $"{partFolder}/{OnnxEntryName}", zipPath, out JacobianRegularizedPredictionTransformer? network))
            {
                restored.Add(network!);
                i += 3;
                changed = true;
                continue;
            }

            if (IsOneOutputChainAt(parts, i) && TryReadOneOutput(context, zip, $"{partFolder}/{OnnxEntryName}", out JacobianRegularizedOneOutputPredictionTransformer? oneOutput))
            {
                restored.Add(oneOutput!);
                i += 2;
                changed = true;
                continue;
            }

            ITransformer part = Restore(context, parts[i], partFolder, zip, zipPath);
            changed |= !ReferenceEquals(part, parts[i]);
            restored.Add(part);
        }

        if (!changed) return transformer;
        return restored.Count == 1 && restored[0] is JacobianRegularizedPredictionTransformer or JacobianRegularizedOneOutputPredictionTransformer
            ? restored[0]
            : new TransformerChain<ITransformer>(restored.ToArray());
    }

    /// <summary>Whether <c>parts[i..i+3]</c> have the transformer types of <see cref="ScoringChain"/>.</summary>
    private static bool IsScoringChainAt(List<ITransformer> parts, int i) =>
        i + 3 < parts.Count
        && parts[i] is OnnxTransformer
        && parts[i + 1].GetType() is { IsGenericType: true } mapping && mapping.GetGenericTypeDefinition() == typeof(CustomMappingTransformer<,>)
        && parts[i + 2] is ValueToKeyMappingTransformer
        && parts[i + 3] is ColumnSelectingTransformer;

    /// <summary>Whether <c>parts[i..i+2]</c> have the transformer types of <see cref="OneOutputScoringChain"/>.</summary>
    private static bool IsOneOutputChainAt(List<ITransformer> parts, int i) =>
        i + 2 < parts.Count
        && parts[i] is OnnxTransformer
        && parts[i + 1].GetType() is { IsGenericType: true } mapping && mapping.GetGenericTypeDefinition() == typeof(CustomMappingTransformer<,>)
        && parts[i + 2] is ColumnSelectingTransformer;

    private static bool TryReadOneOutput(MLContext context, ZipArchive zip, string entryName, out JacobianRegularizedOneOutputPredictionTransformer? network)
    {
        network = null;
        ZipArchiveEntry? entry = zip.GetEntry(entryName) ?? zip.GetEntry(entryName.Replace('/', '\\'));
        if (entry is null) return false;
        if (!OnnxOneOutputReader.TryRead(OnnxBytes(ReadEntry(entry)), out JacobianRegularizedOneOutputModelParameters? parameters, out string inputName, out _)) return false;
        network = new JacobianRegularizedOneOutputPredictionTransformer(context, parameters!, inputName);
        return true;
    }

    private static bool TryReadNetwork(MLContext context, ZipArchive zip, string entryName, string zipPath, out JacobianRegularizedPredictionTransformer? network)
    {
        network = null;
        ZipArchiveEntry? entry = zip.GetEntry(entryName) ?? zip.GetEntry(entryName.Replace('/', '\\'));
        if (entry is null) return false;
        byte[] bytes = ReadEntry(entry);
        OnnxClassifierModel? classifier;
        try
        {
            if (!OnnxClassifierReader.TryRead(OnnxBytes(bytes), out classifier, out _)) return false;
        }
        catch (DamagedModelException exception)
        {
            throw new DamagedModelException($"'{zipPath}' is damaged: {exception.Message}", exception);
        }

        OnnxClassifierNames names = classifier!.Names;
        if (names.ScoreName != ScoringChain.ScoreColumnName || names.PredictedLabelName != PredictedLabelTextMappingFactory.VectorColumnName) return false;
        var parameters = new JacobianRegularizedModelParameters(classifier.Architecture, classifier.Parameters, classifier.ClassNames,
            ClassValueTypes.FromName(classifier.ClassValueType));
        network = new JacobianRegularizedPredictionTransformer(context, parameters, names.InputName);
        return true;
    }
}
