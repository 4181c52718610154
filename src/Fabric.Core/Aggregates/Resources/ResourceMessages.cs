using System.Collections.Immutable;
using Fabric.Core.Api;
using Fabric.Core.Properties;
using Fabric.Core.Quorum;
using Fabric.Core.Serialization;

namespace Fabric.Core.Aggregates.Resources;

/// <summary>A diskless pool on a node that may host a tiebreaker, best first (chosen by the caller's placer).</summary>
public sealed record TiebreakerCandidate(string NodeName, string PoolName);

/// <summary>What decisions about replicas need from outside the entity, resolved from the read model by the caller.</summary>
public sealed record ResourcePolicy(AllocationPolicy Allocation, QuorumPolicy Quorum, ImmutableList<TiebreakerCandidate> TiebreakerCandidates)
{
    public static readonly ResourcePolicy Default = new(AllocationPolicy.Default, QuorumPolicy.Default, []);
}

public sealed record VolumeDefinitionSpec(int? VolumeNumber, long SizeKiB, ImmutableSortedDictionary<string, string> Props, ImmutableList<string> Flags, int? Minor = null);

/// <param name="Diskless">A DRBD diskless replica (DRBD_DISKLESS); <paramref name="StoragePool"/> is then a DISKLESS pool.</param>
public sealed record ReplicaSpec(string NodeName, string StoragePool, bool Diskless, ImmutableSortedDictionary<string, string> Props, int? NodeId = null, int? Port = null);

public interface IResourceCommand : IWireMessage;

/// <summary>Creates the definition, its volume definitions and (for spawn) its replicas in one operation.</summary>
public sealed record CreateResourceDefinition(
    string Name,
    string? ExternalName,
    string ResourceGroup,
    ImmutableList<string>? LayerStack,
    ImmutableSortedDictionary<string, string> Props,
    int? PeerSlots,
    string? Secret,
    string? TransportType,
    ImmutableList<VolumeDefinitionSpec> Volumes,
    ImmutableList<ReplicaSpec> Replicas,
    ResourcePolicy Policy) : IResourceCommand;

public sealed record ModifyResourceDefinition(PropsChange Props, int? PeerSlots, ImmutableList<string>? LayerStack, string? ResourceGroup, ResourcePolicy Policy) : IResourceCommand;

public sealed record DeleteResourceDefinition : IResourceCommand;

public sealed record CreateVolumeDefinitions(ImmutableList<VolumeDefinitionSpec> Volumes, ResourcePolicy Policy) : IResourceCommand;

public sealed record ModifyVolumeDefinition(int VolumeNumber, long? SizeKiB, PropsChange Props, ImmutableList<string> Flags) : IResourceCommand;

public sealed record DeleteVolumeDefinition(int VolumeNumber) : IResourceCommand;

/// <param name="ExistingIsOk">Make-available semantics: a replica already on a node is success, not an error.</param>
public sealed record AddReplicas(ImmutableList<ReplicaSpec> Replicas, ResourcePolicy Policy, bool ExistingIsOk = false) : IResourceCommand;

public sealed record ModifyReplica(string NodeName, PropsChange Props) : IResourceCommand;

public sealed record DeleteReplica(string NodeName, bool KeepTiebreaker, ResourcePolicy Policy) : IResourceCommand;

/// <summary>
/// LINSTOR's toggle-disk: turns one replica diskful (into a pool with storage on its node) or diskless
/// (DISKLESS + DRBD_DISKLESS, into a DISKLESS pool). The caller resolves the pool and its kind on the
/// node from the read model; the decider refuses what LINSTOR refuses and then re-runs auto-quorum and
/// the auto-tiebreaker as after any replica change.
/// </summary>
/// <param name="Diskful">True: give the replica a disk; false: take its disk away.</param>
/// <param name="StoragePool">The pool the replica moves to on its node.</param>
/// <param name="StoragePoolKind">That pool's kind on the node, or null when the node has no pool of that name.</param>
/// <param name="OnlineNodes">Keys of the nodes whose agents are online now: the last diskful replica on an online node keeps its disk.</param>
public sealed record ToggleDisk(string NodeName, bool Diskful, string StoragePool, Nodes.ProviderKind? StoragePoolKind, ImmutableList<string> OnlineNodes, ResourcePolicy Policy) : IResourceCommand;

