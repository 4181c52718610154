using System.Collections.Immutable;

namespace Fabric.Core.Protocol;

/// <summary>What this controller currently believes about one node's agent. Transient, never journaled.</summary>
/// <param name="Online">True while reports arrive within the status timeout and no goodbye was received.</param>
/// <param name="LastReportMs">The controller's clock (ms since the epoch) when the last accepted report arrived.</param>
/// <param name="Incarnation">The agent incarnation of the last accepted report.</param>
/// <param name="Sequence">The sequence number of the last accepted report.</param>
/// <param name="Pools">Reported pools by pool key (upper-case name).</param>
public sealed record NodeLiveStatus(
    bool Online,
    long LastReportMs,
    Guid Incarnation,
    long Sequence,
    ImmutableSortedDictionary<string, PoolCapacity> Pools,
    ImmutableList<string> SupportedLayers,
    ImmutableList<string> SupportedProviders)
{
    /// <summary>The reported capacity of a pool, when the node is online and its agent reported it.</summary>
    public PoolCapacity? OnlinePool(string poolKey) => Online && Pools.TryGetValue(poolKey, out var pool) ? pool : null;
}
