using System.Collections.Immutable;
using Akka.Actor;

namespace Fabric.Core.Protocol;

/// <summary>What this controller currently believes about one node's agent. Transient, never journaled.</summary>
/// <param name="Online">True while reports arrive within the status timeout, no goodbye was received and the agent completed its first sync.</param>
/// <param name="LastReportMs">The controller's clock (ms since the epoch) when the last accepted report arrived.</param>
/// <param name="Incarnation">The agent incarnation of the last accepted report.</param>
/// <param name="Sequence">The sequence number of the last accepted report.</param>
/// <param name="Pools">Reported pools by pool key (upper-case name).</param>
/// <param name="Connected">True while reports arrive (the agent may still be syncing).</param>
/// <param name="Agent">The agent actor of the last accepted report.</param>
/// <param name="ObservedIncarnation">The agent incarnation <see cref="Resources"/> belong to.</param>
/// <param name="ObservedVersion">The version of the last observations folded in.</param>
/// <param name="Resources">Observed replicas by resource key.</param>
/// <param name="ErrorReports">The agent's most recent error reports, newest last.</param>
public sealed record NodeLiveStatus(
    bool Online,
    long LastReportMs,
    Guid Incarnation,
    long Sequence,
    ImmutableSortedDictionary<string, PoolCapacity> Pools,
    ImmutableList<string> SupportedLayers,
    ImmutableList<string> SupportedProviders)
{
    public bool Connected { get; init; } = Online;

    public IActorRef? Agent { get; init; }

    public Guid ObservedIncarnation { get; init; }

    public long ObservedVersion { get; init; }

    public long ReportedObservedVersion { get; init; }

    public ImmutableSortedDictionary<string, ObservedResource> Resources { get; init; } =
        ImmutableSortedDictionary<string, ObservedResource>.Empty.WithComparers(StringComparer.Ordinal);

    public ImmutableList<AgentErrorReport> ErrorReports { get; init; } = [];

    /// <summary>The reported capacity of a pool, when the node is online and its agent reported it.</summary>
    public PoolCapacity? OnlinePool(string poolKey) => Online && Pools.TryGetValue(poolKey, out var pool) ? pool : null;

    /// <summary>The observed replica of a resource, when the node is online and its agent reported it.</summary>
    public ObservedResource? OnlineResource(string resourceKey) => Online && Resources.TryGetValue(resourceKey, out var r) ? r : null;

    /// <summary>True when this controller lacks observations the agent has published (missed, or never received).</summary>
    public bool MissesObservations => Connected && Agent is not null
        && (ObservedIncarnation != Incarnation || ReportedObservedVersion > ObservedVersion);
}
