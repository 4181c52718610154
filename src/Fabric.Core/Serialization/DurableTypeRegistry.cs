using System.Collections.Immutable;
using System.Reflection;

namespace Fabric.Core.Serialization;

/// <summary>
/// Process-wide set of assemblies scanned for <see cref="IDurable"/> types. Fabric.Core is always included;
/// other assemblies that define durable types call <see cref="Register"/> once at start, before the actor
/// system reads or writes their events (e.g. <c>DurableTypeRegistry.Register(typeof(MyEvent).Assembly)</c>).
/// </summary>
public static class DurableTypeRegistry
{
    private static readonly Lock Gate = new();
    private static ImmutableHashSet<Assembly> assemblies = [typeof(IDurable).Assembly];
    private static volatile DurableTypeMap? current;

    /// <summary>The map for the assemblies registered so far; built on first use.</summary>
    /// <exception cref="InvalidOperationException">When a registered assembly holds an invalid durable type.</exception>
    public static DurableTypeMap Current
    {
        get
        {
            var map = current;
            if (map is not null)
                return map;
            lock (Gate)
                return current ??= DurableTypeMap.Build(assemblies);
        }
    }

    public static IReadOnlySet<Assembly> Assemblies => assemblies;

    /// <summary>
    /// Adds an assembly's durable types. Idempotent. The new map is validated before it replaces the old one:
    /// an invalid assembly throws here and leaves the registry unchanged.
    /// </summary>
    /// <exception cref="InvalidOperationException">Duplicate manifests, or durable types without a manifest.</exception>
    public static void Register(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        lock (Gate)
        {
            if (assemblies.Contains(assembly) && current is not null)
                return;
            var next = assemblies.Add(assembly);
            current = DurableTypeMap.Build(next);
            assemblies = next;
        }
    }
}
