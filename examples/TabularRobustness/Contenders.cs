using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace TabularRobustness;

/// <summary>A fitted model on one data set and its clean test metrics.</summary>
/// <param name="Name">The model's name in the tables.</param>
/// <param name="Lambda">The Jacobian weight of a network, or null for ML.NET's trainers.</param>
/// <param name="Model">The fitted trainer (it reads the data set's <c>Features</c> column).</param>
/// <param name="TrainingSeconds">Wall-clock training time (noisy shared machine: indicative only).</param>
/// <param name="Metrics">Test metrics by name: RMSE, MAE, R^2 (regression); accuracy, AUC, log-loss (binary).</param>
public sealed record Contender(string Name, double? Lambda, ITransformer Model, double TrainingSeconds, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>True for this library's network.</summary>
    public bool IsNetwork => Lambda is not null;
}

/// <summary>Trains every contender of a task on a prepared data set and measures it on the test rows.</summary>
public static class Contenders
{
    /// <summary>
    /// Regression: the network for each lambda, LightGbm, FastTree and SDCA (ML.NET's defaults, fixed seeds), all on
    /// the same <c>Features</c>; test RMSE, MAE and R^2 from <c>Regression.Evaluate</c>.
    /// </summary>
    public static List<Contender> Regression(MLContext mlContext, TabularDataSet data, NetworkSettings network, IReadOnlyList<double> lambdas,
        int seed, Action<string> log)
    {
        var trainers = new List<(string, double?, IEstimator<ITransformer>)>();
        foreach (double lambda in lambdas)
        {
            trainers.Add((NetworkName(lambda), lambda, mlContext.Regression.Trainers.JacobianRegularized(network.Regression(lambda, seed))));
        }

        const string label = TabularDataSet.Label, features = TabularDataSet.Features;
        trainers.Add(("LightGbm", null, mlContext.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            LabelColumnName = label, FeatureColumnName = features, Seed = seed, NumberOfThreads = 1, Verbose = false, Silent = true,
        })));
        trainers.Add(("FastTree", null, mlContext.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            LabelColumnName = label, FeatureColumnName = features, Seed = seed, NumberOfThreads = 1,
        })));
        trainers.Add(("SDCA", null, mlContext.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
        {
            LabelColumnName = label, FeatureColumnName = features, NumberOfThreads = 1,
        })));
        return Fit(trainers, data, log, scored =>
        {
            RegressionMetrics m = mlContext.Regression.Evaluate(scored, label);
            return new Dictionary<string, double> { ["RMSE"] = m.RootMeanSquaredError, ["MAE"] = m.MeanAbsoluteError, ["R^2"] = m.RSquared };
        });
    }

    /// <summary>
    /// Binary classification: the network for each lambda, L-BFGS logistic regression, FastTree and LightGbm (ML.NET's
    /// defaults, fixed seeds); test accuracy, AUC and log-loss from <c>BinaryClassification.Evaluate</c>.
    /// </summary>
    public static List<Contender> Binary(MLContext mlContext, TabularDataSet data, NetworkSettings network, IReadOnlyList<double> lambdas,
        int seed, Action<string> log)
    {
        var trainers = new List<(string, double?, IEstimator<ITransformer>)>();
        foreach (double lambda in lambdas)
        {
            trainers.Add((NetworkName(lambda), lambda, mlContext.BinaryClassification.Trainers.JacobianRegularized(network.Binary(lambda, seed))));
        }

        const string label = TabularDataSet.Label, features = TabularDataSet.Features;
        trainers.Add(("LbfgsLogisticRegression", null, mlContext.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = label, FeatureColumnName = features, NumberOfThreads = 1,
        })));
        trainers.Add(("FastTree", null, mlContext.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            LabelColumnName = label, FeatureColumnName = features, Seed = seed, NumberOfThreads = 1,
        })));
        trainers.Add(("LightGbm", null, mlContext.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            LabelColumnName = label, FeatureColumnName = features, Seed = seed, NumberOfThreads = 1, Verbose = false, Silent = true,
        })));
        return Fit(trainers, data, log, scored =>
        {
            CalibratedBinaryClassificationMetrics m = mlContext.BinaryClassification.Evaluate(scored, label);
            return new Dictionary<string, double> { ["accuracy"] = m.Accuracy, ["AUC"] = m.AreaUnderRocCurve, ["log-loss"] = m.LogLoss };
        });
    }

    /// <summary>The network's name in the tables.</summary>
    public static string NetworkName(double lambda) => FormattableString.Invariant($"Network lambda {lambda}");

    private static List<Contender> Fit(List<(string Name, double? Lambda, IEstimator<ITransformer> Trainer)> trainers, TabularDataSet data, Action<string> log,
        Func<IDataView, Dictionary<string, double>> evaluate)
    {
        var fitted = new List<Contender>();
        foreach ((string name, double? lambda, IEstimator<ITransformer> trainer) in trainers)
        {
            var clock = Stopwatch.StartNew();
            ITransformer model = trainer.Fit(data.Train);
            double seconds = clock.Elapsed.TotalSeconds;
            Dictionary<string, double> metrics = evaluate(model.Transform(data.Test));
            fitted.Add(new Contender(name, lambda, model, seconds, metrics));
            log(FormattableString.Invariant($"  {name}: trained in {seconds:F1} s; ") + string.Join(", ", metrics.Select(m => FormattableString.Invariant($"{m.Key} {m.Value:G4}"))));
        }

        return fitted;
    }
}
