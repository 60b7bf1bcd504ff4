using MLNetJacobian.Network;

namespace MLNetJacobian.Trainers;

public sealed partial class JacobianRegularizedTrainer
{
    /// <summary>
    /// The default of every option of <see cref="Options"/>, written once: <see cref="Options"/>' initial values, the
    /// simple catalog overload's parameters and the command-line tool's defaults all read them from here.
    /// </summary>
    /// <remarks>
    /// They are the reference implementation's MNIST setting (facebookresearch/jacobian_regularizer): 784-200-200-10 ReLU
    /// with Xavier initialization, SGD with learning rate 0.01, momentum 0.9 and weight decay 5e-4, batch 64, 5 epochs,
    /// lambda 0.1, one random projection. Lambda: the reference's <c>JacobianReg</c> module is shown with 0.01 in its
    /// README, but the one experiment it ships (MNIST, whose 97.0% test accuracy its README reports) uses 0.1.
    /// </remarks>
    internal static class Defaults
    {
        /// <summary>The label column's name.</summary>
        public const string LabelColumnName = "Label";

        /// <summary>The feature column's name.</summary>
        public const string FeatureColumnName = "Features";

        /// <summary>The hidden layers' widths: two layers of 200.</summary>
        public static IReadOnlyList<int> HiddenLayers { get; } = [200, 200];

        /// <summary>The hidden activation.</summary>
        public const Activation Activation = Network.Activation.Relu;

        /// <summary>The weight initialization.</summary>
        public const WeightInitializer WeightInitializer = Network.WeightInitializer.XavierUniform;

        /// <summary>How the biases start (zero; <c>UniformFanIn</c> is PyTorch's <c>nn.Linear</c> default).</summary>
        public const BiasInitializer BiasInitializer = Network.BiasInitializer.Zero;

        /// <summary>lambda, the weight of <c>(lambda/2) ||J||_F^2</c>.</summary>
        public const double JacobianWeight = 0.1;

        /// <summary>n_proj, random projections per row.</summary>
        public const int NumberOfProjections = 1;

        /// <summary>The fraction of each batch the penalty is computed on.</summary>
        public const double JacobianSampleFraction = 1.0;

        /// <summary>The optimizer.</summary>
        public const OptimizerAlgorithm Optimizer = OptimizerAlgorithm.Sgd;

        /// <summary>SGD's momentum.</summary>
        public const double Momentum = 0.9;

        /// <summary>Adam's first-moment decay (PyTorch's default).</summary>
        public const double AdamBeta1 = 0.9;

        /// <summary>Adam's second-moment decay (PyTorch's default).</summary>
        public const double AdamBeta2 = 0.999;

        /// <summary>Adam's denominator term (PyTorch's default).</summary>
        public const double AdamEpsilon = 1e-8;

        /// <summary>The base learning rate.</summary>
        public const double LearningRate = 0.01;

        /// <summary>The learning-rate schedule.</summary>
        public const LearningRateScheduleKind LearningRateSchedule = LearningRateScheduleKind.Constant;

        /// <summary>With step decay: the fractions of training at which the rate decays.</summary>
        public static IReadOnlyList<double> StepDecayFractions { get; } = [0.5, 0.75];

        /// <summary>With step decay: the multiplier at each fraction.</summary>
        public const double StepDecayFactor = 0.1;

        /// <summary>L2 weight decay.</summary>
        public const double WeightDecay = 5e-4;

        /// <summary>Rows per optimizer step.</summary>
        public const int BatchSize = 64;

        /// <summary>The largest accepted batch size.</summary>
        public const int MaxBatchSize = 65_536;

        /// <summary>Passes over the training data.</summary>
        public const int NumberOfEpochs = 5;

        /// <summary>Whether training rows are read in a new random order every epoch.</summary>
        public const bool Shuffle = true;

        /// <summary>Rows buffered to shuffle data that cannot shuffle itself (for MNIST, 25 MB).</summary>
        public const int ShuffleWindowSize = 8192;

        /// <summary>With early stopping: whether training ends with the best epoch's parameters.</summary>
        public const bool RestoreBestModel = true;
    }
}
