using System.Collections.Immutable;
using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.State;

/// <summary>
/// Derives <see cref="DrbdResourceStatus"/> from the folded state (pure), including the values
/// drbdsetup events2 computes in userspace (shared/reference/drbd-states.md §5):
/// <c>may_promote</c>, <c>promotion_score</c> and the resync <c>done</c> percentage.
/// </summary>
public static class DrbdStatusRules
{
    /// <summary>peer_dev_uuid_flags bit UUID_FLAG_STABLE: the peer's data cannot change under us.</summary>
    public const ulong UuidFlagStable = 0x8;

    public static DrbdResourceStatus? Status(DrbdHostState state, string resource) =>
        state.Find(resource) is { } observed ? Status(observed) : null;

    public static DrbdResourceStatus Status(DrbdObservedResource resource)
    {
        var (mayPromote, score) = PromotionInfo(resource);
        var info = resource.Info;
        var volumes = resource.Devices.Values
            .Select(d => new DrbdVolumeStatus(d.Volume, d.Minor, d.Info.Disk, d.Info.IntentionalDiskless, d.Info.HasQuorum, d.Info.IsOpen, d.Info.SizeKiB, d.Info.BackingDevice))
            .ToImmutableArray();
        var peers = resource.Connections.Values
            .Select(c => new DrbdPeerStatus(c.PeerNodeId, c.Name, c.Info.State, c.Info.PeerRole, c.PeerDevices
                .Select(p => new DrbdPeerVolumeStatus(p.Key, p.Value.Replication, p.Value.PeerDisk, p.Value.PeerIntentionalDiskless, p.Value.ResyncSuspended, p.Value.OutOfSyncKiB, DonePercent(p.Value)))
                .ToImmutableArray()))
            .ToImmutableArray();
        return new DrbdResourceStatus(
            resource.Name,
            info.Role,
            new DrbdSuspension(info.Suspended, info.SuspendedNoData, info.SuspendedFencing, info.SuspendedQuorum),
            info.FailIo,
            mayPromote,
            score,
            volumes,
            peers);
    }

    /// <summary>
    /// drbdsetup's <c>compute_promotion_info()</c>: no devices, failing I/O, a device without quorum or
    /// a volume without any UpToDate replica ⇒ (false, 0). Otherwise may_promote = no Primary here or
    /// on any connection and every volume has stable UpToDate data (local UpToDate, or an UpToDate peer
    /// flagged UUID_FLAG_STABLE); score = 10000 × (every local disk Consistent/Inconsistent/UpToDate)
    /// + 100 × min(local UpToDate volumes, 99) + min(fewest UpToDate replicas of a volume, 99).
    /// </summary>
    public static (bool MayPromote, int Score) PromotionInfo(DrbdObservedResource resource)
    {
        if (resource.Devices.IsEmpty || resource.Info.FailIo)
        {
            return (false, 0);
        }
        var upToDateDevices = 0;
        var allHaveDisk = true;
        var minReplicas = int.MaxValue;
        var allStable = true;
        foreach (var device in resource.Devices.Values)
        {
            if (!device.Info.HasQuorum)
            {
                return (false, 0);
            }
            var disk = device.Info.Disk;
            if (disk == DrbdDiskState.UpToDate)
            {
                upToDateDevices++;
            }
            else if (disk is not (DrbdDiskState.Consistent or DrbdDiskState.Inconsistent))
            {
                allHaveDisk = false;
            }
            var peers = PeerDevices(resource, device.Volume).ToList();
            var replicas = (disk == DrbdDiskState.UpToDate ? 1 : 0) + peers.Count(p => p.PeerDisk == DrbdDiskState.UpToDate);
            minReplicas = Math.Min(minReplicas, replicas);
            var stable = disk == DrbdDiskState.UpToDate
                || peers.Any(p => p.PeerDisk == DrbdDiskState.UpToDate && ((p.UuidFlags ?? 0) & UuidFlagStable) != 0);
            allStable &= stable;
        }
        if (minReplicas == 0)
        {
            return (false, 0);
        }
        var mayPromote = !HasPrimary(resource) && allStable;
        var score = (allHaveDisk ? 10000 : 0) + 100 * Math.Min(upToDateDevices, 99) + Math.Min(minReplicas, 99);
        return (mayPromote, score);
    }

    /// <summary>This node or a connected peer is Primary.</summary>
    public static bool HasPrimary(DrbdObservedResource resource) =>
        resource.Info.Role == DrbdRole.Primary || resource.Connections.Values.Any(c => c.Info.PeerRole == DrbdRole.Primary);

    /// <summary>
    /// The resync/verify percentage drbdsetup prints as <c>done:</c>: 100 × (rs_total − to_go) / rs_total
    /// with to_go = out_of_sync − resync_failed, only while the replication state is a sync or verify state.
    /// </summary>
    public static double? DonePercent(DrbdPeerDeviceInfo info)
    {
        if (!IsResyncing(info.Replication) || info.ResyncTotalKiB is not > 0 || info.OutOfSyncKiB is not { } outOfSync)
        {
            return null;
        }
        var total = (double)info.ResyncTotalKiB.Value;
        var toGo = Math.Max(0, outOfSync - (info.ResyncFailedKiB ?? 0));
        return 100.0 * (total - toGo) / total;
    }

    /// <summary>SyncSource/SyncTarget, paused or not, and online verify.</summary>
    public static bool IsResyncing(DrbdReplicationState state) => state is DrbdReplicationState.SyncSource or DrbdReplicationState.SyncTarget
        or DrbdReplicationState.PausedSyncS or DrbdReplicationState.PausedSyncT or DrbdReplicationState.VerifyS or DrbdReplicationState.VerifyT;

    private static IEnumerable<DrbdPeerDeviceInfo> PeerDevices(DrbdObservedResource resource, int volume) =>
        resource.Connections.Values.Select(c => c.PeerDevices.GetValueOrDefault(volume)).OfType<DrbdPeerDeviceInfo>();
}
