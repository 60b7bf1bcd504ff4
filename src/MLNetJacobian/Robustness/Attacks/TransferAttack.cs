using MLNetJacobian.Models;

namespace MLNetJacobian.Robustness;

/// <summary>
/// A transfer attack: adversarial inputs crafted by a gradient attack on a differentiable surrogate model, then
/// scored on the attacked model. Needs nothing from the attacked model but its scores, so it also attacks trees.
/// </summary>
public sealed class TransferAttack : Attack
{
    /// <summary>Creates the attack.</summary>
    /// <param name="surrogate">The model the adversarial inputs are crafted on (same features as the attacked model).</param>
    /// <param name="craftingAttack">The attack run on the surrogate (its norm is this attack's norm).</param>
    public TransferAttack(IDifferentiableModel surrogate, Attack craftingAttack)
    {
        ArgumentNullException.ThrowIfNull(surrogate);
        ArgumentNullException.ThrowIfNull(craftingAttack);
        Surrogate = surrogate;
        CraftingAttack = craftingAttack;
        Strengths = craftingAttack.Strengths;
        RelativeStrengths = craftingAttack.RelativeStrengths;
    }

    /// <summary>The model the adversarial inputs are crafted on.</summary>
    public IDifferentiableModel Surrogate { get; }

    /// <summary>The attack run on the surrogate.</summary>
    public Attack CraftingAttack { get; }

    /// <inheritdoc />
    public override string Name => $"Transfer {CraftingAttack.Name} from {Surrogate.Description}";

    /// <inheritdoc />
    public override PerturbationNorm? Norm => CraftingAttack.Norm;

    /// <inheritdoc />
    public override AttackKind Kind => AttackKind.Transfer;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Settings
    {
        get
        {
            var settings = new Dictionary<string, string> { ["surrogate"] = Surrogate.Description };
            foreach (var (key, value) in CraftingAttack.Settings) settings["crafting_" + key] = value;
            return settings;
        }
    }

    /// <inheritdoc />
    public override AttackWorker CreateWorker(IModel model, InputBounds bounds, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.FeatureCount != Surrogate.FeatureCount || model.OutputCount != Surrogate.OutputCount)
        {
            throw new ArgumentException(
                $"The surrogate has {Surrogate.FeatureCount} features and {Surrogate.OutputCount} classes; the attacked model has {model.FeatureCount} and {model.OutputCount}.",
                nameof(model));
        }

        return new Worker(this, model, bounds, maxRows);
    }

    private sealed class Worker : AttackWorker
    {
        private readonly AttackWorker _crafting;

        public Worker(TransferAttack attack, IModel model, InputBounds bounds, int maxRows)
            : base(model, bounds, attack.Norm, maxRows)
        {
            _crafting = attack.CraftingAttack.CreateWorker(attack.Surrogate.CreateThreadInstance(), bounds, maxRows);
        }

        internal override void Configure(AttackGoal goal, bool[]? fixedFeatures)
        {
            base.Configure(goal, fixedFeatures);
            _crafting.Configure(goal, fixedFeatures);
        }

        protected override void Perturb(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, ReadOnlySpan<float> strengths, int rows, Random random, Span<float> adversarial) =>
            _crafting.Run(features, labels, strengths, rows, random, adversarial);
    }
}
