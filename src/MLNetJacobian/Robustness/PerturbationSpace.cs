using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Models;

namespace MLNetJacobian.Robustness;

/// <summary>
/// Where attacks move inputs: which features may move (the others keep their clean values) and in what units
/// (per-feature scales), resolved from <see cref="PerturbationOptions"/> against the data's feature column.
/// </summary>
/// <remarks>
/// With scales, the evaluator works in <c>u = x / s</c>: the model is read through the map <c>x = u ⊙ s</c>
/// (<see cref="AffineMappedModel"/>, differentiable when the model is), the
/// raw bounds become per-feature bounds <c>[L / s_j, U / s_j]</c>, and every epsilon, norm and minimal perturbation in
/// the report is in scale units; adversarial inputs are mapped back to raw units.
/// </remarks>
internal sealed class PerturbationSpace
{
    private PerturbationSpace(int featureCount, bool[]? fixedFeatures, float[]? scale, string description)
    {
        FeatureCount = featureCount;
        FixedFeatures = fixedFeatures;
        Scale = scale;
        Description = description;
    }

    /// <summary>D.</summary>
    public int FeatureCount { get; }

    /// <summary>Per feature, whether it keeps its clean value; null when every feature may move.</summary>
    public bool[]? FixedFeatures { get; }

    /// <summary>s per feature, <c>[D]</c>; null for raw units.</summary>
    public float[]? Scale { get; }

    /// <summary>The moved features (indices), in order.</summary>
    public int[] MovedSlots => Enumerable.Range(0, FeatureCount).Where(j => FixedFeatures is null || !FixedFeatures[j]).ToArray();

    /// <summary>For the report: which features move and in what units epsilon is.</summary>
    public string Description { get; }

    /// <summary>Resolves the options for a model with D features.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="featureCount">D.</param>
    /// <param name="schema">The data's schema (for slot names); null for in-memory data.</param>
    /// <exception cref="ArgumentException">A named feature does not exist, an index is out of range, or the scales do not fit.</exception>
    public static PerturbationSpace Resolve(PerturbationOptions options, int featureCount, DataViewSchema? schema)
    {
        string[]? slotNames = schema is null ? null : SlotNames(schema, options.FeatureColumnName, featureCount);
        bool[]? fixedFeatures = null;
        string moved = "every feature moves";
        if (options.PerturbedFeatures is { } names)
        {
            if (slotNames is null)
            {
                throw new ArgumentException(schema is null
                    ? "PerturbedFeatures names slots, but in-memory data has no slot names; give PerturbedSlots (indices) instead."
                    : $"PerturbedFeatures names slots, but the feature column '{options.FeatureColumnName}' has no slot names; give PerturbedSlots (indices) instead, or build the column with Concatenate from named columns.",
                    nameof(options.PerturbedFeatures));
            }

            fixedFeatures = Enumerable.Repeat(true, featureCount).ToArray();
            foreach (string name in names)
            {
                int slot = Array.IndexOf(slotNames, name);
                if (slot < 0)
                {
                    throw new ArgumentException(
                        $"PerturbedFeatures names '{name}', which is not a slot of the feature column '{options.FeatureColumnName}'; its slots are: {string.Join(", ", slotNames)}.",
                        nameof(options.PerturbedFeatures));
                }

                fixedFeatures[slot] = false;
            }

            moved = $"{names.Count} of {featureCount} features move ({string.Join(", ", names)}); the others keep their values";
        }
        else if (options.PerturbedSlots is { } slots)
        {
            fixedFeatures = Enumerable.Repeat(true, featureCount).ToArray();
            foreach (int slot in slots)
            {
                if (slot < 0 || slot >= featureCount)
                {
                    throw new ArgumentOutOfRangeException(nameof(options.PerturbedSlots), slot, $"PerturbedSlots holds {slot}, outside the {featureCount} slots [0, {featureCount - 1}] of the feature column '{options.FeatureColumnName}'.");
                }

                fixedFeatures[slot] = false;
            }

            string Label(int j) => slotNames is null ? j.ToString(CultureInfo.InvariantCulture) : $"{j} '{slotNames[j]}'";
            moved = $"{slots.Distinct().Count()} of {featureCount} features move (slots {string.Join(", ", slots.Distinct().Order().Select(Label))}); the others keep their values";
        }

        float[]? scale = null;
        string units = options.IsBounded ? "epsilon in raw feature units" : "epsilon in raw feature units, no input box";
        if (options.FeatureScales is { } given)
        {
            if (given.Count != featureCount)
            {
                throw new ArgumentException($"FeatureScales holds {given.Count} values; the feature column '{options.FeatureColumnName}' has {featureCount} slots.", nameof(options.FeatureScales));
            }

            scale = given.ToArray();
            units = "epsilon in units of the given per-feature scales";
        }
        else if (options.FeatureScaleData is { } data)
        {
            scale = StandardDeviations(data, options.FeatureColumnName, featureCount);
            units = "epsilon in units of each feature's standard deviation on FeatureScaleData";
        }

        if (scale is not null)
        {
            for (int j = 0; j < featureCount; j++)
            {
                if (fixedFeatures is not null && fixedFeatures[j])
                {
                    scale[j] = 1f;   // never moves: its scale is not read
                    continue;
                }

                if (!(scale[j] > 0) || !float.IsFinite(scale[j]))
                {
                    string name = slotNames is null ? "" : $" '{slotNames[j]}'";
                    throw new ArgumentOutOfRangeException(options.FeatureScales is not null ? nameof(options.FeatureScales) : nameof(options.FeatureScaleData), scale[j],
                        $"The scale of slot {j}{name} is {scale[j].ToString(CultureInfo.InvariantCulture)}; a moved feature needs a positive finite scale " +
                        "(a feature constant in the scale data cannot be measured in its own units: leave it out of the perturbed features).");
                }
            }
        }

        return new PerturbationSpace(featureCount, fixedFeatures, scale, $"{moved}; {units}");
    }

