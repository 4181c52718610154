using System.Collections.Immutable;
using Fabric.Core.Protocol;
using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Quorum;
using Fabric.Node.Drbd.State;
using Fabric.Node.Reconcile;

namespace Fabric.Node.Agent.Drbd;

/// <summary>
/// What the agent reports for a DRBD-stacked replica (pure): per volume the DRBD device and its
/// disk state with the backing device under it, the replication towards each peer, and for the
/// resource its role, promotion and connections, with the peers named by node.
/// </summary>
public static class DrbdObservations
{
    public static ObservedVolume Volume(
        DesiredResource desired,
        DesiredVolume volume,
        VolumeObservation? backing,
        DrbdResourceStatus? status,
        ObservedError? error)
    {
        var device = status?.Volume(volume.VolumeNumber);
        var diskState = device is not null ? device.Disk.ToString() : error is not null ? "Failed" : "Creating";
        var replication = status is null
            ? null
            : status.Peers
                .SelectMany(p => p.Volumes.Where(v => v.Volume == volume.VolumeNumber).Select(v => new ObservedReplication(PeerName(desired, p), v.Replication.ToString(), v.PeerDisk.ToString(), v.DonePercent)))
                .OrderBy(r => r.PeerNode, StringComparer.Ordinal)
                .ToImmutableList();
        return new ObservedVolume(
            volume.VolumeNumber,
            device is null ? null : $"/dev/drbd{device.Minor}",
            device?.SizeKiB ?? (device is null ? 0 : volume.SizeKiB),
            backing?.Volume.AllocatedKiB ?? 0,
            diskState,
            error,
            replication,
            device?.HasQuorum,
            backing?.Volume.DevicePath,
            backing?.Volume.UsableKiB ?? 0);
    }

    public static ObservedDrbd Resource(DesiredResource desired, DrbdObservedResource? observed, DrbdResourceStatus? status, DrbdQuorumSettings quorum, string driverVersion)
    {
        if (observed is null || status is null)
        {
            return new ObservedDrbd("Unknown", false, null, 0, false, "the DRBD resource is not up on this node yet", [], driverVersion);
        }
        var decision = DrbdPromotionRules.Decide(observed, quorum);
        return new ObservedDrbd(
            status.Role.ToString(),
            status.InUse,
            status.Suspended.Any ? status.Suspended.ToString() : null,
            status.PromotionScore,
            status.MayPromote,
            decision.Allowed ? null : decision.Reason,
            [.. status.Peers.Select(p => new ObservedDrbdConnection(PeerName(desired, p), p.Connection.ToString(), p.Role.ToString())).OrderBy(c => c.PeerNode, StringComparer.Ordinal)],
            driverVersion);
    }

    /// <summary>The peer's node name from the desired state (by node id), else what the kernel calls the connection.</summary>
    private static string PeerName(DesiredResource desired, DrbdPeerStatus peer) =>
        desired.Peers.FirstOrDefault(p => p.NodeId == peer.NodeId)?.NodeName ?? peer.Name ?? $"node-id {peer.NodeId}";
}
