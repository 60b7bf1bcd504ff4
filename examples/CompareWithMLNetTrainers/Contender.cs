using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Analysis;
using MLNetJacobian.Robustness;
using MLNetJacobian.Models;

namespace CompareWithMLNetTrainers;

/// <summary>One trainer's fitted pipeline and what was measured on it.</summary>
/// <param name="Name">The trainer's name.</param>
/// <param name="Model">The fitted pipeline (MapValueToKey, then the trainer).</param>
/// <param name="TrainingSeconds">Wall-clock training time.</param>
/// <param name="CleanAccuracy">Micro accuracy on the test set from ML.NET's evaluator.</param>
/// <param name="Robustness">The robustness report.</param>
/// <param name="MeanJacobianNorm">Mean ||J||_F over the test rows.</param>
/// <param name="JacobianKind">What was differentiated, and how.</param>
public sealed record Contender(string Name, ITransformer Model, double TrainingSeconds, double CleanAccuracy, RobustnessReport Robustness,
    double MeanJacobianNorm, string JacobianKind)
{
    /// <summary>The robust accuracy of the named attack at <paramref name="strength"/>, or null when it did not run.</summary>
    public double? At(string attack, double strength) =>
        Robustness.Attacks.FirstOrDefault(a => a.Name == attack)?.Points.FirstOrDefault(p => Math.Abs(p.Strength - strength) < 1e-6)?.RobustAccuracy;

    /// <summary>The per-example worst case over the L-inf attacks at <paramref name="epsilon"/>.</summary>
    public double? WorstAt(double epsilon) =>
        Robustness.WorstCase.FirstOrDefault(w => w.Norm == PerturbationNorm.LInfinity.Name)?.Points.FirstOrDefault(p => Math.Abs(p.Epsilon - epsilon) < 1e-6)?.RobustAccuracy;

    /// <summary>The Jacobian source the analysis library offers for this kind of model.</summary>
    public static (IJacobianModel Source, string Kind) JacobianOf(ITransformer model, int featureCount) => model switch
    {
        TransformerChain<ITransformer> chain when chain.LastTransformer is MLNetJacobian.Trainers.JacobianRegularizedPredictionTransformer network =>
            (network.Model.CreateModel(), "logits, exact"),
        TransformerChain<ITransformer> chain when chain.LastTransformer is IPredictionTransformer<Microsoft.ML.Trainers.LinearMulticlassModelParametersBase> linear =>
            (LinearModel.FromParameters(linear.Model), "logits, exact"),
        _ => (FiniteDifferenceJacobian.WithAbsoluteStep(new TransformerModel(OnlyPredictor(model), featureCount), 1e-3), "probabilities, finite differences"),
    };

    /// <summary>The trainer's transformer alone (it runs on the features without the label).</summary>
    public static ITransformer OnlyPredictor(ITransformer model) => model is TransformerChain<ITransformer> chain ? chain.LastTransformer : model;
}
