namespace MLNetJacobian.Training;

/// <summary>The argument checks shared by the optimizers and their option records; messages carry the value.</summary>
internal static class OptimizerArguments
{
    public static void ValidateMomentum(double momentum, string name)
    {
        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(name, momentum, "The momentum must be in [0, 1).");
        }
    }

    public static void ValidateWeightDecay(double weightDecay, string name)
    {
        if (!(weightDecay >= 0 && double.IsFinite(weightDecay)))
        {
            throw new ArgumentOutOfRangeException(name, weightDecay, "The weight decay must be finite and at least 0.");
        }
    }

    public static void ValidateBeta(double beta, string name)
    {
        if (!(beta >= 0 && beta < 1))
        {
            throw new ArgumentOutOfRangeException(name, beta, "An Adam moment decay (beta) must be in [0, 1).");
        }
    }

    public static void ValidateEpsilon(double epsilon, string name)
    {
        if (!(epsilon > 0 && double.IsFinite(epsilon)))
        {
            throw new ArgumentOutOfRangeException(name, epsilon, "The Adam epsilon must be finite and greater than 0.");
        }
    }

    public static void ValidateLearningRate(double learningRate, string name)
    {
        if (!(learningRate >= 0 && double.IsFinite(learningRate)))
        {
            throw new ArgumentOutOfRangeException(name, learningRate, "The learning rate must be finite and at least 0.");
        }
    }

    public static void ValidateLengths(int parameterLength, int gradientLength, int stateLength)
    {
        if (gradientLength != parameterLength)
        {
            throw new ArgumentException(
                $"The gradient has {gradientLength} values but the parameter buffer has {parameterLength}.", "gradient");
        }

        if (stateLength != 0 && stateLength != parameterLength)
        {
            throw new ArgumentException(
                $"This optimizer's state was sized for {stateLength} parameters but the buffer has {parameterLength}; " +
                "call Reset() or use one optimizer per parameter buffer.", "parameters");
        }
    }
}
