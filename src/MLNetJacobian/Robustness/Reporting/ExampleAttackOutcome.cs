namespace MLNetJacobian.Robustness;

/// <summary>What one attack at one strength did to one example.</summary>
/// <param name="Attack">The attack's name (<see cref="Attack.Name"/>, which encodes its settings).</param>
/// <param name="Strength">Epsilon, or the noise's sigma.</param>
/// <param name="Fooled">Whether the adversarial input is misclassified.</param>
/// <param name="PerturbationNorm">The distance of the adversarial input from the clean one, in <paramref name="Norm"/>.</param>
/// <param name="Norm">The norm of <paramref name="PerturbationNorm"/>: the attack's, or L2 for noise without a ball.</param>
/// <param name="AdversarialPrediction">The predicted class of the adversarial input.</param>
/// <param name="AdversarialInput">The adversarial input, <c>[D]</c>, when <see cref="PerturbationOptions.IncludeAdversarialInputs"/> is set; else null.</param>
public sealed record ExampleAttackOutcome(string Attack, float Strength, bool Fooled, double PerturbationNorm, string Norm, int AdversarialPrediction,
    IReadOnlyList<float>? AdversarialInput);
