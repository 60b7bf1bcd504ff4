using System.Globalization;

namespace MLNetJacobian.Network;

/// <summary>
/// The text form of a layer list: layers separated by commas, each a word and its settings, for example
/// <c>conv 6 5 pad 2, tanh, maxpool 2, conv 16 5, tanh, maxpool 2, dense 120, tanh, dropout 0.5, dense 84, tanh</c>.
/// The logit layer is not written: the trainer adds a dense layer with one output per class.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>conv C K [stride S] [pad P]</c></term><description><see cref="ConvLayerSpec"/>; K, S, P are <c>N</c> or <c>HxW</c>.</description></item>
/// <item><term><c>maxpool K [stride S]</c>, <c>avgpool K [stride S]</c></term><description><see cref="PoolLayerSpec"/> with
/// <see cref="Pooling.Max"/> or <see cref="Pooling.Average"/>; the stride defaults to K.</description></item>
/// <item><term><c>globalavgpool</c></term><description><see cref="GlobalAvgPoolLayerSpec"/>.</description></item>
/// <item><term><c>dense N</c></term><description><see cref="DenseLayerSpec"/>.</description></item>
/// <item><term><c>dropout R</c></term><description><see cref="DropoutLayerSpec"/>, R in [0, 1).</description></item>
/// <item><term><c>relu</c>, <c>tanh</c>, <c>softplus</c>, <c>gelu</c></term><description><see cref="ActivationLayerSpec"/>.</description></item>
/// </list>
/// Words are case-insensitive; <see cref="Format"/> writes the form <see cref="Parse"/> reads.
/// </remarks>
public static class NetworkLayers
{
    /// <summary>The layer words <see cref="Parse"/> knows.</summary>
    public static IReadOnlyList<string> KnownWords { get; } =
        ["conv", "maxpool", "avgpool", "globalavgpool", "dense", "dropout", .. Enum.GetValues<Activation>().Select(ActivationLayerSpec.Word)];

    /// <summary>Reads a layer list.</summary>
    /// <param name="text">Layers separated by commas; empty or blank for none (an affine model).</param>
    /// <returns>The specifications in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">
    /// An unknown word (the message lists the known ones), a missing or malformed setting, or a value out of range;
    /// the message names the layer's position and text.
    /// </exception>
    public static IReadOnlyList<LayerSpec> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text)) return [];
        string[] items = text.Split(',');
        var layers = new LayerSpec[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            string item = items[i].Trim();
            string where = $"Layer {i + 1} ('{item}') of \"{text}\"";
            string[] words = item.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) throw new FormatException($"{where} is empty; layers are separated by single commas.");
            try
            {
                layers[i] = ParseLayer(words, where);
            }
            catch (ArgumentOutOfRangeException error)
            {
                throw new FormatException($"{where}: {FirstLine(error.Message)}", error);
            }
        }

        return layers;
    }

    /// <summary>Writes a layer list in the form <see cref="Parse"/> reads.</summary>
    /// <param name="layers">The specifications.</param>
    /// <exception cref="ArgumentNullException"><paramref name="layers"/> or one of its entries is null.</exception>
    public static string Format(IEnumerable<LayerSpec> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        return string.Join(", ", layers.Select(layer => (layer ?? throw new ArgumentNullException(nameof(layers), "A layer specification is null.")).ToString()));
    }

    private static LayerSpec ParseLayer(string[] words, string where)
    {
        string word = words[0].ToLowerInvariant();
        foreach (Activation activation in Enum.GetValues<Activation>())
        {
            if (word == ActivationLayerSpec.Word(activation))
            {
                ExpectCount(words, 1, where, word);
                return new ActivationLayerSpec(activation);
            }
        }

        switch (word)
        {
            case "dense":
                ExpectCount(words, 2, where, "dense N");
                return new DenseLayerSpec(Integer(words[1], where, "the number of units"));
            case "dropout":
                ExpectCount(words, 2, where, "dropout R");
                if (!double.TryParse(words[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double rate))
                {
                    throw new FormatException($"{where}: the rate '{words[1]}' is not a number; write for example 'dropout 0.5'.");
                }

                return new DropoutLayerSpec(rate);
            case "globalavgpool":
                ExpectCount(words, 1, where, word);
                return new GlobalAvgPoolLayerSpec();
            case "conv":
            {
                if (words.Length < 3) throw new FormatException($"{where}: write 'conv C K [stride S] [pad P]', for example 'conv 6 5 pad 2'.");
                int channels = Integer(words[1], where, "the number of output channels");
                (int kh, int kw) = Pair(words[2], where, "the kernel");
                Dictionary<string, (int, int)> options = Options(words, 3, where, "stride", "pad");
                (int sh, int sw) = options.GetValueOrDefault("stride", (1, 1));
                (int ph, int pw) = options.GetValueOrDefault("pad", (0, 0));
                return new ConvLayerSpec(channels, kh, kw, sh, sw, ph, pw);
            }

            case "maxpool":
            case "avgpool":
            {
                if (words.Length < 2) throw new FormatException($"{where}: write '{word} K [stride S]', for example '{word} 2'.");
                (int kh, int kw) = Pair(words[1], where, "the window");
                (int sh, int sw) = Options(words, 2, where, "stride").GetValueOrDefault("stride", (kh, kw));
                return new PoolLayerSpec(word == "maxpool" ? Pooling.Max : Pooling.Average, kh, kw, sh, sw);
            }

            default:
                throw new FormatException($"{where}: unknown layer word '{words[0]}'. Known words: {string.Join(", ", KnownWords)}.");
        }
    }

    private static Dictionary<string, (int, int)> Options(string[] words, int start, string where, params string[] names)
    {
        var options = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        for (int j = start; j < words.Length; j += 2)
        {
            string name = words[j].ToLowerInvariant();
            if (!names.Contains(name) || options.ContainsKey(name))
            {
                string expected = string.Join(" or ", names.Select(n => $"'{n}'"));
                throw new FormatException($"{where}: unexpected '{words[j]}'; expected {expected} followed by a value, each at most once.");
            }

            if (j + 1 >= words.Length) throw new FormatException($"{where}: '{words[j]}' needs a value, for example '{name} 2'.");
            options[name] = Pair(words[j + 1], where, $"the {name}");
        }

        return options;
    }

    private static void ExpectCount(string[] words, int count, string where, string form)
    {
        if (words.Length != count) throw new FormatException($"{where}: write '{form}'.");
    }

    private static int Integer(string text, string where, string what)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            throw new FormatException($"{where}: {what} '{text}' is not an integer.");
        }

        return value;
    }

    private static (int Height, int Width) Pair(string text, string where, string what)
    {
        if (!SpecText.TryParsePair(text, out int height, out int width))
        {
            throw new FormatException($"{where}: {what} '{text}' is not an integer or HxW pair.");
        }

        return (height, width);
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Split(" (Parameter")[0].Trim();
}
