using Fabric.Node.Drbd.Kernel;
using static Fabric.Node.Drbd.Simulated.SimulatedDrbdErrors;

namespace Fabric.Node.Drbd.Simulated;

/// <summary>State operations: attach/detach, connect/disconnect, roles, resize, new generations, down.</summary>
public sealed partial class SimulatedDrbdNetwork
{
    internal void Attach(SimNode node, int minor, DrbdDiskConfig disk)
    {
        const string op = "attach";
        var (replica, device) = RequireMinor(node, minor, op);
        if (device.Metadata is not null)
        {
            throw Fail(op, $"minor {minor}", ErrDiskConfigured);
        }
        var metaDevice = disk.MetaDevice ?? disk.BackingDevice;
        var metadata = node.Metadata.Find(metaDevice)
            ?? throw Fail(op, $"minor {minor}", ErrMdInvalid, $"no DRBD meta-data on {metaDevice}; create it (drbdmeta create-md) before attaching");
        if (metadata.AttachedMinor is { } other && other != minor)
        {
            throw Fail(op, $"minor {minor}", ErrBdClaimDisk, $"{metaDevice} is attached to minor {other}");
        }
        metadata.AttachedMinor = minor;
        device.Metadata = metadata;
        device.BackingDevice = disk.BackingDevice;
        device.DiskOptions = disk.Options;
        device.SizeKiB = node.Metadata.SizeOf(disk.BackingDevice);
        device.IntentionalDiskless = false;
        if (metadata.Fresh)
        {
            metadata.NeedsKiB = device.SizeKiB;
        }
        device.Disk = DrbdDiskState.Attaching;
        Commit(replica.Name);
    }

    internal void Detach(SimNode node, int minor, bool force, bool intentionalDiskless)
    {
        const string op = "detach";
        var (replica, device) = RequireMinor(node, minor, op);
        if (device.Metadata is null)
        {
            device.IntentionalDiskless |= intentionalDiskless;
            Commit(replica.Name);
            return;
        }
        if (!force && replica.Role == DrbdRole.Primary)
        {
            if (device.Disk == DrbdDiskState.UpToDate && !PeerHasUpToDate(replica, device))
            {
                throw Fail(op, $"minor {minor}", SsNoUpToDateDisk, "detaching would leave the Primary without UpToDate data");
            }
            if (device.HasQuorum && CalculateQuorum(replica, device, null, DrbdDiskState.Diskless) is { HasQuorum: false } after)
            {
                throw Fail(op, $"minor {minor}", SsNoQuorum, after.Shortfall);
            }
        }
        foreach (var peerDevice in replica.Connections.Values.Select(c => c.PeerDevices[device.Volume]).Where(p => p.Syncing))
        {
            peerDevice.Replication = DrbdReplicationState.Established;
            peerDevice.ResyncTotalKiB = 0;
        }
        device.DetachToClient = intentionalDiskless;
        device.Disk = DrbdDiskState.Detaching;
        Commit(replica.Name);
    }

    internal void Connect(SimNode node, string resource, int peerNodeId, bool discardMyData)
    {
        var (_, connection) = RequireConnection(node, resource, peerNodeId, "connect");
        if (connection.Wanted)
        {
            return;
        }
        if (connection.Paths.Count == 0)
        {
            throw Fail("connect", PeerSubject(resource, peerNodeId), ErrInvalidRequest, "the connection has no path; add one with new-path first");
        }
        connection.State = DrbdConnectionState.Connecting;
        connection.DiscardMyData = discardMyData;
        Commit(resource);
    }

    internal void Disconnect(SimNode node, string resource, int peerNodeId, bool force)
    {
        var (replica, connection) = RequireConnection(node, resource, peerNodeId, "disconnect");
        if (connection.Wanted)
        {
            GracefulDisconnect(node, replica, connection, force, "disconnect");
        }
    }

