using Microsoft.ML.Data;
using MLNetJacobian.Models;
using MLNetJacobian.Robustness;
using MLNetJacobian.Trainers;

namespace Microsoft.ML;

/// <summary>Robustness evaluation on ML.NET's multiclass, binary classification and regression catalogs.</summary>
public static class RobustnessCatalogExtensions
{
    /// <summary>
    /// Measures accuracy under perturbation of a multiclass model: noise, gradient attacks (FGSM, PGD, APGD) when a
    /// gradient is available, and the black-box Square attack; the per-example worst case; minimal perturbations; and
    /// sanity checks reported as warnings.
    /// </summary>
    /// <remarks>
    /// Inputs are attacked in the raw space of <see cref="PerturbationOptions.FeatureColumnName"/> of
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
    /// <exception cref="ArgumentException">The model is not a multiclass classifier (the message names its task and the catalog to use), a column is
    /// missing or has the wrong type, a label is not a class, a feature lies outside the bounds, or a setting is invalid.</exception>
    public static RobustnessReport EvaluateRobustness(this MulticlassClassificationCatalog catalog, ITransformer model, IDataView data, RobustnessOptions? options = null) =>
        EvaluateClassifier(catalog, ModelTask.MulticlassClassification, model, data, options);

    /// <summary>
    /// Measures accuracy under perturbation of any <see cref="IModel"/> (for example this library's networks)
    /// on the feature and label columns of <paramref name="data"/>; see the <see cref="ITransformer"/> overload.
    /// </summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="model">The classifier; an <see cref="IDifferentiableModel"/> enables gradient attacks.</param>
    /// <param name="data">The test data (labels must be keys or integer class indices).</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">The model is not a multiclass classifier, or the data or a setting does not fit.</exception>
    public static RobustnessReport EvaluateRobustness(this MulticlassClassificationCatalog catalog, IModel model, IDataView data, RobustnessOptions? options = null) =>
        EvaluateClassifier(catalog, ModelTask.MulticlassClassification, model, data, options, []);

    /// <summary>
    /// Measures accuracy (and AUC) under perturbation of a binary classifier: uniform and Gaussian noise, FGSM, PGD and
    /// APGD on the log-loss of the logit (white-box models), the Square attack, the per-example worst case, minimal
    /// perturbations and the sanity checks, in the same <see cref="RobustnessReport"/> as multiclass (two classes;
    /// <see cref="RobustnessReport.AttackPoint.Auc"/> and <see cref="RobustnessReport.CleanAuc"/> set).
    /// </summary>
    /// <remarks>
    /// The prediction is ML.NET's: class true when the Score (a logit or margin) is positive. White-box: this
    /// library's JacobianRegularized binary network, and ML.NET's linear binary predictors whose weights are public
    /// (LbfgsLogisticRegression, SdcaLogisticRegression, LinearSvm, AveragedPerceptron, ..., calibrated or not), also
    /// behind affine normalizers; trees (FastTree, LightGbm) are black boxes (noise and Square only, with a notice).
    /// For tabular data set the bounds (infinite for none), <see cref="PerturbationOptions.PerturbedFeatures"/> and
    /// <see cref="PerturbationOptions.FeatureScaleData"/>.
    /// </remarks>
    /// <param name="catalog">The catalog.</param>
    /// <param name="model">The fitted model (the whole pipeline); its Score column is a Single next to a Boolean PredictedLabel.</param>
    /// <param name="data">The test data, with the feature column and a Boolean (or 0/1) label.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">The model is not a binary classifier (the message names its task and the catalog to use), a column is
    /// missing or has the wrong type, a label is not 0/1, a feature lies outside the bounds, a perturbed feature name does not exist, the scales
    /// do not fit, or a setting is invalid.</exception>
    public static RobustnessReport EvaluateRobustness(this BinaryClassificationCatalog catalog, ITransformer model, IDataView data, RobustnessOptions? options = null) =>
        EvaluateClassifier(catalog, ModelTask.BinaryClassification, model, data, options);

    /// <summary>Measures accuracy and AUC under perturbation of a binary <see cref="IModel"/> (one output, class 1 when positive); see the <see cref="ITransformer"/> overload.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="model">The binary classifier; an <see cref="IDifferentiableModel"/> enables gradient attacks.</param>
    /// <param name="data">The test data (Boolean or 0/1 labels).</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">The model is not a binary classifier, or the data or a setting does not fit.</exception>
    public static RobustnessReport EvaluateRobustness(this BinaryClassificationCatalog catalog, IModel model, IDataView data, RobustnessOptions? options = null) =>
        EvaluateClassifier(catalog, ModelTask.BinaryClassification, model, data, options, []);

