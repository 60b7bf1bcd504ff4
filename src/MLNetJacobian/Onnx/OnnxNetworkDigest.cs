using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using MLNetJacobian.Network;

namespace MLNetJacobian.Onnx;

/// <summary>
/// The SHA-256 digest of a network that <see cref="OnnxClassifierWriter"/> stores in the model's
/// <c>metadata_props</c> and <see cref="OnnxClassifierReader"/> recomputes from the graph it reads, so that a model
/// whose weights, shape, activation or class names changed after it was written (a damaged file) is refused rather
/// than scored.
/// </summary>
/// <remarks>
/// The digest covers, in order: the layer sizes (int32 little-endian, with their count), the activation's name (for
/// networks other than multilayer perceptrons: -1, the input, the layer list's text form and the output count), every
/// parameter (float32 little-endian bits, in the network's layout), the class names (each as a UTF-8 length and
/// bytes) and the class value type's name. Models written before the digest existed carry none and are read unchecked.
/// </remarks>
internal static class OnnxNetworkDigest
{
    /// <summary>The metadata key of the digest (lower-case hex).</summary>
    public const string DigestKey = "MLNetJacobian.network_sha256";

    /// <summary>The metadata key of the class value type (the raw type of the label's key values: String, Single, ...).</summary>
    public const string ClassValueTypeKey = "MLNetJacobian.class_value_type";

    /// <summary>The digest of a network, as lower-case hex.</summary>
    public static string Compute(NetworkArchitecture architecture, ReadOnlySpan<float> parameters, IReadOnlyList<string> classNames, string classValueType)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] word = new byte[4];
        void Int(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(word, value);
            hash.AppendData(word);
        }

        void Text(string value)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(value);
            Int(bytes.Length);
            hash.AppendData(bytes);
        }

        if (architecture.IsMultilayerPerceptron)
        {
            Int(architecture.LayerSizes.Count);
            foreach (int size in architecture.LayerSizes) Int(size);
            Text(architecture.Activation.ToString());
        }
        else
        {
            // Other layer lists (convolutions, pooling, dropout): a count no perceptron has, then the recorded form.
            Int(-1);
            Text(architecture.InputShape?.ToString() ?? architecture.InputSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Text(NetworkLayers.Format(architecture.Layers));
            Int(architecture.OutputSize);
        }

        Int(parameters.Length);
        foreach (float value in parameters) Int(BitConverter.SingleToInt32Bits(value));
        Int(classNames.Count);
        foreach (string name in classNames) Text(name);
        Text(classValueType);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

/// <summary>
/// A model written by this library whose content no longer matches the digest stored with it: the file was damaged
/// (or edited) after it was written.
/// </summary>
public sealed class DamagedModelException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What does not match, naming the file when known.</param>
    public DamagedModelException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">What does not match, naming the file when known.</param>
    /// <param name="innerException">The cause.</param>
    public DamagedModelException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
