using System.Collections.Immutable;
using Akka.Actor;
using Fabric.Core.Serialization;

namespace Fabric.Core.Protocol;

/// <summary>Why the agent could not make a resource or volume match: shown in REST as a report, retried with back-off.</summary>
/// <param name="ErrorReportId">The error report (LINSTOR format) holding the details.</param>
/// <param name="NextRetryMs">The agent's clock when it retries, or null when it will not retry on its own.</param>
public sealed record ObservedError(string Message, string? Cause, string? Correction, string? ErrorReportId, int Attempts, long SinceMs, long? NextRetryMs);

/// <summary>A volume as the agent sees it on its host.</summary>
/// <param name="DiskState">Storage only: UpToDate (in place), Diskless, Creating (not there yet), Failed.
/// With DRBD in the stack: DRBD's local disk state (UpToDate, Inconsistent, Outdated, Diskless, ...), or Creating/Failed
/// while the layer is not up.</param>
/// <param name="Replication">With DRBD: the replication towards each peer, by peer node name.</param>
/// <param name="Quorum">With DRBD 9: whether this volume has quorum.</param>
/// <param name="BackingDevice">With DRBD: the storage layer's device under the DRBD device (<paramref name="DevicePath"/> is then
/// /dev/drbdN and <paramref name="UsableKiB"/> the DRBD device's size).</param>
/// <param name="BackingUsableKiB">With DRBD: the backing device's size (usable size plus DRBD's meta-data).</param>
public sealed record ObservedVolume(
    int VolumeNumber,
    string? DevicePath,
    long UsableKiB,
    long AllocatedKiB,
    string DiskState,
    ObservedError? Error,
    ImmutableList<ObservedReplication>? Replication = null,
    bool? Quorum = null,
    string? BackingDevice = null,
    long? BackingUsableKiB = null);

/// <summary>One volume's replication towards one peer (LINSTOR's <c>replication_states</c> entry).</summary>
/// <param name="DonePercent">Resync progress while a resync runs, else null.</param>
public sealed record ObservedReplication(string PeerNode, string ReplicationState, string PeerDiskState, double? DonePercent);

/// <summary>One DRBD connection of a replica (LINSTOR's <c>DrbdConnection</c>).</summary>
public sealed record ObservedDrbdConnection(string PeerNode, string State, string PeerRole)
{
    public bool Connected => State == "Connected";
}

/// <summary>
/// The DRBD layer of a replica as the node's driver shows it: role, suspension, promotion, connections.
/// <paramref name="PromotionRefusal"/> says why the replica may not be promoted now (no quorum, no UpToDate data, another Primary).
/// </summary>
public sealed record ObservedDrbd(
    string Role,
    bool InUse,
    string? Suspended,
    int PromotionScore,
    bool MayPromote,
    string? PromotionRefusal,
    ImmutableList<ObservedDrbdConnection> Connections,
    string DriverVersion);

/// <summary>A replica as the agent sees it: in place for a generation, or failing.</summary>
/// <param name="AppliedGeneration">The desired generation this observation answers.</param>
/// <param name="InPlace">True when every volume matches the desired state.</param>
public sealed record ObservedResource(
    string Name,
    Guid DefinitionUuid,
    Guid Session,
    long AppliedGeneration,
    bool InPlace,
    ImmutableList<ObservedVolume> Volumes,
    ObservedError? Error,
    long UpdatedAtMs,
    ObservedDrbd? Drbd = null);

/// <summary>An error report (LINSTOR's /v1/error-reports entry) raised by a node agent.</summary>
public sealed record AgentErrorReport(string Id, string NodeName, long TimeMs, string Message, string? Cause, string? Correction, string? Details);

/// <summary>
/// Observed state of one node's resources, published by its agent on <see cref="NodeStatusTopic.Name"/>.
/// A delta applies on top of <paramref name="BaseVersion"/> of the same incarnation; a full set
/// (<paramref name="IsFull"/>, sent to one controller that asked with <see cref="ObservationsRequest"/>)
/// replaces everything the controller holds for the node.
/// </summary>
public sealed record NodeObservations(
    string NodeName,
    Guid Incarnation,
    long Version,
    long BaseVersion,
    bool IsFull,
    ImmutableList<ObservedResource> Upserts,
    ImmutableList<string> Removals,
    ImmutableList<AgentErrorReport> ErrorReports) : IWireMessage;

/// <summary>A controller that missed observations asks the agent for a full set, answered to <paramref name="ReplyTo"/>.</summary>
public sealed record ObservationsRequest(string NodeName, IActorRef ReplyTo) : IWireMessage;
