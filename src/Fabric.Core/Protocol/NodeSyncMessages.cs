using System.Collections.Immutable;
using Akka.Actor;
using Fabric.Core.Serialization;

namespace Fabric.Core.Protocol;

// The desired-state protocol between a node agent and its node's sync entity (sharded by node key
// on the controllers). Desired state flows down as numbered generations within a session: a full
// one (in parts) when a session starts, deltas after. A session starts whenever the sync entity
// (re)starts or the agent asks for one; the agent accepts a delta only for its current session and
// the next generation, so nothing is applied twice or out of order.

/// <summary>
/// Sent by the agent to its node's sync entity every heartbeat: registers the agent (the first
/// ping is its hello) and tells which session and generation it holds. A sync entity that holds
/// another session (it was restarted or moved) answers with a new full generation.
/// </summary>
/// <param name="MinOffset">The highest journal offset of any desired state the agent applied; a
/// controller whose read model is behind it must not serve a full generation yet.</param>
public sealed record AgentSyncPing(string NodeName, Guid Incarnation, IActorRef Agent, Guid Session, long Generation, long MinOffset) : IWireMessage;

/// <summary>
/// One part of a full generation. The agent replaces its whole desired state once it holds all
/// <paramref name="Parts"/> parts of the generation.
/// </summary>
/// <param name="JournalOffset">The read model's journal offset the state was built at.</param>
public sealed record DesiredFullPart(
    string NodeName,
    Guid Session,
    long Generation,
    long JournalOffset,
    int Part,
    int Parts,
    ImmutableList<DesiredPool> Pools,
    ImmutableList<DesiredResource> Resources) : IWireMessage;

/// <summary>The changes since the previous generation of the same session.</summary>
public sealed record DesiredDelta(string NodeName, Guid Session, long Generation, long JournalOffset, DesiredChange Change) : IWireMessage;

/// <summary>The agent cannot apply what it got (a gap, or a state older than what it applied) and asks for a new full generation.</summary>
public sealed record ResyncRequest(string NodeName, Guid Incarnation, Guid Session, long Generation, long MinOffset, string Reason) : IWireMessage;

/// <summary>The agent's answer after reconciling resources: applied or failed, per resource, for a generation.</summary>
public sealed record ResourcesApplied(string NodeName, Guid Incarnation, Guid Session, long Generation, ImmutableList<ResourceOutcome> Outcomes) : IWireMessage;

public sealed record ResourceOutcome(string ResourceName, bool Success, string? Message);

/// <summary>Asks an online agent whether it can serve a pool (before the pool is created); answered with <see cref="PoolCheckResult"/>.</summary>
public sealed record PoolCheck(string NodeName, DesiredPool Pool) : IWireMessage;

/// <summary>The answer to <see cref="PoolCheck"/>: the capacity when usable, else a LINSTOR-style error text.</summary>
public sealed record PoolCheckResult(bool Usable, PoolCapacity? Capacity, string? Message, string? Cause, string? Correction) : IWireMessage;