    /// <summary>
    /// Measures a regression model under perturbation: per attack and strength, RMSE and MAE of the perturbed prediction
    /// against the label, and the prediction change <c>|f(x + d) - f(x)|</c> (mean, median, 95th percentile, max).
    /// Gradient attacks (FGSM, PGD, APGD) maximize the change and, separately, the error; the black-box search (Square)
    /// does the same for any model, so every model can be compared under one attack.
    /// </summary>
    /// <remarks>
    /// White-box: this library's JacobianRegularized regressor (gradients in the label's units) and ML.NET's linear
    /// regressors whose weights are public (Sdca, OnlineGradientDescent, Ols, ...; Poisson through its log link), also behind
    /// affine normalizers; trees are black boxes with a notice.
    /// </remarks>
    /// <param name="catalog">The catalog.</param>
    /// <param name="model">The fitted model (the whole pipeline); its Score column is a Single and it has no PredictedLabel.</param>
    /// <param name="data">The test data, with the feature column and a numeric label.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">The model is not a regression model (the message names its task and the catalog to use), a column is
    /// missing or has the wrong type, a label is missing, a feature lies outside the bounds, a perturbed feature name does not exist, the scales
    /// do not fit, or a setting is invalid.</exception>
    public static RegressionRobustnessReport EvaluateRobustness(this RegressionCatalog catalog, ITransformer model, IDataView data, RegressionRobustnessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new RegressionRobustnessOptions();
        options.Validate();
        var blackBox = new TransformerModel(model, data.Schema, options.FeatureColumnName, options.ScoreColumnName);
        RequireTask(blackBox, ModelTask.Regression);
        var examples = DataViewExamples.FromDataView(data, blackBox.FeatureCount, options.FeatureColumnName, options.LabelColumnName, options.MaxExamples, labelsAreValues: true);
        float[] labels = examples.LabelValues;
        var notices = new List<string>();
        IModel attacked = options.UseModelWeights ? WhiteBoxModel.Choose(blackBox, examples.Features, examples.Count, notices) : blackBox;
        return RegressionEvaluation.Evaluate(attacked, examples.Features, labels, options, notices, ContextSeed(catalog, options), data.Schema);
    }

    /// <summary>Measures a regression <see cref="IModel"/> under perturbation; see the <see cref="ITransformer"/> overload.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="model">The regression model; an <see cref="IDifferentiableModel"/> enables gradient attacks.</param>
    /// <param name="data">The test data (numeric labels).</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">The model is not a regression model, or the data or a setting does not fit.</exception>
    public static RegressionRobustnessReport EvaluateRobustness(this RegressionCatalog catalog, IModel model, IDataView data, RegressionRobustnessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new RegressionRobustnessOptions();
        options.Validate();
        RequireTask(model, ModelTask.Regression);
        var examples = DataViewExamples.FromDataView(data, model.FeatureCount, options.FeatureColumnName, options.LabelColumnName, options.MaxExamples, labelsAreValues: true);
        float[] labels = examples.LabelValues;
        return RegressionEvaluation.Evaluate(model, examples.Features, labels, options, [], ContextSeed(catalog, options), data.Schema);
    }

    private static RobustnessReport EvaluateClassifier(object catalog, ModelTask task, ITransformer model, IDataView data, RobustnessOptions? options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new RobustnessOptions();
        options.Validate();
        var blackBox = new TransformerModel(model, data.Schema, options.FeatureColumnName, options.ScoreColumnName);
        RequireTask(blackBox, task);
        var examples = DataViewExamples.FromDataView(data, blackBox.FeatureCount, options.FeatureColumnName, options.LabelColumnName, options.MaxExamples, labelMapper: model);
        int[] labels = examples.RequireLabels(options.LabelColumnName, ClassCount(blackBox));
        var notices = new List<string>();
        IModel attacked = options.UseModelWeights
            ? WhiteBoxModel.Choose(blackBox, examples.Features, labels.Length, notices)
            : blackBox;
        return RobustnessEvaluator.Evaluate(attacked, examples.Features, labels, options, notices, columns: true, ContextSeed(catalog, options), data.Schema);
    }

    private static RobustnessReport EvaluateClassifier(object catalog, ModelTask task, IModel model, IDataView data, RobustnessOptions? options, IReadOnlyList<string> notices)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new RobustnessOptions();
        options.Validate();
        RequireTask(model, task);
        var examples = DataViewExamples.FromDataView(data, model.FeatureCount, options.FeatureColumnName, options.LabelColumnName, options.MaxExamples);
        int[] labels = examples.RequireLabels(options.LabelColumnName, ClassCount(model));
        return RobustnessEvaluator.Evaluate(model, examples.Features, labels, options, notices, columns: true, ContextSeed(catalog, options), data.Schema);
    }

    private static int ClassCount(IModel model) => model.Task == ModelTask.BinaryClassification ? 2 : model.OutputCount;

    /// <summary>The error for a model given to another task's catalog, naming both tasks and the catalog to use.</summary>
    private static void RequireTask(IModel model, ModelTask expected)
    {
        if (model.Task == expected) return;
        string catalog = RobustnessEvaluator.CatalogOf(model.Task);
        throw RobustnessEvaluator.WrongTask(model, expected, RobustnessEvaluator.CatalogOf(expected),
            $"Use mlContext.{catalog}.EvaluateRobustness for a {RobustnessEvaluator.TaskName(model.Task)} model.");
    }

    /// <summary>
    /// When the options give no seed, one drawn from the MLContext's random source (as ML.NET's trainers draw
    /// theirs), so <c>new MLContext(seed: 1)</c> makes the evaluation reproducible; null when the options give one.
    /// </summary>
    private static int? ContextSeed(object catalog, PerturbationOptions options) =>
        options.Seed is null ? JacobianRegularizedCatalog.EnvironmentOf(catalog).Register("Robustness").Rand.Next() : null;
}
