using System.Reflection;
using Spectre.Console.Cli;

namespace MLNetJacobian.Cli.Infrastructure;

/// <summary>
/// Resolves registered services (the last registration of a type, or all of them for <c>IEnumerable&lt;T&gt;</c>),
/// and constructs unregistered classes (commands, settings) by constructor injection.
/// </summary>
internal sealed class TypeResolver(IReadOnlyDictionary<Type, IReadOnlyList<Func<TypeResolver, object>>> factories) : ITypeResolver
{
    public object? Resolve(Type? type)
    {
        if (type is null) return null;
        if (factories.TryGetValue(type, out IReadOnlyList<Func<TypeResolver, object>>? registered)) return registered[^1](this);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>))
        {
            Type item = type.GetGenericArguments()[0];
            IReadOnlyList<Func<TypeResolver, object>> all = factories.TryGetValue(item, out var list) ? list : [];
            var array = Array.CreateInstance(item, all.Count);
            for (int i = 0; i < all.Count; i++) array.SetValue(all[i](this), i);
            return array;
        }

        return type.IsAbstract || type.IsInterface ? null : Construct(type);
    }

    /// <summary>Calls the public constructor with the most parameters, resolving each parameter.</summary>
    public object Construct(Type type)
    {
        ConstructorInfo constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault()
            ?? throw new InvalidOperationException($"{type.FullName} has no public constructor.");
        object?[] arguments = constructor.GetParameters()
            .Select(p => Resolve(p.ParameterType) ?? throw new InvalidOperationException($"Cannot resolve {p.ParameterType.Name} for {type.Name}."))
            .ToArray();
        return constructor.Invoke(arguments);
    }
}
