using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Simulated;

/// <summary>Connections: when they form, what each side learns about the other, how they break.</summary>
public sealed partial class SimulatedDrbdNetwork
{
    /// <summary>
    /// Breaks connections whose other end is gone (at once when the link is up: the peer closed the
    /// socket; after the loss-detection delay when it is down), and schedules a connect for every
    /// pair that is Connecting on both sides, has paths and a working link.
    /// </summary>
    private void UpdateLinks(string resource)
    {
        foreach (var (node, replica) in Replicas(resource).ToList())
        {
            foreach (var connection in replica.Connections.Values)
            {
                var peer = PeerEnd(node, replica, connection);
                var up = peer is { } p && LinkUp(node, p.Node);
                if (connection.Connected)
                {
                    if (!up)
                    {
                        ScheduleLossDetection(node, resource, connection.PeerNodeId);
                    }
                    else if (peer!.Value.Back is not { Connected: true })
                    {
                        Lose(replica, connection, DrbdConnectionState.BrokenPipe);
                    }
                }
                else if (up && connection.State == DrbdConnectionState.Connecting && connection.Paths.Count > 0
                    && peer!.Value.Back is { State: DrbdConnectionState.Connecting } back && back.Paths.Count > 0)
                {
                    ScheduleConnect(resource, node, peer.Value.Node);
                }
            }
        }
    }

    /// <summary>What a connected side knows about its peer: role, disk, client flag, quorum, stability, and a diskless device's size.</summary>
    private void RefreshPeers(string resource)
    {
        foreach (var (node, replica) in Replicas(resource))
        {
            foreach (var connection in replica.Connections.Values.Where(c => c.Connected))
            {
                if (PeerEnd(node, replica, connection) is not { } peer)
                {
                    continue;
                }
                connection.PeerRole = peer.Replica.Role;
                var peerStable = Stable(peer.Replica);
                foreach (var peerDevice in connection.PeerDevices.Values)
                {
                    if (peer.Replica.Devices.GetValueOrDefault(peerDevice.Volume) is not { } remote)
                    {
                        continue;
                    }
                    if (peerDevice.Replication == DrbdReplicationState.Off)
                    {
                        peerDevice.Replication = DrbdReplicationState.Established;
                        MarkSeen(replica, peerDevice, peer.Replica.NodeId, remote);
                    }
                    if (peerDevice.Syncing && !(remote.HasDisk && replica.Devices[peerDevice.Volume].HasDisk))
                    {
                        peerDevice.Replication = DrbdReplicationState.Established;
                        peerDevice.ResyncTotalKiB = 0;
                    }
                    peerDevice.PeerDisk = remote.HasDisk ? remote.Disk : DrbdDiskState.Diskless;
                    peerDevice.PeerClient = remote.IntentionalDiskless;
                    peerDevice.PeerQuorate = remote.HasQuorum;
                    peerDevice.PeerStable = peerStable && remote.Disk != DrbdDiskState.Inconsistent;
                    var local = replica.Devices[peerDevice.Volume];
                    if (!local.HasDisk && remote.HasDisk)
                    {
                        local.SizeKiB = remote.SizeKiB;
                    }
                }
            }
        }
    }

    private void ScheduleConnect(string resource, SimNode a, SimNode b)
    {
        var (first, second) = string.CompareOrdinal(a.Name, b.Name) <= 0 ? (a, b) : (b, a);
        Schedule($"connect|{resource}|{first.Name}|{second.Name}", Delay(Options.ConnectDelayValue, Options.ConnectJitterValue),
            () => Establish(resource, first, second));
    }

    private void ScheduleLossDetection(SimNode node, string resource, int peerNodeId) =>
        Schedule($"loss|{resource}|{node.Name}|{peerNodeId}", Delay(Options.LossDetectionValue, Options.LossJitterValue), () =>
        {
            if (!node.PoweredOn || !node.Resources.TryGetValue(resource, out var replica)
                || replica.Connections.GetValueOrDefault(peerNodeId) is not { Connected: true } connection)
            {
                return;
            }
            if (PeerEnd(node, replica, connection) is { } peer && LinkUp(node, peer.Node) && peer.Back is { Connected: true })
            {
                return; // the link came back before the ping timeout: the connection survived
            }
            Lose(replica, connection, DrbdConnectionState.NetworkFailure);
            Commit(resource);
        });