    /// <summary>The model as attacks see it: read through <c>x = u ⊙ s</c> with scales, else the model itself (fixed features are the attack workers' concern).</summary>
    public IModel Wrap(IModel model) =>
        Scale is null ? model : AffineMappedModel.Create(model, Scale, new float[FeatureCount], "features in units of their scales (x = u * s)");

    /// <summary>Rows of raw features in the attack space (<c>x / s</c>), a new array; the same array without scales.</summary>
    public float[] ToSpace(float[] raw)
    {
        if (Scale is null) return raw;
        var result = new float[raw.Length];
        for (int i = 0; i < raw.Length; i++) result[i] = raw[i] / Scale[i % FeatureCount];
        return result;
    }

    /// <summary>One row in the attack space back in raw units.</summary>
    public float[] ToRaw(ReadOnlySpan<float> row)
    {
        var result = row.ToArray();
        if (Scale is not null)
        {
            for (int j = 0; j < result.Length; j++) result[j] *= Scale[j];
        }

        return result;
    }

    /// <summary>The input box in the attack space: the raw bounds divided by each scale (infinite bounds become the float range).</summary>
    public InputBounds Bounds(PerturbationOptions options)
    {
        float lower = float.IsFinite(options.LowerBound) ? options.LowerBound : float.MinValue;
        float upper = float.IsFinite(options.UpperBound) ? options.UpperBound : float.MaxValue;
        if (Scale is null) return new InputBounds(lower, upper);
        var lowers = new float[FeatureCount];
        var uppers = new float[FeatureCount];
        for (int j = 0; j < FeatureCount; j++)
        {
            lowers[j] = float.IsFinite(options.LowerBound) ? options.LowerBound / Scale[j] : float.MinValue;
            uppers[j] = float.IsFinite(options.UpperBound) ? options.UpperBound / Scale[j] : float.MaxValue;
        }

        return new InputBounds(lowers, uppers);
    }

    private static string[]? SlotNames(DataViewSchema schema, string column, int featureCount)
    {
        if (schema.GetColumnOrNull(column) is not { } feature || !feature.HasSlotNames()) return null;
        VBuffer<ReadOnlyMemory<char>> names = default;
        feature.GetSlotNames(ref names);
        string[] result = names.DenseValues().Select(n => n.ToString()).ToArray();
        return result.Length == featureCount && result.Any(n => n.Length > 0) ? result : null;
    }

    /// <summary>The population standard deviation of each slot of the feature column over the rows (Welford, in double).</summary>
    private static float[] StandardDeviations(IDataView data, string column, int featureCount)
    {
        DataViewSchema.Column feature = data.Schema.GetColumnOrNull(column)
            ?? throw new ArgumentException($"FeatureScaleData has no feature column '{column}'; its columns are: {string.Join(", ", data.Schema.Where(c => !c.IsHidden).Select(c => c.Name))}.", nameof(PerturbationOptions.FeatureScaleData));
        if (feature.Type is not VectorDataViewType { ItemType: NumberDataViewType item } vector || item.RawType != typeof(float) || vector.Size != featureCount)
        {
            throw new ArgumentException($"The column '{column}' of FeatureScaleData has type {feature.Type}; a vector of {featureCount} Single values (as the evaluated data) is needed.", nameof(PerturbationOptions.FeatureScaleData));
        }

        var mean = new double[featureCount];
        var squares = new double[featureCount];
        long count = 0;
        using DataViewRowCursor cursor = data.GetRowCursor([feature]);
        ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(feature);
        VBuffer<float> buffer = default;
        var row = new float[featureCount];
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            buffer.CopyTo(row);
            count++;
            for (int j = 0; j < featureCount; j++)
            {
                double delta = row[j] - mean[j];
                mean[j] += delta / count;
                squares[j] += delta * (row[j] - mean[j]);
            }
        }

        if (count < 2) throw new ArgumentException($"FeatureScaleData holds {count} rows; at least 2 are needed for a standard deviation.", nameof(PerturbationOptions.FeatureScaleData));
        return squares.Select(s => (float)Math.Sqrt(s / count)).ToArray();
    }
}
