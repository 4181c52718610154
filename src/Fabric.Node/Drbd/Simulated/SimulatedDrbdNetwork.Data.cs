using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Simulated;

/// <summary>
/// Data generations and resync. Each attached device has a current generation (DRBD's current
/// UUID; 0 = just created) with its history, and per peer a bitmap slot (the generation both last
/// shared and what was written since). Connected diskful pairs compare: the newer UpToDate side
/// becomes SyncSource (only the bitmap when the slot's generation matches, else a full sync), equal
/// generations upgrade Outdated/Consistent to UpToDate, fresh meta-data on both stays Inconsistent,
/// unrelated generations are a split brain.
/// </summary>
public sealed partial class SimulatedDrbdNetwork
{
    /// <summary>One side of a connected volume.</summary>
    private readonly record struct End(SimResource Replica, SimConnection Connection, SimDevice Device, SimPeerDevice PeerDevice)
    {
        public SimulatedMetadataRecord Metadata => Device.Metadata!;
    }

    private void ReconcileData(string resource)
    {
        foreach (var (node, replica) in Replicas(resource).ToList())
        {
            foreach (var connection in replica.Connections.Values.Where(c => c.Connected))
            {
                if (PeerEnd(node, replica, connection) is not { Back: { Connected: true } back } peer
                    || string.CompareOrdinal(node.Name, peer.Node.Name) > 0 || !LinkUp(node, peer.Node))
                {
                    continue;
                }
                foreach (var peerDevice in connection.PeerDevices.Values)
                {
                    var local = replica.Devices[peerDevice.Volume];
                    if (peer.Replica.Devices.GetValueOrDefault(peerDevice.Volume) is { } remote
                        && back.PeerDevices.GetValueOrDefault(peerDevice.Volume) is { } backDevice
                        && peerDevice.Replication == DrbdReplicationState.Established && backDevice.Replication == DrbdReplicationState.Established
                        && local.HasDisk && remote.HasDisk)
                    {
                        Reconcile(resource, new End(replica, connection, local, peerDevice), new End(peer.Replica, back, remote, backDevice));
                    }
                }
            }
        }
    }

    private void Reconcile(string resource, End x, End y)
    {
        if (x.Metadata.Current == y.Metadata.Current)
        {
            if (x.Metadata.Fresh)
            {
                return; // both just created: Inconsistent until one is forced primary or the bitmap is cleared
            }
            if (!FromSameGeneration(resource, x, y) && !FromSameGeneration(resource, y, x)
                && x.Device.Disk == DrbdDiskState.Consistent && y.Device.Disk == DrbdDiskState.Consistent)
            {
                SetDisk(x.Device, DrbdDiskState.UpToDate);
                SetDisk(y.Device, DrbdDiskState.UpToDate);
            }
            if (x.Device.Disk == DrbdDiskState.UpToDate && y.Device.Disk == DrbdDiskState.UpToDate)
            {
                SetSlots(x, y, x.Metadata.Current, 0);
            }
        }
        else if (x.Metadata.IsNewerThan(y.Metadata))
        {
            FromNewer(resource, x, y);
        }
        else if (y.Metadata.IsNewerThan(x.Metadata))
        {
            FromNewer(resource, y, x);
        }
        else
        {
            // Unrelated data appeared on a live connection (a foreign disk was attached): DRBD drops the connection.
            Lose(x.Replica, x.Connection, DrbdConnectionState.StandAlone);
            Lose(y.Replica, y.Connection, DrbdConnectionState.StandAlone);
        }
    }

    private bool FromSameGeneration(string resource, End source, End target)
    {
        if (source.Device.Disk != DrbdDiskState.UpToDate)
        {
            return false;
        }
        switch (target.Device.Disk)
        {
            case DrbdDiskState.Inconsistent:
                StartSync(resource, source, target, target.Metadata.NeedsKiB);
                return true;
            case DrbdDiskState.Outdated or DrbdDiskState.Consistent when source.Replica.Role == DrbdRole.Primary || Stable(source.Replica):
                SetDisk(target.Device, DrbdDiskState.UpToDate);
                return true;
            default:
                return false;
        }
    }

    private void FromNewer(string resource, End source, End target)
    {
        if (source.Device.Disk == DrbdDiskState.UpToDate)
        {
            StartSync(resource, source, target, ResyncAmount(source, target));
        }
        else if (target.Device.Disk is DrbdDiskState.UpToDate or DrbdDiskState.Consistent)
        {
            SetDisk(target.Device, DrbdDiskState.Outdated);
        }
    }

    /// <summary>
    /// DRBD's UUID_FLAG_STABLE: not Primary and not connected to a Primary, so the data cannot change
    /// under the peer. Only the Primary itself or a stable peer upgrades an Outdated disk without resync.
    /// </summary>
    private static bool Stable(SimResource replica) =>
        replica.Role != DrbdRole.Primary && !replica.Connections.Values.Any(c => c.Connected && c.PeerRole == DrbdRole.Primary);

    /// <summary>The bitmap when it is based on the target's generation, else everything.</summary>
    private static long ResyncAmount(End source, End target)
    {
        var slot = source.Metadata.Slots.GetValueOrDefault(target.Replica.NodeId);
        if (!target.Metadata.Fresh && slot is not null && slot.BaseGeneration == target.Metadata.Current)
        {
            return slot.OutOfSyncKiB + (target.Device.Disk == DrbdDiskState.Inconsistent ? target.Metadata.NeedsKiB : 0);
        }
        return source.Device.SizeKiB;
    }

