namespace MLNetJacobian.Onnx;

/// <summary>
/// Field numbers and enum values of the ONNX protobuf schema (onnx/onnx.proto, IR version 7) used by
/// <see cref="OnnxClassifierWriter"/>. Only the fields this library writes are listed.
/// </summary>
internal static class OnnxFieldNumbers
{
    // ModelProto
    public const int ModelIrVersion = 1;
    public const int ModelProducerName = 2;
    public const int ModelProducerVersion = 3;
    public const int ModelDocString = 6;
    public const int ModelGraph = 7;
    public const int ModelOpsetImport = 8;
    public const int ModelMetadataProps = 14;

    // StringStringEntryProto
    public const int EntryKey = 1;
    public const int EntryValue = 2;

    // OperatorSetIdProto
    public const int OpsetDomain = 1;
    public const int OpsetVersion = 2;

    // GraphProto
    public const int GraphNode = 1;
    public const int GraphName = 2;
    public const int GraphInitializer = 5;
    public const int GraphInput = 11;
    public const int GraphOutput = 12;

    // NodeProto
    public const int NodeInput = 1;
    public const int NodeOutput = 2;
    public const int NodeName = 3;
    public const int NodeOpType = 4;
    public const int NodeAttribute = 5;
    public const int NodeDomain = 7;

    // AttributeProto
    public const int AttributeName = 1;
    public const int AttributeFloat = 2;
    public const int AttributeInt = 3;
    public const int AttributeInts = 8;
    public const int AttributeStrings = 9;
    public const int AttributeType = 20;

    // AttributeProto.AttributeType
    public const int AttributeTypeFloat = 1;
    public const int AttributeTypeInt = 2;
    public const int AttributeTypeInts = 7;
    public const int AttributeTypeStrings = 8;

    // ValueInfoProto
    public const int ValueInfoName = 1;
    public const int ValueInfoType = 2;

    // TypeProto and TypeProto.Tensor
    public const int TypeTensorType = 1;
    public const int TensorTypeElementType = 1;
    public const int TensorTypeShape = 2;

    // TensorShapeProto and TensorShapeProto.Dimension
    public const int ShapeDimension = 1;
    public const int DimensionValue = 1;
    public const int DimensionParameter = 2;

    // TensorProto
    public const int TensorDims = 1;
    public const int TensorDataType = 2;
    public const int TensorFloatData = 4;
    public const int TensorStringData = 6;
    public const int TensorInt64Data = 7;
    public const int TensorName = 8;
    public const int TensorRawData = 9;

    // TensorProto.DataType
    public const int DataTypeFloat = 1;
    public const int DataTypeInt64 = 7;
    public const int DataTypeString = 8;
    public const int DataTypeBool = 9;
}
