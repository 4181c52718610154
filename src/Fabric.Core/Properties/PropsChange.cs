using System.Collections.Immutable;

namespace Fabric.Core.Properties;

/// <summary>LINSTOR's property modification: override_props, delete_props, delete_namespaces.</summary>
public sealed record PropsChange(
    ImmutableSortedDictionary<string, string> Override,
    ImmutableList<string> Delete,
    ImmutableList<string> DeleteNamespaces)
{
    public static readonly PropsChange None = new(
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableList<string>.Empty,
        ImmutableList<string>.Empty);

    public bool IsEmpty => Override.IsEmpty && Delete.IsEmpty && DeleteNamespaces.IsEmpty;

    public static PropsChange Of(IReadOnlyDictionary<string, string>? overrides, IEnumerable<string>? delete = null, IEnumerable<string>? deleteNamespaces = null) =>
        new(
            (overrides ?? new Dictionary<string, string>()).ToImmutableSortedDictionary(StringComparer.Ordinal),
            (delete ?? []).ToImmutableList(),
            (deleteNamespaces ?? []).ToImmutableList());
}
