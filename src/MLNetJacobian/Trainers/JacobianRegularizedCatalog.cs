using System.Reflection;
using Microsoft.ML.Runtime;
using MLNetJacobian.Trainers;

namespace Microsoft.ML;

/// <summary>
/// The Jacobian-regularized trainers on ML.NET's catalogs:
/// <c>mlContext.MulticlassClassification.Trainers.JacobianRegularized(...)</c>,
/// <c>mlContext.BinaryClassification.Trainers.JacobianRegularized(...)</c> and
/// <c>mlContext.Regression.Trainers.JacobianRegularized(...)</c>.
/// </summary>
/// <remarks>
/// ML.NET gives third-party catalog extensions no public way to reach the MLContext behind a catalog; these methods
/// read the catalog's ML.NET environment through ML.NET's internal <c>IInternalCatalog.Environment</c> property (by
/// reflection, the one non-public access in this library) and fail with a clear message, naming the alternative
/// <c>new JacobianRegularizedTrainer(mlContext, options)</c>, should a future ML.NET version remove it.
/// </remarks>
public static class JacobianRegularizedCatalog
{
    /// <summary>Creates a <see cref="JacobianRegularizedTrainer"/> with the main settings; the rest keep their defaults.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">The label column, a key type.</param>
    /// <param name="featureColumnName">The feature column, a known-size vector of Single.</param>
    /// <param name="exampleWeightColumnName">The example weight column, or null for unit weights.</param>
    /// <param name="hiddenLayers">The hidden layer widths; null for the default, two layers of 200.</param>
    /// <param name="jacobianWeight">lambda, the weight of <c>(lambda/2) ||J||_F^2</c>; 0 trains without the penalty.</param>
    /// <param name="numberOfEpochs">Passes over the training data.</param>
    /// <param name="batchSize">Rows per optimizer step.</param>
    /// <param name="learningRate">The SGD learning rate.</param>
    /// <param name="activation">The hidden activation.</param>
    /// <exception cref="ArgumentOutOfRangeException">A number is NaN, infinite or out of its range (the message names it).</exception>
    public static JacobianRegularizedTrainer JacobianRegularized(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = JacobianRegularizedTrainer.Defaults.LabelColumnName,
        string featureColumnName = JacobianRegularizedTrainer.Defaults.FeatureColumnName,
        string? exampleWeightColumnName = null,
        int[]? hiddenLayers = null,
        float jacobianWeight = (float)JacobianRegularizedTrainer.Defaults.JacobianWeight,
        int numberOfEpochs = JacobianRegularizedTrainer.Defaults.NumberOfEpochs,
        int batchSize = JacobianRegularizedTrainer.Defaults.BatchSize,
        float learningRate = (float)JacobianRegularizedTrainer.Defaults.LearningRate,
        MLNetJacobian.Network.Activation activation = JacobianRegularizedTrainer.Defaults.Activation)
    {
        return JacobianRegularized(catalog, SimpleOptions<JacobianRegularizedTrainer.Options>(labelColumnName, featureColumnName,
            exampleWeightColumnName, hiddenLayers, jacobianWeight, numberOfEpochs, batchSize, learningRate, activation));
    }

