using System.Diagnostics;
using MLNetJacobian.Models;

namespace MLNetJacobian.Robustness;

/// <summary>
/// Runs an attack over chosen examples in batches shared by several threads, each thread with its own model
/// instance and attack worker. Each batch draws from its own seeded <see cref="Random"/>, so results do not depend
/// on the thread count or on which thread took which batch.
/// </summary>
internal sealed class AttackExecution
{
    private readonly IReadOnlyList<IModel> _models; // one per thread
    private readonly float[] _features;                        // [N, D]
    private readonly int[] _labels;                            // [N]
    private readonly InputBounds _bounds;
    private readonly int _batchSize;
    private readonly AttackGoal _goal;
    private readonly bool[]? _fixedFeatures;                   // [D], or null when every feature may move

    /// <param name="models">One model instance per thread.</param>
    /// <param name="features">x, <c>[N, D]</c>.</param>
    /// <param name="labels">Per row, its class, or (regression) its key into the goal's targets.</param>
    /// <param name="bounds">The input bounds.</param>
    /// <param name="batchSize">Rows per batch.</param>
    /// <param name="goal">What the attacks are after; null for misclassification.</param>
    /// <param name="fixedFeatures">Per feature, whether it must keep its clean value; null when all may move.</param>
    public AttackExecution(IReadOnlyList<IModel> models, float[] features, int[] labels, InputBounds bounds, int batchSize,
        AttackGoal? goal = null, bool[]? fixedFeatures = null)
    {
        _models = models;
        _features = features;
        _labels = labels;
        _bounds = bounds;
        _batchSize = batchSize;
        _goal = goal ?? AttackGoal.Misclassification;
        _fixedFeatures = fixedFeatures;
    }

    /// <summary>The same data, models and settings with another goal.</summary>
    public AttackExecution WithGoal(AttackGoal goal) => new(_models, _features, _labels, _bounds, _batchSize, goal, _fixedFeatures);

    public int FeatureCount => _models[0].FeatureCount;

    public int OutputCount => _models[0].OutputCount;

    /// <summary>Attacks the examples <paramref name="indices"/>, example <c>indices[k]</c> at strength <c>strengths[k]</c>.</summary>
    /// <remarks>With <c>keepInputs</c> the outcome holds the adversarial inputs.</remarks>
    public AttackOutcome Run(Attack attack, IReadOnlyList<int> indices, IReadOnlyList<float> strengths, int seed, bool keepInputs = false)
    {
        Debug.Assert(indices.Count == strengths.Count);
        var result = new PerExample(new bool[indices.Count], new float[indices.Count], new int[indices.Count],
            keepInputs ? new float[indices.Count * FeatureCount] : null, new float[indices.Count * OutputCount]);
        int batchCount = (indices.Count + _batchSize - 1) / _batchSize;
        int threads = Math.Max(1, Math.Min(_models.Count, batchCount));
        long scoreQueries = 0, gradientQueries = 0, zeroRows = 0, nonFiniteRows = 0;
        int outside = 0;
        double maxViolation = 0;
        int nextBatch = -1;
        object gate = new();
        var stopwatch = Stopwatch.StartNew();
        if (indices.Count > 0)
        {
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
            {
                var state = new ThreadState(this, attack, _models[thread]);
                int batch;
                while ((batch = Interlocked.Increment(ref nextBatch)) < batchCount)
                {
                    state.RunBatch(batch, indices, strengths, seed, result);
                }

                lock (gate)
                {
                    scoreQueries += state.Worker.ScoreQueries;
                    gradientQueries += state.Worker.GradientQueries;
                    zeroRows += state.Worker.ZeroGradientRows;
                    nonFiniteRows += state.Worker.NonFiniteGradientRows;
                    outside += state.Outside;
                    maxViolation = Math.Max(maxViolation, state.MaxViolation);
                }
            });
        }

