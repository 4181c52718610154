using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Simulated;

/// <summary>Committing a state change: settle what follows from it, tell every node's subscribers, step transient states.</summary>
public sealed partial class SimulatedDrbdNetwork
{
    private readonly List<(SimNode Node, DrbdHelperNotification Helper)> _helperCalls = [];

    /// <summary>
    /// Ends one atomic change of <paramref name="resource"/>: derives connections, data and quorum
    /// on every node that has it, emits one batch per node whose view changed, then moves transient
    /// states on (Disconnecting → StandAlone, NetworkFailure/TearDown → Connecting, Attaching →
    /// the meta-data's state, Detaching → Diskless), each as its own batch.
    /// </summary>
    private void Commit(string resource)
    {
        for (var round = 0; round < 4; round++)
        {
            Settle(resource);
            Emit(resource);
            if (!AdvanceTransients(resource))
            {
                return;
            }
        }
    }

    private void Settle(string resource)
    {
        UpdateLinks(resource);
        RefreshPeers(resource);
        ReconcileData(resource);
        RefreshPeers(resource);
        UpdateQuorum(resource);
        RefreshPeers(resource);
    }

    private void Emit(string resource)
    {
        foreach (var node in _nodes.Values.Where(n => n.PoweredOn))
        {
            var before = node.Views.GetValueOrDefault(resource) ?? SimulatedResourceView.Empty;
            var now = node.Resources.TryGetValue(resource, out var current) ? SimulatedViews.Of(current, Options.ResyncProgressEvents) : SimulatedResourceView.Empty;
            var changes = now.Since(before, Options.ResyncProgressEvents);
            if (current is null)
            {
                node.Views.Remove(resource);
            }
            else
            {
                node.Views[resource] = now;
            }
            if (changes.Count > 0)
            {
                Publish(node, DrbdEventBatch.Change([.. changes]));
            }
        }
        foreach (var (node, helper) in _helperCalls)
        {
            Publish(node, DrbdEventBatch.Change(helper));
            Publish(node, DrbdEventBatch.Change(helper with { Kind = DrbdNotificationKind.Response, Status = 0 }));
        }
        _helperCalls.Clear();
    }

    private void Publish(SimNode node, DrbdEventBatch batch)
    {
        foreach (var subscription in node.Subscriptions)
        {
            subscription.Enqueue(batch);
            _deliveries.Add(subscription);
        }
    }

    private bool AdvanceTransients(string resource)
    {
        var changed = false;
        foreach (var (_, replica) in Replicas(resource))
        {
            foreach (var connection in replica.Connections.Values)
            {
                var next = connection.State switch
                {
                    DrbdConnectionState.Disconnecting => DrbdConnectionState.StandAlone,
                    DrbdConnectionState.Unconnected or DrbdConnectionState.Timeout or DrbdConnectionState.BrokenPipe
                        or DrbdConnectionState.NetworkFailure or DrbdConnectionState.ProtocolError or DrbdConnectionState.TearDown => DrbdConnectionState.Connecting,
                    var same => same,
                };
                changed |= next != connection.State;
                connection.State = next;
            }
            foreach (var device in replica.Devices.Values)
            {
                if (device.Disk == DrbdDiskState.Attaching)
                {
                    device.Disk = DiskAfterAttach(device.Metadata!);
                    changed = true;
                }
                else if (device.Disk == DrbdDiskState.Detaching)
                {
                    FinishDetach(device);
                    changed = true;
                }
            }
        }
        return changed;
    }

    /// <summary>Every powered-on node that has <paramref name="resource"/>, by node name.</summary>
    private IEnumerable<(SimNode Node, SimResource Replica)> Replicas(string resource)
    {
        foreach (var node in _nodes.Values)
        {
            if (node.PoweredOn && node.Resources.TryGetValue(resource, out var replica))
            {
                yield return (node, replica);
            }
        }
    }

    /// <summary>The node that runs <paramref name="resource"/> as <paramref name="nodeId"/>, other than <paramref name="self"/>.</summary>
    private (SimNode Node, SimResource Replica)? FindPeer(string resource, SimNode self, int nodeId)
    {
        foreach (var (node, replica) in Replicas(resource))
        {
            if (node != self && replica.NodeId == nodeId)
            {
                return (node, replica);
            }
        }
        return null;
    }

    /// <summary>The peer end of a connection: its node, resource and its connection back to us (null when it has none).</summary>
    private (SimNode Node, SimResource Replica, SimConnection? Back)? PeerEnd(SimNode self, SimResource replica, SimConnection connection)
    {
        if (FindPeer(replica.Name, self, connection.PeerNodeId) is not { } peer)
        {
            return null;
        }
        return (peer.Node, peer.Replica, peer.Replica.Connections.GetValueOrDefault(replica.NodeId));
    }

    private void CallHelper(SimNode node, string resource, string helper, int? volume) =>
        _helperCalls.Add((node, new DrbdHelperNotification(DrbdNotificationKind.Call, resource, helper, volume, null, null)));

    private IReadOnlyList<DrbdNotification> DumpOf(SimNode node) =>
        [.. node.Views.OrderBy(v => v.Key, StringComparer.Ordinal).SelectMany(v => v.Value.Dump())];

    internal IAsyncDisposable Subscribe(SimNode node, Action<DrbdEventBatch> onBatch, Action<Exception> onFailure)
    {
        var subscription = new SimulatedSubscription(onBatch, onFailure, ended =>
        {
            lock (_gate)
            {
                node.Subscriptions.Remove(ended);
            }
        });
        subscription.Enqueue(DrbdEventBatch.Initial(DumpOf(node)));
        node.Subscriptions.Add(subscription);
        _deliveries.Add(subscription);
        return subscription;
    }

    internal DrbdEventBatch Dump(SimNode node) => DrbdEventBatch.Initial(DumpOf(node));
}