    internal void Primary(SimNode node, string resource, bool force)
    {
        const string op = "primary";
        var replica = RequireResource(node, resource, op);
        if (replica.Role == DrbdRole.Primary)
        {
            return;
        }
        if (replica.Connections.Values.FirstOrDefault(c => c.Connected && c.PeerRole == DrbdRole.Primary && c.Net.AllowTwoPrimaries != true) is { } other)
        {
            throw Fail(op, Subject(resource), SsTwoPrimaries, $"peer '{other.Net.ConnectionName}' (node id {other.PeerNodeId}) is Primary");
        }
        var forced = new List<SimDevice>();
        foreach (var device in replica.Devices.Values)
        {
            if (device.Disk != DrbdDiskState.UpToDate && !PeerHasUpToDate(replica, device))
            {
                if (!force || !device.HasDisk)
                {
                    throw Fail(op, Subject(resource), SsNoUpToDateDisk, $"volume {device.Volume}: local disk {device.Disk} and no connected UpToDate peer");
                }
                forced.Add(device);
            }
            if (!device.HasQuorum)
            {
                throw Fail(op, Subject(resource), SsNoQuorum, device.LastQuorum?.Shortfall);
            }
        }
        foreach (var device in forced)
        {
            device.Metadata!.StartGeneration(NextGeneration());
            device.Metadata.NeedsKiB = 0;
            SetDisk(device, DrbdDiskState.UpToDate);
        }
        replica.Role = DrbdRole.Primary;
        Commit(resource);
    }

    internal void Secondary(SimNode node, string resource)
    {
        RequireResource(node, resource, "secondary").Role = DrbdRole.Secondary;
        Commit(resource);
    }

    internal void ResumeIo(SimNode node, int minor)
    {
        var (replica, _) = RequireMinor(node, minor, "resume-io");
        replica.SuspendedByUser = false;
        Commit(replica.Name);
    }

    /// <summary>Tears the resource down step by step, as drbdsetup down does: demote, disconnect every peer, detach, delete.</summary>
    internal void Down(SimNode node, string resource)
    {
        if (!node.Resources.TryGetValue(resource, out var replica))
        {
            return;
        }
        if (replica.Role == DrbdRole.Primary)
        {
            replica.Role = DrbdRole.Secondary;
            Commit(resource);
        }
        foreach (var connection in replica.Connections.Values.Where(c => c.Wanted).ToList())
        {
            Disconnect(node, replica, connection);
            Commit(resource);
        }
        replica.Connections.Clear();
        Commit(resource);
        foreach (var device in replica.Devices.Values.Where(d => d.Metadata is not null))
        {
            device.DetachToClient = false;
            device.Disk = DrbdDiskState.Detaching;
        }
        Commit(resource);
        node.Resources.Remove(resource);
        Commit(resource);
    }

    private void GracefulDisconnect(SimNode node, SimResource replica, SimConnection connection, bool force, string operation)
    {
        if (!force && connection.Connected && PeerEnd(node, replica, connection) is { Back: { Connected: true } } peer)
        {
            RequireQuorumKept(operation, replica, peer.Replica.NodeId);
            RequireQuorumKept(operation, peer.Replica, replica.NodeId);
        }
        Disconnect(node, replica, connection);
        Commit(replica.Name);
    }

    /// <summary>A graceful disconnect that would cost a Primary its quorum is refused (the peer leaving is outdated when the Primary is the one it leaves).</summary>
    private static void RequireQuorumKept(string operation, SimResource primary, int leavingNodeId)
    {
        if (primary.Role != DrbdRole.Primary)
        {
            return;
        }
        foreach (var device in primary.Devices.Values.Where(d => d.HasQuorum))
        {
            if (CalculateQuorum(primary, device, (leavingNodeId, true)) is { HasQuorum: false } after)
            {
                throw Fail(operation, PeerSubject(primary.Name, leavingNodeId), SsNoQuorum, $"the Primary would lose quorum: {after.Shortfall}");
            }
        }
    }

    private static bool PeerHasUpToDate(SimResource replica, SimDevice device) =>
        replica.Connections.Values.Any(c => c.Connected && c.PeerDevices.GetValueOrDefault(device.Volume) is
            { PeerDisk: DrbdDiskState.UpToDate, Replication: not DrbdReplicationState.Off });

    private static void FinishDetach(SimDevice device)
    {
        device.Metadata?.AttachedMinor = null;
        device.Metadata = null;
        device.BackingDevice = null;
        device.Disk = DrbdDiskState.Diskless;
        device.IntentionalDiskless = device.DetachToClient;
        device.DetachToClient = false;
    }
}
