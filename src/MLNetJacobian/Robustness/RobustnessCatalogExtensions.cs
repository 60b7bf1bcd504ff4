using Microsoft.ML.Data;
using MLNetJacobian.Models;
using MLNetJacobian.Robustness;
using MLNetJacobian.Trainers;

namespace Microsoft.ML;

/// <summary>Robustness evaluation on ML.NET's multiclass classification catalog.</summary>
public static class RobustnessCatalogExtensions
{
    /// <summary>
    /// Measures accuracy under perturbation of a multiclass model: noise, gradient attacks (FGSM, PGD, APGD) when a
    /// gradient is available, and the black-box Square attack; the per-example worst case; minimal perturbations; and
    /// sanity checks reported as warnings.
    /// </summary>
    /// <remarks>
    /// Inputs are attacked in the raw space of <see cref="RobustnessOptions.FeatureColumnName"/> of
    /// <paramref name="data"/>. This library's JacobianRegularized trainer, or a linear multiclass predictor
    /// (LbfgsMaximumEntropy, SdcaMaximumEntropy, SdcaNonCalibrated), directly on the features or behind affine
    /// normalizers (folded into its first layer), is attacked white-box through its public weights once they are shown
    /// to reproduce the Score column on 64 rows; any other model is a black box and gradient attacks are skipped with a
    /// notice. A model loaded from a zip scores through an OnnxTransformer whose weights ML.NET does not expose, so it
    /// is attacked black-box: evaluate the in-process model returned by Fit for white-box attacks. Robust accuracy
    /// counts all examples (AutoAttack / Foolbox convention).
    /// </remarks>
    /// <param name="catalog">The catalog.</param>
    /// <param name="model">The fitted model (the whole pipeline).</param>
    /// <param name="data">The test data, with the feature and label columns.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    public static RobustnessReport EvaluateRobustness(this MulticlassClassificationCatalog catalog, ITransformer model, IDataView data, RobustnessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new RobustnessOptions();
        options.Validate();
        var blackBox = new TransformerModel(model, data.Schema, options.FeatureColumnName, options.ScoreColumnName);
        var examples = DataViewExamples.FromDataView(data, blackBox.FeatureCount, options.FeatureColumnName, options.LabelColumnName, options.MaxExamples, labelMapper: model);
        int[] labels = examples.RequireLabels(options.LabelColumnName, blackBox.OutputCount);
        float[] features = examples.Features;
        var notices = new List<string>();
        IModel attacked = options.UseModelWeights
            ? WhiteBoxModel.Choose(blackBox, features, labels.Length, notices)
            : blackBox;
        return RobustnessEvaluator.Evaluate(attacked, features, labels, options, notices, columns: true, ContextSeed(catalog, options));
    }

    /// <summary>
    /// Measures accuracy under perturbation of any <see cref="IModel"/> (for example this library's networks)
    /// on the feature and label columns of <paramref name="data"/>; see the <see cref="ITransformer"/> overload.
    /// </summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="model">The classifier; an <see cref="IDifferentiableModel"/> enables gradient attacks.</param>
    /// <param name="data">The test data (labels must be keys or integer class indices).</param>
    /// <param name="options">Settings; null for the defaults.</param>
    public static RobustnessReport EvaluateRobustness(this MulticlassClassificationCatalog catalog, IModel model, IDataView data, RobustnessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new RobustnessOptions();
        options.Validate();
        var examples = DataViewExamples.FromDataView(data, model.FeatureCount, options.FeatureColumnName, options.LabelColumnName, options.MaxExamples);
        int[] labels = examples.RequireLabels(options.LabelColumnName, model.OutputCount);
        float[] features = examples.Features;
        return RobustnessEvaluator.Evaluate(model, features, labels, options, [], columns: true, ContextSeed(catalog, options));
    }

    /// <summary>
    /// When the options give no seed, one drawn from the MLContext's seeded random source (as ML.NET's trainers draw
    /// theirs), so <c>new MLContext(seed: 1)</c> makes the evaluation reproducible; null when the options give one.
    /// </summary>
    private static int? ContextSeed(MulticlassClassificationCatalog catalog, RobustnessOptions options) =>
        options.Seed is null ? JacobianRegularizedCatalog.EnvironmentOf(catalog).Register("Robustness").Rand.Next() : null;
}
