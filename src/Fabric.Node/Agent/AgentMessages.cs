using System.Collections.Immutable;
using Fabric.Core.Protocol;
using Fabric.Node.Reconcile;

namespace Fabric.Node.Agent;

/// <summary>
/// Parent → resource actor: the desired replica (null: remove it) for a generation. When
/// <paramref name="Observed"/> is set it replaces what the resource actor knows about its volumes
/// (after a bulk listing); null keeps its knowledge.
/// </summary>
internal sealed record Desire(
    DesiredResource? Desired,
    ImmutableSortedDictionary<string, DesiredPool> Pools,
    Guid Session,
    long Generation,
    IReadOnlyList<VolumeObservation>? Observed);

/// <summary>Resource actor → parent after every attempt: what it observes now. <paramref name="Observed"/> null: the resource is gone from this node.</summary>
internal sealed record ResourceReport(
    string Key,
    ObservedResource? Observed,
    ResourceOutcome Outcome,
    AgentErrorReport? NewErrorReport,
    bool Mutated,
    Guid Session,
    long Generation);

/// <summary>
/// Parent → resource actor: the node's DRBD driver (null when it could not be opened, with the
/// reason) and this resource's state as the driver last reported it (null: the kernel does not
/// know it). <paramref name="HasInitialState"/> is false until the driver's first state dump arrived.
/// </summary>
internal sealed record DrbdUpdate(Fabric.Node.Drbd.DrbdDriver? Driver, string? Unavailable, Fabric.Node.Drbd.State.DrbdObservedResource? Observed, bool HasInitialState);