    /// <summary>The handshake: both sides Connected, every common volume replicating; a split brain (unrelated data, no discard-my-data) drops both to StandAlone.</summary>
    private void Establish(string resource, SimNode a, SimNode b)
    {
        if (!a.Resources.TryGetValue(resource, out var ra) || !b.Resources.TryGetValue(resource, out var rb)
            || ra.Connections.GetValueOrDefault(rb.NodeId) is not { State: DrbdConnectionState.Connecting } ca
            || rb.Connections.GetValueOrDefault(ra.NodeId) is not { State: DrbdConnectionState.Connecting } cb
            || ca.Paths.Count == 0 || cb.Paths.Count == 0 || !LinkUp(a, b))
        {
            return;
        }
        if (ra.Role == DrbdRole.Primary && rb.Role == DrbdRole.Primary && (ca.Net.AllowTwoPrimaries != true || cb.Net.AllowTwoPrimaries != true))
        {
            return; // the handshake fails (two primaries); both keep trying until one is demoted
        }
        var splitBrain = false;
        foreach (var volume in ra.Devices.Keys.Intersect(rb.Devices.Keys))
        {
            splitBrain |= !ResolveDivergence(ra.Devices[volume], ca.DiscardMyData, rb.Devices[volume], cb.DiscardMyData);
        }
        ca.DiscardMyData = cb.DiscardMyData = false;
        if (splitBrain)
        {
            ca.State = cb.State = DrbdConnectionState.StandAlone;
            Commit(resource);
            return;
        }
        ca.State = cb.State = DrbdConnectionState.Connected;
        Commit(resource);
    }

    /// <summary>Takes a connection down on this side: replication stops, what is known about the peer becomes unknown.</summary>
    private static void Lose(SimResource replica, SimConnection connection, DrbdConnectionState reason)
    {
        connection.State = reason;
        connection.PeerRole = DrbdRole.Unknown;
        foreach (var peerDevice in connection.PeerDevices.Values)
        {
            peerDevice.Replication = DrbdReplicationState.Off;
            peerDevice.ResyncTotalKiB = 0;
            peerDevice.PeerQuorate = false;
            peerDevice.PeerStable = false;
            if (peerDevice.PeerDisk is not (DrbdDiskState.Inconsistent or DrbdDiskState.Outdated))
            {
                peerDevice.PeerDisk = DrbdDiskState.DUnknown;
            }
        }
    }

    /// <summary>
    /// A graceful disconnect: the other side tears down (and keeps trying), this side goes
    /// StandAlone. A Secondary that loses its connection to the Primary this way outdates itself, and
    /// the Primary remembers it as outdated (what keeps a lone Primary quorate: last man standing).
    /// </summary>
    private void Disconnect(SimNode node, SimResource replica, SimConnection connection)
    {
        if (connection.Connected && PeerEnd(node, replica, connection) is { Back: { Connected: true } back } peer)
        {
            if (replica.Role == DrbdRole.Primary && peer.Replica.Role != DrbdRole.Primary)
            {
                OutdateSecondary(replica, connection, peer.Replica);
            }
            else if (peer.Replica.Role == DrbdRole.Primary && replica.Role != DrbdRole.Primary)
            {
                OutdateSecondary(peer.Replica, back, replica);
            }
            Lose(peer.Replica, back, DrbdConnectionState.TearDown);
        }
        Lose(replica, connection, DrbdConnectionState.Disconnecting);
    }

    private static void OutdateSecondary(SimResource primary, SimConnection towardsSecondary, SimResource secondary)
    {
        foreach (var device in secondary.Devices.Values.Where(d => d.HasDisk && d.Disk is DrbdDiskState.UpToDate or DrbdDiskState.Consistent))
        {
            SetDisk(device, DrbdDiskState.Outdated);
            if (towardsSecondary.PeerDevices.GetValueOrDefault(device.Volume) is { } peerDevice)
            {
                peerDevice.PeerDisk = DrbdDiskState.Outdated;
            }
            if (primary.Devices.GetValueOrDefault(device.Volume)?.Metadata is { } metadata)
            {
                metadata.Slot(secondary.NodeId).Outdated = true;
            }
        }
    }

    private static void MarkSeen(SimResource replica, SimPeerDevice peerDevice, int peerNodeId, SimDevice remote)
    {
        peerDevice.Seen = true;
        if (replica.Devices[peerDevice.Volume].Metadata is { } metadata && !remote.IntentionalDiskless)
        {
            var slot = metadata.Slot(peerNodeId);
            slot.Seen = true;
            slot.Outdated = false;
        }
    }
}
