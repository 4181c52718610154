using System.Collections.Immutable;

namespace Fabric.Core.Properties;

/// <summary>One level of the property hierarchy: where the props come from and what they say.</summary>
/// <param name="Type">LINSTOR's object type name for this level, e.g. <see cref="EffectiveProps.Resource"/>.</param>
/// <param name="Description">Which object it is, for humans (LINSTOR's <c>descr</c>).</param>
public sealed record PropsLevel(string Type, string Description, IReadOnlyDictionary<string, string> Props);

/// <summary>A value as found on one level.</summary>
public sealed record PropSource(string Type, string Value, string Description);

/// <summary>The value in force for a key, and the values it overrides on lower levels (highest first).</summary>
public sealed record EffectiveProp(PropSource Active, ImmutableList<PropSource> Overridden);

/// <summary>
/// LINSTOR's PriorityProps as a pure function: the first level that sets a key wins. Levels are
/// given highest priority first; for a resource that is resource, resource definition, resource
/// group, node, controller (linstor-features.md §2.10).
/// </summary>
public static class EffectiveProps
{
    // The type names LINSTOR 1.34 writes into effective_props (EffectivePropertiesPojo keeps the
    // old names of resource, definition, node and storage pool for its clients; the rest are enum names).
    public const string Resource = "RESOURCE";
    public const string ResourceDefinition = "RESOURCE_DEFINITION";
    public const string ResourceGroup = "RSC_GRP";
    public const string Node = "NODE";
    public const string Controller = "CTRL";

    public static ImmutableSortedDictionary<string, EffectiveProp> Resolve(IEnumerable<PropsLevel> levelsByPriority)
    {
        ArgumentNullException.ThrowIfNull(levelsByPriority);
        var found = new SortedDictionary<string, List<PropSource>>(StringComparer.Ordinal);
        foreach (var level in levelsByPriority)
        {
            foreach (var (key, value) in level.Props)
            {
                if (!found.TryGetValue(key, out var sources))
                {
                    found[key] = sources = [];
                }
                sources.Add(new PropSource(level.Type, value, level.Description));
            }
        }
        return found.ToImmutableSortedDictionary(
            kv => kv.Key,
            kv => new EffectiveProp(kv.Value[0], kv.Value.Skip(1).ToImmutableList()),
            StringComparer.Ordinal);
    }

    /// <summary>The winning value of one key, or null when no level sets it.</summary>
    public static string? Lookup(string key, params IReadOnlyDictionary<string, string>?[] propsByPriority) =>
        propsByPriority.Select(p => p is not null && p.TryGetValue(key, out var v) ? v : null).FirstOrDefault(v => v is not null);
}