        return new AttackOutcome(result.Fooled, result.Norms, result.Predictions, result.Inputs, result.Outputs, scoreQueries, gradientQueries, zeroRows, nonFiniteRows, outside, maxViolation, stopwatch.Elapsed);
    }

    /// <summary>Predicted classes of the given rows, computed in batches over the threads.</summary>
    public int[] Predict(ReadOnlySpan<float> features, int rows)
    {
        float[] outputs = ComputeOutputs(features, rows);
        var predictions = new int[rows];
        for (int i = 0; i < rows; i++) predictions[i] = ModelPredictions.PredictedClass(outputs.AsSpan(i * OutputCount, OutputCount));
        return predictions;
    }

    /// <summary>The outputs of the given rows, <c>[rows, K]</c>, computed in batches over the threads.</summary>
    public float[] ComputeOutputs(ReadOnlySpan<float> features, int rows)
    {
        var outputs = new float[rows * OutputCount];
        float[] data = features[..(rows * FeatureCount)].ToArray();
        int batchCount = (rows + _batchSize - 1) / _batchSize;
        int threads = Math.Max(1, Math.Min(_models.Count, batchCount));
        int nextBatch = -1;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
        {
            IModel model = _models[thread];
            int batch;
            while ((batch = Interlocked.Increment(ref nextBatch)) < batchCount)
            {
                int start = batch * _batchSize;
                int count = Math.Min(_batchSize, rows - start);
                model.ComputeOutputs(data.AsSpan(start * FeatureCount, count * FeatureCount), count, outputs.AsSpan(start * OutputCount, count * OutputCount));
            }
        });
        return outputs;
    }

    /// <summary>The per-example results of a run, written by the batches (each into its own rows).</summary>
    private sealed record PerExample(bool[] Fooled, float[] Norms, int[] Predictions, float[]? Inputs, float[] Outputs);

    private sealed class ThreadState
    {
        private readonly AttackExecution _owner;
        private readonly Attack _attack;
        private readonly IModel _model;
        private readonly float[] _clean, _adversarial, _scores, _strengths; // [B, D], [B, D], [B, C], [B]
        private readonly int[] _labels;                                     // [B]

        public ThreadState(AttackExecution owner, Attack attack, IModel model)
        {
            _owner = owner;
            _attack = attack;
            _model = model;
            int b = owner._batchSize, d = owner.FeatureCount;
            _clean = new float[b * d];
            _adversarial = new float[b * d];
            _scores = new float[b * owner.OutputCount];
            _strengths = new float[b];
            _labels = new int[b];
            Worker = attack.CreateWorker(model, owner._bounds, b);
            Worker.Configure(owner._goal, owner._fixedFeatures);
        }

        public AttackWorker Worker { get; }

        public int Outside { get; private set; }

        public double MaxViolation { get; private set; }

        public void RunBatch(int batch, IReadOnlyList<int> indices, IReadOnlyList<float> strengths, int seed, PerExample result)
        {
            int d = _owner.FeatureCount, c = _owner.OutputCount;
            int start = batch * _owner._batchSize;
            int rows = Math.Min(_owner._batchSize, indices.Count - start);
            for (int k = 0; k < rows; k++)
            {
                int row = indices[start + k];
                _owner._features.AsSpan(row * d, d).CopyTo(_clean.AsSpan(k * d, d));
                _labels[k] = _owner._labels[row];
                _strengths[k] = strengths[start + k];
            }

            Worker.Run(_clean, _labels, _strengths, rows, new Random(SeedMixer.Derive(seed, batch)), _adversarial);
            _model.ComputeOutputs(_adversarial, rows, _scores);
            PerturbationNorm? norm = _attack.Norm;
            for (int k = 0; k < rows; k++)
            {
                ReadOnlySpan<float> scores = _scores.AsSpan(k * c, c);
                int predicted = ModelPredictions.PredictedClass(scores);
                result.Fooled[start + k] = _owner._goal.IsAchieved(scores, _labels[k]);
                result.Predictions[start + k] = predicted;
                scores.CopyTo(result.Outputs.AsSpan((start + k) * c, c));
                ReadOnlySpan<float> x = _clean.AsSpan(k * d, d);
                ReadOnlySpan<float> adversarial = _adversarial.AsSpan(k * d, d);
                double distance = (norm ?? PerturbationNorm.L2).Distance(adversarial, x);
                result.Norms[start + k] = (float)distance;
                if (result.Inputs is { } inputs) adversarial.CopyTo(inputs.AsSpan((start + k) * d, d));
                double violation = 0;
                if (norm is not null)
                {
                    // Float rounding of the projection: allow one part in 10^5 of the radius (plus 1e-6 absolute).
                    double excess = distance - _strengths[k];
                    if (excess > 1e-5 * _strengths[k] + 1e-6) violation = excess;
                }

                if (_attack.ClipsToBounds && !_owner._bounds.Contains(adversarial)) violation = Math.Max(violation, double.Epsilon);
                if (_owner._fixedFeatures is { } fixedFeatures)
                {
                    for (int j = 0; j < d; j++)
                    {
                        if (fixedFeatures[j] && adversarial[j] != x[j]) violation = Math.Max(violation, Math.Abs(adversarial[j] - x[j]));
                    }
                }

                if (violation > 0 || double.IsNaN(violation))
                {
                    Outside++;
                    MaxViolation = Math.Max(MaxViolation, violation);
                }
            }
        }
    }
}
