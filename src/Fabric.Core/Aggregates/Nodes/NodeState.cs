using System.Collections.Immutable;
using Fabric.Core.Properties;
using Fabric.Core.Serialization;

namespace Fabric.Core.Aggregates.Nodes;

public sealed record NetInterface(string Name, string Address, int? SatellitePort, string? EncryptionType, bool IsActive, Guid Uuid);

public sealed record StoragePool(
    string Name,
    ProviderKind Kind,
    Guid Uuid,
    ImmutableSortedDictionary<string, string> Props,
    string? SharedSpace,
    bool ExternalLocking);

/// <summary>A node and what belongs to it. Keys of the maps are upper-case names; values keep display case.</summary>
[Durable("node-state.v1")]
public sealed record NodeState(
    string Key,
    bool Exists,
    string Name,
    NodeType Type,
    Guid Uuid,
    long CreatedAtMs,
    ImmutableSortedDictionary<string, string> Props,
    ImmutableSortedDictionary<string, NetInterface> NetInterfaces,
    ImmutableSortedDictionary<string, StoragePool> StoragePools) : IDurable
{
    public static NodeState Absent(string key) => new(
        key,
        false,
        key,
        NodeType.Satellite,
        Guid.Empty,
        0,
        Fabric.Core.Properties.Props.Empty,
        ImmutableSortedDictionary<string, NetInterface>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, StoragePool>.Empty.WithComparers(StringComparer.Ordinal));
}
