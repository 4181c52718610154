using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.State;

/// <summary>
/// A running resync's progress from polled dumps (pure). DRBD 8.4 sends events when a resync starts
/// and ends, but none while it runs: its out-of-sync counter moves only in a dump. While any peer
/// device resyncs, the agent dumps the kernel's state now and then and merges just the counters of
/// the peer devices it already follows, so a dump taken before a concurrent event can neither
/// revive a destroyed object nor undo a state change.
/// </summary>
public static class DrbdResyncProgress
{
    /// <summary>Some peer device of some resource is in a sync or verify state.</summary>
    public static bool AnyRunning(DrbdHostState state) =>
        state.Resources.Values.Any(r => r.Connections.Values.Any(c => c.PeerDevices.Values.Any(p => DrbdStatusRules.IsResyncing(p.Replication))));

    /// <summary>
    /// Takes the out-of-sync and resync-failed counters of <paramref name="dump"/> for every peer
    /// device that resyncs both in <paramref name="state"/> and in the dump, in the same replication
    /// state. The resync total stays the one known (the dump's when it reports a larger one), never
    /// below what is out of sync. Returns the new state and the resources whose counters changed.
    /// </summary>
    public static (DrbdHostState State, IReadOnlySet<string> Changed) Merge(DrbdHostState state, DrbdEventBatch dump)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(dump);
        var resources = state.Resources;
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var polled in dump.Notifications.OfType<DrbdPeerDeviceNotification>())
        {
            if (polled.Info is not { } fresh
                || resources.GetValueOrDefault(polled.Resource) is not { } resource
                || resource.Connections.GetValueOrDefault(polled.PeerNodeId) is not { } connection
                || connection.PeerDevices.GetValueOrDefault(polled.Volume) is not { } known
                || !DrbdStatusRules.IsResyncing(known.Replication)
                || fresh.Replication != known.Replication)
            {
                continue;
            }
            var outOfSync = fresh.OutOfSyncKiB ?? known.OutOfSyncKiB;
            var total = Math.Max(Math.Max(known.ResyncTotalKiB ?? 0, fresh.ResyncTotalKiB ?? 0), outOfSync ?? 0);
            var merged = known with
            {
                OutOfSyncKiB = outOfSync,
                ResyncFailedKiB = fresh.ResyncFailedKiB ?? known.ResyncFailedKiB,
                ResyncTotalKiB = total > 0 ? total : known.ResyncTotalKiB,
            };
            if (merged == known)
            {
                continue;
            }
            var updated = connection with { PeerDevices = connection.PeerDevices.SetItem(polled.Volume, merged) };
            resources = resources.SetItem(polled.Resource, resource with { Connections = resource.Connections.SetItem(polled.PeerNodeId, updated) });
            changed.Add(polled.Resource);
        }
        return (changed.Count == 0 ? state : state with { Resources = resources }, changed);
    }
}
