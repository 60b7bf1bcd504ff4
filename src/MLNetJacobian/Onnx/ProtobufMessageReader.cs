using System.Buffers.Binary;
using Google.Protobuf;

namespace MLNetJacobian.Onnx;

/// <summary>
/// Reads the fields of one protobuf message with Google.Protobuf's <see cref="CodedInputStream"/>: every field is
/// handed to a callback with its number and wire type, length-delimited payloads as bytes.
/// </summary>
internal static class ProtobufMessageReader
{
    /// <summary>One field: its number, wire type, the varint or fixed value (as raw bits) and, for length-delimited fields, its bytes.</summary>
    public readonly record struct Field(int Number, WireFormat.WireType WireType, ulong Value, ByteString Bytes);

    /// <summary>Every field of <paramref name="message"/>, in order.</summary>
    public static List<Field> ReadFields(ReadOnlySpan<byte> message)
    {
        var fields = new List<Field>();
        var input = new CodedInputStream(message.ToArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int number = WireFormat.GetTagFieldNumber(tag);
            WireFormat.WireType wireType = WireFormat.GetTagWireType(tag);
            switch (wireType)
            {
                case WireFormat.WireType.Varint:
                    fields.Add(new Field(number, wireType, input.ReadUInt64(), ByteString.Empty));
                    break;
                case WireFormat.WireType.Fixed32:
                    fields.Add(new Field(number, wireType, input.ReadFixed32(), ByteString.Empty));
                    break;
                case WireFormat.WireType.Fixed64:
                    fields.Add(new Field(number, wireType, input.ReadFixed64(), ByteString.Empty));
                    break;
                case WireFormat.WireType.LengthDelimited:
                    fields.Add(new Field(number, wireType, 0, input.ReadBytes()));
                    break;
                default:
                    throw new InvalidDataException($"Field {number} has the unsupported protobuf wire type {wireType}.");
            }
        }

        return fields;
    }

    /// <summary>The int64 values of a repeated field, packed or not.</summary>
    public static void AppendInt64s(Field field, List<long> values)
    {
        if (field.WireType == WireFormat.WireType.Varint)
        {
            values.Add((long)field.Value);
            return;
        }

        var input = new CodedInputStream(field.Bytes.ToByteArray());
        while (!input.IsAtEnd) values.Add(input.ReadInt64());
    }

    /// <summary>The float values of a repeated field, packed (little-endian bytes) or not.</summary>
    public static void AppendFloats(Field field, List<float> values)
    {
        if (field.WireType == WireFormat.WireType.Fixed32)
        {
            values.Add(BitConverter.UInt32BitsToSingle((uint)field.Value));
            return;
        }

        AppendLittleEndianFloats(field.Bytes.Span, values);
    }

    /// <summary>Little-endian IEEE floats, as in packed <c>float_data</c> and in <c>raw_data</c>.</summary>
    public static void AppendLittleEndianFloats(ReadOnlySpan<byte> bytes, List<float> values)
    {
        if (bytes.Length % sizeof(float) != 0) throw new InvalidDataException($"A float payload of {bytes.Length} bytes is not a whole number of floats.");
        for (int i = 0; i < bytes.Length; i += sizeof(float)) values.Add(BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i)));
    }
}
