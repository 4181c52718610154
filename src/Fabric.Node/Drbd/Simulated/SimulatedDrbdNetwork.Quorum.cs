using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Quorum;

namespace Fabric.Node.Drbd.Simulated;

/// <summary>Quorum of every device through <see cref="DrbdQuorumRules"/>, and its effect on the resource (suspend-io, the quorum-lost helper).</summary>
public sealed partial class SimulatedDrbdNetwork
{
    /// <summary>
    /// Devices with a disk first (they do not depend on their peers' quorum), then diskless ones,
    /// which count UpToDate peers that have quorum. The previous real value feeds the sticky
    /// tiebreaker rule. A Primary that loses quorum calls the quorum-lost helper.
    /// </summary>
    private void UpdateQuorum(string resource)
    {
        foreach (var withDisk in new[] { true, false })
        {
            foreach (var (node, replica) in Replicas(resource))
            {
                foreach (var device in replica.Devices.Values.Where(d => (d.Disk > DrbdDiskState.Attaching) == withDisk))
                {
                    var result = CalculateQuorum(replica, device, null);
                    if (replica.Role == DrbdRole.Primary && device.HasQuorum && !result.HasQuorum)
                    {
                        CallHelper(node, resource, "quorum-lost", device.Volume);
                    }
                    device.RealQuorum = result.RealQuorum;
                    device.HasQuorum = result.HasQuorum;
                    device.LastQuorum = result;
                }
            }
            if (withDisk)
            {
                RefreshPeers(resource);
            }
        }
        foreach (var (_, replica) in Replicas(resource))
        {
            replica.SuspendedForQuorum = replica.OnNoQuorum == DrbdOnNoQuorum.SuspendIo && replica.Devices.Values.Any(d => !d.HasQuorum);
        }
    }

    /// <summary>The quorum of <paramref name="device"/>; <paramref name="without"/> pretends that peer disconnected (outdated or not) to judge a graceful disconnect or detach.</summary>
    private static DrbdQuorumResult CalculateQuorum(SimResource replica, SimDevice device, (int NodeId, bool Outdated)? without, DrbdDiskState? selfDisk = null)
    {
        var peers = QuorumPeers(replica, device).Select(p => without is { } gone && gone.NodeId == p.NodeId
            ? p with { Connected = false, Disk = gone.Outdated ? DrbdDiskState.Outdated : DrbdDiskState.DUnknown, MarkedOutdated = gone.Outdated, HasQuorum = false }
            : p);
        var self = new DrbdQuorumSelf(selfDisk ?? device.Disk, device.IntentionalDiskless, device.RealQuorum);
        return DrbdQuorumRules.Calculate(replica.QuorumSettings, self, peers);
    }

    /// <summary>
    /// Every peer the device knows: its connections, plus bitmap slots of peers seen before that
    /// have no connection any more (they still vote until forget-peer).
    /// </summary>
    private static IEnumerable<DrbdQuorumPeer> QuorumPeers(SimResource replica, SimDevice device)
    {
        var metadata = device.Disk > DrbdDiskState.Attaching ? device.Metadata : null;
        var ids = new SortedSet<int>(replica.Connections.Keys);
        if (metadata is not null)
        {
            ids.UnionWith(metadata.Slots.Where(s => s.Value.Seen).Select(s => s.Key));
        }
        ids.Remove(replica.NodeId);
        foreach (var id in ids)
        {
            var connection = replica.Connections.GetValueOrDefault(id);
            var peerDevice = connection?.PeerDevices.GetValueOrDefault(device.Volume);
            var slot = metadata?.Slots.GetValueOrDefault(id);
            var connected = connection is { Connected: true } && peerDevice is { Replication: not DrbdReplicationState.Off };
            var diskless = peerDevice?.PeerIntentionallyDiskless ?? false;
            var outdated = slot?.Outdated ?? false;
            var known = metadata is null || diskless ? peerDevice?.Seen ?? false : slot?.Seen ?? false;
            yield return new DrbdQuorumPeer(
                id,
                Connected: connected,
                Disk: peerDevice?.PeerDisk ?? (outdated ? DrbdDiskState.Outdated : DrbdDiskState.DUnknown),
                IntentionalDiskless: diskless,
                Known: known,
                MarkedOutdated: outdated,
                HasQuorum: connected && peerDevice!.PeerQuorate);
        }
    }
}
