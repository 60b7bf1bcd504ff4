using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Cli.Commands;

/// <summary>
/// A setting whose default is the default of an option of <see cref="JacobianRegularizedTrainer.Options"/> (read from a
/// fresh instance, so the tool never restates it): shown by <c>--help</c> and set before the command line is parsed.
/// </summary>
/// <param name="option">The name of the option in <see cref="JacobianRegularizedTrainer.Options"/>.</param>
[AttributeUsage(AttributeTargets.Property)]
internal class TrainerDefaultAttribute(string option) : DefaultValueAttribute((object?)null)
{
    private static readonly JacobianRegularizedTrainer.Options Defaults = new();

    /// <summary>The option's name.</summary>
    public string Option { get; } = option;

    /// <summary>The setting is a flag that turns the (boolean) option off: its default is the option's negation.</summary>
    public bool Negated { get; init; }

    /// <summary>A composite format with one placeholder for settings whose text holds the default among other values.</summary>
    public string? Format { get; init; }

    /// <summary>The option's default in the setting's form: lists comma-separated, negated flags negated, formatted text.</summary>
    public override object? Value
    {
        get
        {
            object? value = OptionProperty(Option).GetValue(Defaults);
            if (Negated) value = !(bool)value!;
            if (value is Array list) value = string.Join(",", list.Cast<IFormattable>().Select(v => v.ToString(null, CultureInfo.InvariantCulture)));
            return Format is null ? value : string.Format(CultureInfo.InvariantCulture, Format, value);
        }
    }

    /// <summary>The option's property.</summary>
    /// <exception cref="InvalidOperationException">No option has that name (a mistake in the tool, caught by its tests).</exception>
    public static PropertyInfo OptionProperty(string option) =>
        typeof(JacobianRegularizedTrainer.Options).GetProperty(option)
        ?? throw new InvalidOperationException($"JacobianRegularizedTrainer.Options has no option '{option}'.");

    /// <summary>Sets every property of <paramref name="settings"/> marked with this attribute to its default.</summary>
    public static void ApplyDefaults(object settings)
    {
        foreach ((PropertyInfo property, TrainerDefaultAttribute attribute) in Marked(settings.GetType()))
        {
            property.SetValue(settings, attribute.Value);
        }
    }

    /// <summary>The properties of <paramref name="type"/> marked with this attribute (or a subclass).</summary>
    public static IEnumerable<(PropertyInfo Property, TrainerDefaultAttribute Attribute)> Marked(Type type) =>
        type.GetProperties().Select(p => (p, p.GetCustomAttribute<TrainerDefaultAttribute>())).Where(m => m.Item2 is not null)!;
}

/// <summary>
/// A setting bound to an option of <see cref="JacobianRegularizedTrainer.Options"/>: its default is the option's, its
/// value is copied into the option (lists parsed, negated flags negated), and the option's validation speaks for it.
/// </summary>
/// <param name="option">The name of the option in <see cref="JacobianRegularizedTrainer.Options"/>.</param>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class TrainerOptionAttribute(string option) : TrainerDefaultAttribute(option);
