using Fabric.Node.Drbd.Kernel;
using static Fabric.Node.Drbd.Simulated.SimulatedDrbdErrors;

namespace Fabric.Node.Drbd.Simulated;

/// <summary>Application writes, resize and new-current-uuid: what changes data generations and bitmaps.</summary>
public sealed partial class SimulatedDrbdNetwork
{
    /// <summary>
    /// A write of <paramref name="lengthKiB"/> to the device. Refused when not Primary, frozen when
    /// suspended, EIO without quorum (io-error) or without UpToDate data. Otherwise every node that
    /// receives it (this one if it has a disk, and every replicating peer) starts a new generation
    /// if a known peer is absent, and marks the write out of sync for each absent peer. A peer behind
    /// a cut link is noticed as lost right away (the write is not acknowledged).
    /// </summary>
    internal SimulatedWriteResult Write(SimNode node, int minor, long lengthKiB)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lengthKiB);
        var (replica, device) = RequireMinor(node, minor, "write");
        if (replica.Role != DrbdRole.Primary)
        {
            return SimulatedWriteResult.ReadOnly;
        }
        if (replica.SuspendedByUser || replica.SuspendedForQuorum)
        {
            return SimulatedWriteResult.Suspended;
        }
        if (!device.HasQuorum)
        {
            return SimulatedWriteResult.IoError;
        }
        foreach (var connection in replica.Connections.Values.Where(c => c.Connected))
        {
            if (PeerEnd(node, replica, connection) is not { Back: { Connected: true } } peer || !LinkUp(node, peer.Node))
            {
                Lose(replica, connection, DrbdConnectionState.NetworkFailure);
            }
        }
        var receivers = Receivers(node, replica, device);
        if (device.Disk != DrbdDiskState.UpToDate && !receivers.Any(r => r.Device.Disk == DrbdDiskState.UpToDate))
        {
            Commit(replica.Name);
            return replica.OnNoDataAccessible == DrbdOnNoQuorum.SuspendIo ? SimulatedWriteResult.Suspended : SimulatedWriteResult.IoError;
        }
        var ids = receivers.Select(r => r.NodeId).ToHashSet();
        var split = receivers.Any(r => r.Device.Metadata!.Slots.Any(s => s.Value.Seen && !ids.Contains(s.Key) && s.Value.BaseGeneration == r.Device.Metadata.Current));
        if (split)
        {
            StartGenerationTogether(receivers, NextGeneration());
        }
        foreach (var (_, receiver) in receivers)
        {
            foreach (var slot in receiver.Metadata!.Slots.Where(s => s.Value.Seen && !ids.Contains(s.Key)).Select(s => s.Value))
            {
                slot.OutOfSyncKiB = Math.Min(receiver.SizeKiB, slot.OutOfSyncKiB + lengthKiB);
            }
        }
        Commit(replica.Name);
        return SimulatedWriteResult.Ok;
    }

    internal void Resize(SimNode node, int minor, long? sizeKiB, bool assumeClean)
    {
        const string op = "resize";
        var (replica, device) = RequireMinor(node, minor, op);
        if (!device.HasDisk)
        {
            throw Fail(op, $"minor {minor}", ErrNoDisk);
        }
        if (replica.Connections.Values.Any(c => c.PeerDevices.GetValueOrDefault(device.Volume)?.Syncing == true))
        {
            throw Fail(op, $"minor {minor}", ErrResizeResync);
        }
        var backing = node.Metadata.SizeOf(device.BackingDevice!);
        var target = sizeKiB ?? backing;
        if (target > backing)
        {
            throw Fail(op, $"minor {minor}", ErrDiskTooSmall, $"{device.BackingDevice} has {backing} KiB, {target} KiB requested");
        }
        var grown = target - device.SizeKiB;
        device.SizeKiB = target;
        foreach (var connection in replica.Connections.Values.Where(c => c.Connected))
        {
            if (PeerEnd(node, replica, connection) is not { Back: { } back } peer
                || peer.Replica.Devices.GetValueOrDefault(device.Volume) is not { HasDisk: true } remote)
            {
                continue;
            }
            remote.SizeKiB = target;
            if (grown > 0 && !assumeClean && device.Disk == DrbdDiskState.UpToDate && remote.Disk == DrbdDiskState.UpToDate
                && back.PeerDevices.GetValueOrDefault(device.Volume) is { Replication: DrbdReplicationState.Established } backDevice)
            {
                StartSync(replica.Name, new End(replica, connection, device, connection.PeerDevices[device.Volume]), new End(peer.Replica, back, remote, backDevice), grown);
            }
        }
        Commit(replica.Name);
    }

    /// <summary>
    /// new-current-uuid: a new generation on this device and the connected peers in sync with it.
    /// With <paramref name="clearBitmap"/> on fresh meta-data, this device and every connected peer
    /// with fresh meta-data become UpToDate together: the initial sync is skipped.
    /// </summary>
    internal void NewCurrentUuid(SimNode node, int minor, bool clearBitmap)
    {
        var (replica, device) = RequireMinor(node, minor, "new-current-uuid");
        if (!device.HasDisk)
        {
            throw Fail("new-current-uuid", $"minor {minor}", ErrNoDisk);
        }
        var metadata = device.Metadata!;
        var current = metadata.Current;
        var group = new List<(int NodeId, SimDevice Device)> { (replica.NodeId, device) };
        foreach (var connection in replica.Connections.Values.Where(c => c.Connected))
        {
            if (PeerEnd(node, replica, connection) is { } peer
                && connection.PeerDevices[device.Volume].Replication == DrbdReplicationState.Established
                && peer.Replica.Devices.GetValueOrDefault(device.Volume) is { HasDisk: true } remote
                && remote.Metadata!.Current == current)
            {
                group.Add((peer.Replica.NodeId, remote));
            }
        }
        StartGenerationTogether(group, NextGeneration());
        if (clearBitmap && (current == 0 || device.Disk == DrbdDiskState.UpToDate))
        {
            foreach (var (_, member) in group)
            {
                member.Metadata!.NeedsKiB = 0;
                SetDisk(member, DrbdDiskState.UpToDate);
                foreach (var slot in group.Where(g => g.Device != member).Select(g => member.Metadata.Slot(g.NodeId)))
                {
                    slot.OutOfSyncKiB = 0;
                }
            }
        }
        Commit(replica.Name);
    }

    /// <summary>The devices a write reaches: this one if it has a disk, and every replicating peer's device that has one.</summary>
    private List<(int NodeId, SimDevice Device)> Receivers(SimNode node, SimResource replica, SimDevice device)
    {
        var receivers = new List<(int NodeId, SimDevice Device)>();
        if (device.HasDisk)
        {
            receivers.Add((replica.NodeId, device));
        }
        foreach (var connection in replica.Connections.Values.Where(c => c.Connected))
        {
            if (connection.PeerDevices[device.Volume].Replication != DrbdReplicationState.Off
                && PeerEnd(node, replica, connection) is { } peer
                && peer.Replica.Devices.GetValueOrDefault(device.Volume) is { HasDisk: true } remote)
            {
                receivers.Add((peer.Replica.NodeId, remote));
            }
        }
        return receivers;
    }

    /// <summary>Devices that stay in sync with each other move to a new generation together; their slots for each other follow.</summary>
    private static void StartGenerationTogether(List<(int NodeId, SimDevice Device)> group, ulong generation)
    {
        foreach (var (_, member) in group)
        {
            member.Metadata!.StartGeneration(generation);
        }
        foreach (var (_, member) in group)
        {
            foreach (var (otherId, _) in group.Where(g => g.Device != member))
            {
                var slot = member.Metadata!.Slot(otherId);
                slot.Seen = true;
                slot.BaseGeneration = generation;
            }
        }
    }
}