    private void StartSync(string resource, End source, End target, long amount)
    {
        var total = Math.Clamp(amount, 0, source.Device.SizeKiB);
        target.Metadata.Adopt(source.Metadata);
        target.Metadata.NeedsKiB = total;
        if (total == 0)
        {
            SetDisk(target.Device, DrbdDiskState.UpToDate);
            SetSlots(source, target, source.Metadata.Current, 0);
            return;
        }
        SetDisk(target.Device, DrbdDiskState.Inconsistent);
        source.PeerDevice.Replication = DrbdReplicationState.SyncSource;
        target.PeerDevice.Replication = DrbdReplicationState.SyncTarget;
        source.PeerDevice.ResyncTotalKiB = target.PeerDevice.ResyncTotalKiB = total;
        SetSlots(source, target, source.Metadata.Current, total);
        Schedule($"resync|{resource}", Options.ProgressIntervalValue, () => ResyncStep(resource));
    }

    /// <summary>Every running resync of the resource moves on by its rate; finished ones make the target UpToDate.</summary>
    private void ResyncStep(string resource)
    {
        var seconds = Options.ProgressIntervalValue.TotalSeconds;
        var running = false;
        foreach (var (node, replica) in Replicas(resource).ToList())
        {
            foreach (var connection in replica.Connections.Values.Where(c => c.Connected))
            {
                if (PeerEnd(node, replica, connection) is not { Back: { Connected: true } back } peer || !LinkUp(node, peer.Node))
                {
                    continue;
                }
                foreach (var peerDevice in connection.PeerDevices.Values.Where(p => p.Replication == DrbdReplicationState.SyncSource))
                {
                    if (back.PeerDevices.GetValueOrDefault(peerDevice.Volume) is not { Replication: DrbdReplicationState.SyncTarget } backDevice)
                    {
                        continue;
                    }
                    var source = new End(replica, connection, replica.Devices[peerDevice.Volume], peerDevice);
                    var target = new End(peer.Replica, back, peer.Replica.Devices[peerDevice.Volume], backDevice);
                    var rate = peerDevice.Options.ResyncRateKiB ?? source.Device.DiskOptions.ResyncRateKiB ?? Options.ResyncRateKiB;
                    var left = Math.Max(0, target.Metadata.NeedsKiB - (long)(rate * seconds));
                    target.Metadata.NeedsKiB = left;
                    SetSlots(source, target, source.Metadata.Current, left);
                    if (left == 0)
                    {
                        CompleteSync(source, target);
                    }
                    else
                    {
                        running = true;
                    }
                }
            }
        }
        Commit(resource);
        if (running)
        {
            Schedule($"resync|{resource}", Options.ProgressIntervalValue, () => ResyncStep(resource));
        }
    }

    private static void CompleteSync(End source, End target)
    {
        SetDisk(target.Device, DrbdDiskState.UpToDate);
        source.PeerDevice.Replication = target.PeerDevice.Replication = DrbdReplicationState.Established;
        source.PeerDevice.ResyncTotalKiB = target.PeerDevice.ResyncTotalKiB = 0;
        SetSlots(source, target, source.Metadata.Current, 0);
        // The target now lacks towards third nodes what the source lacked.
        foreach (var (peerNodeId, slot) in source.Metadata.Slots.Where(s => s.Key != target.Replica.NodeId))
        {
            var mine = target.Metadata.Slot(peerNodeId);
            mine.BaseGeneration = slot.BaseGeneration;
            mine.OutOfSyncKiB = Math.Max(mine.OutOfSyncKiB, slot.OutOfSyncKiB);
        }
    }

    /// <summary>Split brain at connect: unrelated generations on both sides. discard-my-data on one side resolves it by a full sync to that side.</summary>
    private static bool ResolveDivergence(SimDevice a, bool discardA, SimDevice b, bool discardB)
    {
        if (!a.HasDisk || !b.HasDisk)
        {
            return true;
        }
        var (ma, mb) = (a.Metadata!, b.Metadata!);
        if (ma.Current == mb.Current || ma.IsNewerThan(mb) || mb.IsNewerThan(ma))
        {
            return true;
        }
        if (!discardA && !discardB)
        {
            return false;
        }
        var victim = discardA ? a : b;
        victim.Metadata!.Current = 0;
        victim.Metadata.History.Clear();
        SetDisk(victim, DrbdDiskState.Inconsistent);
        return true;
    }

    private static void SetSlots(End a, End b, ulong generation, long outOfSyncKiB)
    {
        foreach (var (from, to) in new[] { (a, b), (b, a) })
        {
            var slot = from.Metadata.Slot(to.Replica.NodeId);
            slot.Seen = true;
            slot.BaseGeneration = generation;
            slot.OutOfSyncKiB = outOfSyncKiB;
        }
    }

    private static void SetDisk(SimDevice device, DrbdDiskState state)
    {
        device.Disk = state;
        if (device.Metadata is { } metadata && state is DrbdDiskState.Inconsistent or DrbdDiskState.Outdated or DrbdDiskState.Consistent or DrbdDiskState.UpToDate)
        {
            metadata.Disk = state;
        }
    }

    /// <summary>The disk state after attach: fresh ⇒ Inconsistent; UpToDate only if every known peer is outdated, else Consistent until a peer confirms.</summary>
    private static DrbdDiskState DiskAfterAttach(SimulatedMetadataRecord metadata) =>
        metadata.Fresh ? DrbdDiskState.Inconsistent
        : metadata.Disk == DrbdDiskState.UpToDate && !metadata.Slots.Values.All(s => !s.Seen || s.Outdated) ? DrbdDiskState.Consistent
        : metadata.Disk;
}
