using System.Collections.Immutable;
using Fabric.Core.Allocation;
using Fabric.Core.Quorum;
using Fabric.Core.Serialization;

namespace Fabric.Core.Aggregates.Resources;

/// <param name="RequestedMinor">A minor the user asked for; the allocator reserves it if free.</param>
public sealed record VolumeDefinition(int VolumeNumber, Guid Uuid, long SizeKiB, ImmutableSortedDictionary<string, string> Props, ImmutableList<string> Flags, int? Minor, int? RequestedMinor = null);

/// <summary>A replica of the resource on one node (LINSTOR's "resource").</summary>
public sealed record Replica(
    string NodeName,
    Guid Uuid,
    int NodeId,
    long Flags,
    string StoragePool,
    ImmutableSortedDictionary<string, string> Props,
    long CreatedAtMs,
    int? Port,
    ImmutableSortedDictionary<int, ImmutableSortedDictionary<string, string>> VolumeProps,
    int? RequestedPort = null)
{
    public bool IsDiskless => ResourceFlags.Has(Flags, ResourceFlags.Diskless);

    public bool IsTieBreaker => ResourceFlags.Has(Flags, ResourceFlags.TieBreaker);
}

/// <summary>A number the resource still has to give back to an allocator.</summary>
public sealed record PendingRelease(string Allocator, string Owner);

/// <summary>Where numbers come from: the ranges in force when the operation started.</summary>
public sealed record AllocationPolicy(NumberRange Minors, NumberRange DefaultPorts, ImmutableSortedDictionary<string, NumberRange> PortsByNode)
{
    public static readonly AllocationPolicy Default = new(NumberPools.DefaultMinors, NumberPools.DefaultTcpPorts, ImmutableSortedDictionary<string, NumberRange>.Empty);

    public NumberRange PortsOn(string nodeKey) => PortsByNode.TryGetValue(nodeKey, out var r) ? r : DefaultPorts;
}

/// <summary>
/// A change that needs numbers from allocators (spawn, new replicas, new volumes). It is recorded
/// before any number is requested; until it completes the entity finishes it (after a crash too)
/// or, if an allocator refuses, undoes exactly what it added.
/// </summary>
public sealed record ResourceOperation(
    Guid Id,
    string Description,
    AllocationPolicy Allocation,
    QuorumPolicy Quorum,
    bool CreatedDefinition,
    ImmutableList<string> AddedNodes,
    ImmutableList<int> AddedVolumes);

/// <summary>A resource definition with its volume definitions and replicas: one entity.</summary>
[Durable("resource-definition-state.v1")]
public sealed record ResourceDefinitionState(
    string Key,
    bool Exists,
    string Name,
    Guid Uuid,
    string? ExternalName,
    string ResourceGroup,
    ImmutableList<string> LayerStack,
    ImmutableSortedDictionary<string, string> Props,
    int PeerSlots,
    string Secret,
    string TransportType,
    long CreatedAtMs,
    ImmutableSortedDictionary<int, VolumeDefinition> VolumeDefinitions,
    ImmutableSortedDictionary<string, Replica> Replicas,
    ResourceOperation? Operation,
    ImmutableList<PendingRelease> PendingReleases) : IDurable
{
    public static ResourceDefinitionState Absent(string key) => new(
        key,
        false,
        key,
        Guid.Empty,
        null,
        ResourceGroups.ResourceGroupState.DefaultName,
        Layers.DefaultStack,
        Fabric.Core.Properties.Props.Empty,
        NumberPools.DefaultPeerSlots,
        string.Empty,
        "IP",
        0,
        ImmutableSortedDictionary<int, VolumeDefinition>.Empty,
        ImmutableSortedDictionary<string, Replica>.Empty.WithComparers(StringComparer.Ordinal),
        null,
        ImmutableList<PendingRelease>.Empty);

    /// <summary>True while numbers are still to be taken or given back.</summary>
    public bool HasWork => Operation is not null || !PendingReleases.IsEmpty;

    /// <summary>Allocator owner of a volume's minor: unique per incarnation of the definition.</summary>
    public string MinorOwner(int volumeNumber) => $"{Key}/{volumeNumber}#{Uuid:N}";

    /// <summary>Allocator owner of this resource's TCP port on a node.</summary>
    public string PortOwner() => $"{Key}#{Uuid:N}";

    /// <summary>Giving back a volume's minor (harmless when the allocator holds none for it).</summary>
    public PendingRelease MinorRelease(int volumeNumber) => new(Allocators.AllocatorAggregate.MinorPool, MinorOwner(volumeNumber));

    /// <summary>Giving back this resource's TCP port on a node (harmless when the allocator holds none for it).</summary>
    public PendingRelease PortRelease(string nodeKey) => new(Allocators.AllocatorAggregate.TcpPortPool(nodeKey), PortOwner());

    /// <summary>The lowest DRBD node id no replica uses, or null when all 32 are taken.</summary>
    public int? FreeNodeId()
    {
        var used = Replicas.Values.Select(r => r.NodeId).ToHashSet();
        return NumberPools.FirstFree(NumberPools.NodeIds, used.Contains);
    }
}