public sealed record ModifyReplicaVolume(string NodeName, int VolumeNumber, PropsChange Props) : IResourceCommand;

/// <summary>Sent by the entity to itself: the numbers its allocators handed out or took back.</summary>
public sealed record RecordAllocations(Guid? OperationId, ImmutableList<int> MinorsFor, ImmutableList<int> Minors, ImmutableList<string> PortsFor, ImmutableList<int> Ports, ImmutableList<PendingRelease> Released) : IResourceCommand;

/// <summary>Sent by the entity to itself when an allocator refused: undo the operation.</summary>
public sealed record FailOperation(Guid OperationId, ApiCallRc Error) : IResourceCommand;

public interface IResourceEvent : IDurable;

[Durable("resource-definition-created.v1")]
public sealed record ResourceDefinitionCreated(
    string Name,
    Guid Uuid,
    string? ExternalName,
    string ResourceGroup,
    ImmutableList<string> LayerStack,
    ImmutableSortedDictionary<string, string> Props,
    int PeerSlots,
    string Secret,
    string TransportType,
    long CreatedAtMs) : IResourceEvent;

[Durable("resource-definition-modified.v1")]
public sealed record ResourceDefinitionModified(ImmutableList<string> LayerStack, int PeerSlots, string ResourceGroup) : IResourceEvent;

[Durable("resource-definition-props-changed.v1")]
public sealed record ResourceDefinitionPropsChanged(PropsChange Change) : IResourceEvent;

/// <summary>The definition is gone for clients; its numbers are still to be released.</summary>
[Durable("resource-definition-deleted.v1")]
public sealed record ResourceDefinitionDeleted(ImmutableList<PendingRelease> Releases) : IResourceEvent;

[Durable("volume-definition-created.v1")]
public sealed record VolumeDefinitionCreated(VolumeDefinition Volume) : IResourceEvent;

[Durable("volume-definition-modified.v1")]
public sealed record VolumeDefinitionModified(int VolumeNumber, long SizeKiB, ImmutableList<string> Flags, PropsChange Props) : IResourceEvent;

[Durable("volume-definition-deleted.v1")]
public sealed record VolumeDefinitionDeleted(int VolumeNumber, PendingRelease? Release) : IResourceEvent;

[Durable("replica-created.v1")]
public sealed record ReplicaCreated(Replica Replica) : IResourceEvent;

[Durable("replica-flags-changed.v1")]
public sealed record ReplicaFlagsChanged(string NodeKey, long Flags, string StoragePool) : IResourceEvent;

/// <summary>A replica was toggled diskful or diskless (toggle-disk): its new flags and storage pool.</summary>
[Durable("replica-disk-toggled.v1")]
public sealed record ReplicaDiskToggled(string NodeKey, long Flags, string StoragePool) : IResourceEvent;

[Durable("replica-props-changed.v1")]
public sealed record ReplicaPropsChanged(string NodeKey, PropsChange Change) : IResourceEvent;

[Durable("replica-volume-props-changed.v1")]
public sealed record ReplicaVolumePropsChanged(string NodeKey, int VolumeNumber, PropsChange Change) : IResourceEvent;

[Durable("replica-deleted.v1")]
public sealed record ReplicaDeleted(string NodeKey, PendingRelease? Release) : IResourceEvent;

[Durable("resource-operation-started.v1")]
public sealed record OperationStarted(ResourceOperation Operation) : IResourceEvent;

[Durable("minor-assigned.v1")]
public sealed record MinorAssigned(int VolumeNumber, int Minor) : IResourceEvent;

[Durable("port-assigned.v1")]
public sealed record PortAssigned(string NodeKey, int Port) : IResourceEvent;

[Durable("number-given-back.v1")]
public sealed record NumberGivenBack(PendingRelease Release) : IResourceEvent;

[Durable("resource-operation-completed.v1")]
public sealed record OperationCompleted(Guid OperationId) : IResourceEvent;

[Durable("resource-operation-failed.v1")]
public sealed record OperationFailed(Guid OperationId, string Reason) : IResourceEvent;