    /// <summary>Creates a <see cref="JacobianRegularizedBinaryTrainer"/> with the main settings; the rest keep their defaults.</summary>
    /// <param name="catalog">The binary classification trainers catalog.</param>
    /// <param name="labelColumnName">The label column, Boolean.</param>
    /// <param name="featureColumnName">The feature column, a known-size vector of Single.</param>
    /// <param name="exampleWeightColumnName">The example weight column, or null for unit weights.</param>
    /// <param name="hiddenLayers">The hidden layer widths; null for the default, two layers of 200.</param>
    /// <param name="jacobianWeight">lambda, the weight of <c>(lambda/2) ||J||^2</c> (exact: one output); 0 trains without the penalty.</param>
    /// <param name="numberOfEpochs">Passes over the training data.</param>
    /// <param name="batchSize">Rows per optimizer step.</param>
    /// <param name="learningRate">The SGD learning rate.</param>
    /// <param name="activation">The hidden activation.</param>
    /// <exception cref="ArgumentOutOfRangeException">A number is NaN, infinite or out of its range (the message names it).</exception>
    public static JacobianRegularizedBinaryTrainer JacobianRegularized(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = JacobianRegularizedTrainer.Defaults.LabelColumnName,
        string featureColumnName = JacobianRegularizedTrainer.Defaults.FeatureColumnName,
        string? exampleWeightColumnName = null,
        int[]? hiddenLayers = null,
        float jacobianWeight = (float)JacobianRegularizedTrainer.Defaults.JacobianWeight,
        int numberOfEpochs = JacobianRegularizedTrainer.Defaults.NumberOfEpochs,
        int batchSize = JacobianRegularizedTrainer.Defaults.BatchSize,
        float learningRate = (float)JacobianRegularizedTrainer.Defaults.LearningRate,
        MLNetJacobian.Network.Activation activation = JacobianRegularizedTrainer.Defaults.Activation) =>
        JacobianRegularized(catalog, SimpleOptions<JacobianRegularizedBinaryTrainer.Options>(labelColumnName, featureColumnName,
            exampleWeightColumnName, hiddenLayers, jacobianWeight, numberOfEpochs, batchSize, learningRate, activation));

    /// <summary>Creates a <see cref="JacobianRegularizedBinaryTrainer"/> with every setting in <paramref name="options"/>.</summary>
    /// <param name="catalog">The binary classification trainers catalog.</param>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentException">An option is invalid (the message names it and carries its value).</exception>
    public static JacobianRegularizedBinaryTrainer JacobianRegularized(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, JacobianRegularizedBinaryTrainer.Options options) =>
        Create(catalog, options, static (environment, settings) => new JacobianRegularizedBinaryTrainer(environment, settings));

    /// <summary>
    /// Creates a <see cref="JacobianRegularizedRegressionTrainer"/> with the main settings (squared error, standardized
    /// label); the rest keep their defaults.
    /// </summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">The label column, Single.</param>
    /// <param name="featureColumnName">The feature column, a known-size vector of Single.</param>
    /// <param name="exampleWeightColumnName">The example weight column, or null for unit weights.</param>
    /// <param name="hiddenLayers">The hidden layer widths; null for the default, two layers of 200.</param>
    /// <param name="jacobianWeight">lambda, the weight of <c>(lambda/2) ||J||^2</c> of the standardized output; 0 trains without the penalty.</param>
    /// <param name="numberOfEpochs">Passes over the training data.</param>
    /// <param name="batchSize">Rows per optimizer step.</param>
    /// <param name="learningRate">The SGD learning rate.</param>
    /// <param name="activation">The hidden activation.</param>
    /// <exception cref="ArgumentOutOfRangeException">A number is NaN, infinite or out of its range (the message names it).</exception>
    public static JacobianRegularizedRegressionTrainer JacobianRegularized(
        this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = JacobianRegularizedTrainer.Defaults.LabelColumnName,
        string featureColumnName = JacobianRegularizedTrainer.Defaults.FeatureColumnName,
        string? exampleWeightColumnName = null,
        int[]? hiddenLayers = null,
        float jacobianWeight = (float)JacobianRegularizedTrainer.Defaults.JacobianWeight,
        int numberOfEpochs = JacobianRegularizedTrainer.Defaults.NumberOfEpochs,
        int batchSize = JacobianRegularizedTrainer.Defaults.BatchSize,
        float learningRate = (float)JacobianRegularizedTrainer.Defaults.LearningRate,
        MLNetJacobian.Network.Activation activation = JacobianRegularizedTrainer.Defaults.Activation) =>
        JacobianRegularized(catalog, SimpleOptions<JacobianRegularizedRegressionTrainer.Options>(labelColumnName, featureColumnName,
            exampleWeightColumnName, hiddenLayers, jacobianWeight, numberOfEpochs, batchSize, learningRate, activation));

