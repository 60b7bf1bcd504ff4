using Spectre.Console.Cli;

namespace MLNetJacobian.Cli.Infrastructure;

/// <summary>
/// A small dependency container for Spectre.Console.Cli: commands receive the console (and anything else
/// registered) through their constructors, so tests can run a command against a recording console.
/// </summary>
internal sealed class TypeRegistrar : ITypeRegistrar
{
    private readonly Dictionary<Type, List<Func<TypeResolver, object>>> _factories = [];

    public void Register(Type service, Type implementation) => Add(service, resolver => resolver.Construct(implementation));

    public void RegisterInstance(Type service, object implementation) => Add(service, _ => implementation);

    public void RegisterLazy(Type service, Func<object> factory)
    {
        var lazy = new Lazy<object>(factory);
        Add(service, _ => lazy.Value);
    }

    public ITypeResolver Build() => new TypeResolver(_factories.ToDictionary(p => p.Key, p => (IReadOnlyList<Func<TypeResolver, object>>)p.Value.ToList()));

    private void Add(Type service, Func<TypeResolver, object> factory)
    {
        if (!_factories.TryGetValue(service, out List<Func<TypeResolver, object>>? list)) _factories[service] = list = [];
        list.Add(factory);
    }
}
