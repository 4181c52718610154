using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;

namespace Fabric.Core.Protocol;

/// <summary>A storage pool of the node, as its agent must serve it.</summary>
public sealed record DesiredPool(string Name, ProviderKind Kind, ImmutableSortedDictionary<string, string> Props)
{
    public bool SameAs(DesiredPool other) =>
        Name == other.Name && Kind == other.Kind && Props.Count == other.Props.Count && !Props.Except(other.Props).Any();
}

/// <summary>One volume of a replica: its net size (KiB) and, once allocated, its DRBD minor.</summary>
public sealed record DesiredVolume(int VolumeNumber, long SizeKiB, int? Minor);

/// <summary>Another replica of the same resource (for the DRBD layer's connections).</summary>
/// <param name="Address">The IP address of the peer node's default net interface (DRBD connects to it).</param>
/// <param name="TieBreaker">The peer is a diskless tiebreaker (replica flag TIE_BREAKER), not a DRBD client.</param>
public sealed record DesiredPeer(string NodeName, int NodeId, int? Port, bool Diskless, string? Address = null, bool TieBreaker = false);

/// <summary>
/// What the DRBD layer of a replica needs beyond numbers: the definition's shared secret, peer
/// slots and transport, this node's address, and every <c>DrbdOptions/*</c> prop in force (replica
/// over definition over group over node over controller; the first one found wins).
/// </summary>
public sealed record DesiredDrbd(string Secret, int PeerSlots, string TransportType, string? LocalAddress, ImmutableSortedDictionary<string, string> Options)
{
    public bool SameAs(DesiredDrbd other) =>
        Secret == other.Secret && PeerSlots == other.PeerSlots && TransportType == other.TransportType && LocalAddress == other.LocalAddress
        && Options.Count == other.Options.Count && !Options.Except(other.Options).Any();
}

/// <summary>
/// One replica the node must host. Its volumes are those whose numbers are complete (a volume
/// still waiting for its minor is left out until the operation finishes).
/// </summary>
public sealed record DesiredResource(
    string Name,
    Guid DefinitionUuid,
    Guid ReplicaUuid,
    string StoragePool,
    bool Diskless,
    long Flags,
    int NodeId,
    int? Port,
    ImmutableList<string> LayerStack,
    ImmutableList<DesiredVolume> Volumes,
    ImmutableList<DesiredPeer> Peers,
    DesiredDrbd? Drbd = null)
{
    /// <summary>True when DRBD is in the replica's layer stack.</summary>
    public bool HasDrbd => LayerStack.Any(l => string.Equals(l, "DRBD", StringComparison.OrdinalIgnoreCase));

    /// <summary>Structural equality (records compare lists by reference).</summary>
    public bool SameAs(DesiredResource other) =>
        Name == other.Name && DefinitionUuid == other.DefinitionUuid && ReplicaUuid == other.ReplicaUuid
        && StoragePool == other.StoragePool && Diskless == other.Diskless && Flags == other.Flags
        && NodeId == other.NodeId && Port == other.Port
        && LayerStack.SequenceEqual(other.LayerStack) && Volumes.SequenceEqual(other.Volumes) && Peers.SequenceEqual(other.Peers)
        && (Drbd is null ? other.Drbd is null : other.Drbd is not null && Drbd.SameAs(other.Drbd));
}

/// <summary>Everything one node agent must make true on its host. Keys are upper-case names.</summary>
public sealed record NodeDesiredState(
    string NodeName,
    ImmutableSortedDictionary<string, DesiredPool> Pools,
    ImmutableSortedDictionary<string, DesiredResource> Resources)
{
    public static NodeDesiredState Empty(string nodeName) => new(
        nodeName,
        ImmutableSortedDictionary<string, DesiredPool>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, DesiredResource>.Empty.WithComparers(StringComparer.Ordinal));
}

/// <summary>What changed between two desired states of one node.</summary>
public sealed record DesiredChange(
    ImmutableList<DesiredPool> PoolUpserts,
    ImmutableList<string> PoolRemovals,
    ImmutableList<DesiredResource> ResourceUpserts,
    ImmutableList<string> ResourceRemovals)
{
    public static readonly DesiredChange None = new([], [], [], []);

    public bool IsEmpty => PoolUpserts.IsEmpty && PoolRemovals.IsEmpty && ResourceUpserts.IsEmpty && ResourceRemovals.IsEmpty;

    public int Count => PoolUpserts.Count + PoolRemovals.Count + ResourceUpserts.Count + ResourceRemovals.Count;
}