    /// <summary>Creates a <see cref="JacobianRegularizedRegressionTrainer"/> with every setting in <paramref name="options"/>.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentException">An option is invalid (the message names it and carries its value).</exception>
    public static JacobianRegularizedRegressionTrainer JacobianRegularized(
        this RegressionCatalog.RegressionTrainers catalog, JacobianRegularizedRegressionTrainer.Options options) =>
        Create(catalog, options, static (environment, settings) => new JacobianRegularizedRegressionTrainer(environment, settings));

    /// <summary>The options of the simple-argument overloads, the same for every task.</summary>
    private static TOptions SimpleOptions<TOptions>(string labelColumnName, string featureColumnName, string? exampleWeightColumnName,
        int[]? hiddenLayers, float jacobianWeight, int numberOfEpochs, int batchSize, float learningRate, MLNetJacobian.Network.Activation activation)
        where TOptions : JacobianRegularizedOptions, new() => new()
    {
        LabelColumnName = labelColumnName,
        FeatureColumnName = featureColumnName,
        ExampleWeightColumnName = exampleWeightColumnName,
        HiddenLayers = hiddenLayers ?? [.. JacobianRegularizedTrainer.Defaults.HiddenLayers],
        JacobianWeight = ShortestDouble(jacobianWeight, nameof(jacobianWeight)),
        NumberOfEpochs = numberOfEpochs,
        BatchSize = batchSize,
        LearningRate = ShortestDouble(learningRate, nameof(learningRate)),
        Activation = activation,
    };

    /// <summary>
    /// The double that a float argument's shortest text denotes (0.1f -> 0.1, not 0.100000001490116); NaN and the
    /// infinities are refused with the argument's name (decimal cannot hold them).
    /// </summary>
    private static double ShortestDouble(float value, string parameterName) =>
        float.IsFinite(value)
            ? double.Parse(value.ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture)
            : throw new ArgumentOutOfRangeException(parameterName, value, $"{parameterName} is {value}; it must be a finite number.");

    /// <summary>Creates a <see cref="JacobianRegularizedTrainer"/> with every setting in <paramref name="options"/>.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="options">The settings.</param>
    public static JacobianRegularizedTrainer JacobianRegularized(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, JacobianRegularizedTrainer.Options options) =>
        Create(catalog, options, static (environment, settings) => new JacobianRegularizedTrainer(environment, settings));

    /// <summary>The one path of every overload: checks the arguments and creates the trainer in the catalog's environment.</summary>
    private static TTrainer Create<TTrainer, TOptions>(object catalog, TOptions options, Func<IHostEnvironment, TOptions, TTrainer> create)
        where TOptions : JacobianRegularizedOptions
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return create(EnvironmentOf(catalog), options);
    }

    /// <summary>The ML.NET environment behind a catalog, through ML.NET's internal <c>IInternalCatalog</c> interface.</summary>
    internal static IHostEnvironment EnvironmentOf(object catalog)
    {
        const string interfaceName = "Microsoft.ML.Data.IInternalCatalog";
        PropertyInfo? property = catalog.GetType().GetInterface(interfaceName)?.GetProperty("Environment");
        if (property?.GetValue(catalog) is IHostEnvironment environment) return environment;
        string version = typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? typeof(MLContext).Assembly.GetName().Version?.ToString() ?? "unknown";
        throw new InvalidOperationException(
            $"Cannot reach the MLContext behind {catalog.GetType().Name}: ML.NET {version} has no {interfaceName}.Environment property, " +
            "which this catalog extension reads. Create the trainer directly: new JacobianRegularizedTrainer(mlContext, options).");
    }
}
