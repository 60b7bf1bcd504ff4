namespace MLNetJacobian.Analysis;

/// <summary>The Jacobian statistics of one example of a data set.</summary>
/// <param name="Index">The row index in the analyzed data.</param>
/// <param name="Label">The true class index, when the data has labels.</param>
/// <param name="PredictedClass">The class the model predicts (arg-max of the outputs; for one output, output &gt; 0).</param>
/// <param name="Statistics">The statistics of the Jacobian at this example.</param>
public sealed record ExampleJacobianStatistics(int Index, int? Label, int PredictedClass, JacobianStatistics Statistics);
