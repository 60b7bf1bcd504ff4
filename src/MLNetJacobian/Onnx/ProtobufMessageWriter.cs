using Google.Protobuf;

namespace MLNetJacobian.Onnx;

/// <summary>
/// Writes one protobuf message field by field with Google.Protobuf's <see cref="CodedOutputStream"/>; nested
/// messages are written into their own buffer first and then embedded as length-delimited fields.
/// </summary>
/// <remarks>
/// Wire types used: 0 (varint) for integers and enums, 2 (length-delimited) for strings, bytes, nested messages
/// and packed repeated scalars. Field numbers are those of the ONNX spec, listed in <see cref="OnnxFieldNumbers"/>.
/// </remarks>
internal sealed class ProtobufMessageWriter
{
    private readonly MemoryStream _buffer = new();
    private readonly CodedOutputStream _output;

    public ProtobufMessageWriter() => _output = new CodedOutputStream(_buffer, leaveOpen: true);

    public ProtobufMessageWriter Int64(int field, long value)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteInt64(value);
        return this;
    }

    public ProtobufMessageWriter Int32(int field, int value)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteInt32(value);
        return this;
    }

    public ProtobufMessageWriter Float(int field, float value)
    {
        _output.WriteTag(field, WireFormat.WireType.Fixed32);
        _output.WriteFloat(value);
        return this;
    }

    public ProtobufMessageWriter String(int field, string value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteString(value);
        return this;
    }

    public ProtobufMessageWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public ProtobufMessageWriter Message(int field, ProtobufMessageWriter message)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteBytes(UnsafeByteOperations.UnsafeWrap(message.ToArray()));
        return this;
    }

    /// <summary>A packed repeated float field: one tag, the byte length, then little-endian 4-byte values.</summary>
    public ProtobufMessageWriter PackedFloats(int field, ReadOnlySpan<float> values)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteLength(values.Length * sizeof(float));
        foreach (float value in values) _output.WriteFloat(value);
        return this;
    }

    /// <summary>A packed repeated int64 field: one tag, the byte length, then the varints.</summary>
    public ProtobufMessageWriter PackedInt64s(int field, ReadOnlySpan<long> values)
    {
        int length = 0;
        foreach (long value in values) length += CodedOutputStream.ComputeInt64Size(value);
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteLength(length);
        foreach (long value in values) _output.WriteInt64(value);
        return this;
    }

    public byte[] ToArray()
    {
        _output.Flush();
        return _buffer.ToArray();
    }
}
