namespace MLNetJacobian.Network;

/// <summary>
/// Where one weight layer (a convolution or a dense layer) sits: its index among all layers, the offset of its weights
/// in the parameter buffer (its biases follow them), their counts, and the fans the initializers use.
/// </summary>
internal readonly record struct WeightLayerSlice(int LayerIndex, int Offset, int WeightCount, int BiasCount, int FanIn, int FanOut);
