using System.Collections.Immutable;
using Akka.Actor;
using Fabric.Core.Serialization;

namespace Fabric.Core.Protocol;

/// <summary>Why the agent could not make a resource or volume match: shown in REST as a report, retried with back-off.</summary>
/// <param name="ErrorReportId">The error report (LINSTOR format) holding the details.</param>
/// <param name="NextRetryMs">The agent's clock when it retries, or null when it will not retry on its own.</param>
public sealed record ObservedError(string Message, string? Cause, string? Correction, string? ErrorReportId, int Attempts, long SinceMs, long? NextRetryMs);

/// <summary>A volume as the agent sees it on its host.</summary>
/// <param name="DiskState">UpToDate (in place), Diskless, Creating (not there yet), Failed.</param>
public sealed record ObservedVolume(int VolumeNumber, string? DevicePath, long UsableKiB, long AllocatedKiB, string DiskState, ObservedError? Error);

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
    long UpdatedAtMs);

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
