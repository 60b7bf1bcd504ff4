using System.Numerics;

namespace MLNetJacobian.Network;

/// <summary>
/// One layer of a network's architecture, with its settings: what <see cref="NetworkLayers.Parse"/> reads, what
/// <see cref="NetworkArchitecture.Layers"/> holds, and what a saved model records (its <see cref="ToString"/> is the
/// text form, for example <c>conv 6 5 pad 2</c>).
/// </summary>
/// <remarks>
/// Kinds: <see cref="ConvLayerSpec"/>, <see cref="PoolLayerSpec"/> (max or average),
/// <see cref="GlobalAvgPoolLayerSpec"/>, <see cref="DenseLayerSpec"/>, <see cref="ActivationLayerSpec"/> and
/// <see cref="DropoutLayerSpec"/>. Shapes are checked when an <see cref="NetworkArchitecture"/> is built from the list
/// and its input shape, not here.
/// </remarks>
public abstract record LayerSpec
{
    private protected LayerSpec()
    {
    }

    /// <summary>Whether the layer needs an image (channels x height x width) as input.</summary>
    public virtual bool NeedsImage => false;

    /// <summary>The text form (for example <c>conv 6 5 pad 2</c>), which <see cref="NetworkLayers.Parse"/> reads back.</summary>
    public abstract override string ToString();

    /// <summary>The output shape for an input of this shape; throws <see cref="ArgumentException"/> when it does not fit.</summary>
    internal abstract LayerShape OutputShape(LayerShape input);

    /// <summary>Number of weights (0 for layers without parameters); the bias count is <see cref="BiasCount"/>.</summary>
    internal virtual int WeightCount(LayerShape input) => 0;

    /// <summary>Number of biases.</summary>
    internal virtual int BiasCount(LayerShape input) => 0;

    /// <summary>The fan-in and fan-out the weight initializers use.</summary>
    internal virtual (int FanIn, int FanOut) Fans(LayerShape input) => (0, 0);

    /// <summary>Creates the engine's layer for an input of this (already validated) shape.</summary>
    internal abstract ILayer<T> CreateLayer<T>(LayerShape input) where T : unmanaged, IFloatingPointIeee754<T>;
}
