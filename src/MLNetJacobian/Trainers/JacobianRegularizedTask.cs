namespace MLNetJacobian.Trainers;

/// <summary>The prediction task of a Jacobian-regularized network, which fixes its head, loss and output columns.</summary>
public enum JacobianRegularizedTask
{
    /// <summary>C &gt;= 2 logits, softmax cross-entropy; Score (probabilities) and PredictedLabel (key).</summary>
    MulticlassClassification,

    /// <summary>One logit, sigmoid log-loss; Score (the logit), Probability (its sigmoid) and PredictedLabel (Boolean).</summary>
    BinaryClassification,

    /// <summary>One output, squared error or Huber loss; Score (the prediction, in the label's units).</summary>
    Regression,
}
