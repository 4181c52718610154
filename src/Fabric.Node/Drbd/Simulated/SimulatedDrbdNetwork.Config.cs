using System.Net;
using Fabric.Node.Drbd.Kernel;
using static Fabric.Node.Drbd.Simulated.SimulatedDrbdErrors;

namespace Fabric.Node.Drbd.Simulated;

/// <summary>Configuration operations: resources, minors, peers, paths and options (called under the lock by <see cref="SimulatedDrbdKernel"/>).</summary>
public sealed partial class SimulatedDrbdNetwork
{
    internal void NewResource(SimNode node, string resource, int nodeId, DrbdResourceOptions options)
    {
        const string op = "new-resource";
        if (node.Resources.ContainsKey(resource))
        {
            throw Fail(op, Subject(resource), ErrAlreadyExists);
        }
        if (nodeId is < 0 or > 31)
        {
            throw Fail(op, Subject(resource), ErrInvalidRequest, $"node id {nodeId} is outside 0..31");
        }
        var replica = new SimResource(resource, nodeId);
        replica.Apply(options);
        node.Resources[resource] = replica;
        Commit(resource);
    }

    internal void ChangeResourceOptions(SimNode node, string resource, DrbdResourceOptions options)
    {
        RequireResource(node, resource, "resource-options").Apply(options);
        Commit(resource);
    }

    internal void DeleteResource(SimNode node, string resource)
    {
        var replica = RequireResource(node, resource, "del-resource");
        if (replica.Devices.Count > 0 || replica.Connections.Count > 0)
        {
            throw Fail("del-resource", Subject(resource), ErrResInUse);
        }
        node.Resources.Remove(resource);
        Commit(resource);
    }

    internal void NewMinor(SimNode node, string resource, int minor, int volume, bool intentionalDiskless)
    {
        const string op = "new-minor";
        var replica = RequireResource(node, resource, op);
        if (minor is < 0 or > (1 << 20) - 1)
        {
            throw Fail(op, $"minor {minor}", ErrMinorInvalid, "minor numbers go from 0 to 1048575");
        }
        if (node.Minor(minor) is not null || replica.Devices.ContainsKey(volume))
        {
            throw Fail(op, $"minor {minor} (volume {volume} of resource '{resource}')", ErrMinorOrVolumeExists);
        }
        replica.Devices[volume] = new SimDevice(volume, minor, intentionalDiskless);
        foreach (var connection in replica.Connections.Values)
        {
            connection.PeerDevices[volume] = new SimPeerDevice(volume);
        }
        Commit(resource);
    }

    internal void DeleteMinor(SimNode node, int minor)
    {
        var (replica, device) = RequireMinor(node, minor, "del-minor");
        if (device.Metadata is not null)
        {
            throw Fail("del-minor", $"minor {minor}", ErrMinorConfigured);
        }
        replica.Devices.Remove(device.Volume);
        foreach (var connection in replica.Connections.Values)
        {
            connection.PeerDevices.Remove(device.Volume);
        }
        Commit(replica.Name);
    }

    internal void ChangeDiskOptions(SimNode node, int minor, DrbdDiskOptions options)
    {
        var (replica, device) = RequireMinor(node, minor, "disk-options");
        var old = device.DiskOptions;
        device.DiskOptions = new DrbdDiskOptions(
            options.DiskFlushes ?? old.DiskFlushes,
            options.MdFlushes ?? old.MdFlushes,
            options.AlExtents ?? old.AlExtents,
            options.ResyncRateKiB ?? old.ResyncRateKiB,
            options.CPlanAhead ?? old.CPlanAhead);
        Commit(replica.Name);
    }

    internal void NewPeer(SimNode node, string resource, int peerNodeId, DrbdNetOptions options)
    {
        const string op = "new-peer";
        var replica = RequireResource(node, resource, op);
        if (peerNodeId is < 0 or > 31 || peerNodeId == replica.NodeId)
        {
            throw Fail(op, PeerSubject(resource, peerNodeId), ErrInvalidPeerNodeId, $"peer node id must be 0..31 and not this node's own id {replica.NodeId}");
        }
        if (replica.Connections.ContainsKey(peerNodeId))
        {
            throw Fail(op, PeerSubject(resource, peerNodeId), ErrAlreadyExists);
        }
        var connection = new SimConnection(peerNodeId, options);
        foreach (var volume in replica.Devices.Keys)
        {
            connection.PeerDevices[volume] = new SimPeerDevice(volume);
        }
        replica.Connections[peerNodeId] = connection;
        Commit(resource);
    }

    internal void ChangeNetOptions(SimNode node, string resource, int peerNodeId, DrbdNetOptions options)
    {
        RequireConnection(node, resource, peerNodeId, "net-options").Connection.Net = options;
        Commit(resource);
    }

    internal void DeletePeer(SimNode node, string resource, int peerNodeId, bool force)
    {
        const string op = "del-peer";
        var (replica, connection) = RequireConnection(node, resource, peerNodeId, op);
        if (connection.Wanted)
        {
            GracefulDisconnect(node, replica, connection, force, op);
        }
        replica.Connections.Remove(peerNodeId);
        Commit(resource);
    }

    internal void NewPath(SimNode node, string resource, int peerNodeId, IPEndPoint local, IPEndPoint peer)
    {
        var (_, connection) = RequireConnection(node, resource, peerNodeId, "new-path");
        if (connection.Paths.Any(p => p.Local.Equals(local) && p.Peer.Equals(peer)))
        {
            throw Fail("new-path", $"path {local} -> {peer} of {PeerSubject(resource, peerNodeId)}", ErrAlreadyExists);
        }
        connection.Paths.Add((local, peer));
        Commit(resource);
    }

    internal void DeletePath(SimNode node, string resource, int peerNodeId, IPEndPoint local, IPEndPoint peer)
    {
        var (replica, connection) = RequireConnection(node, resource, peerNodeId, "del-path");
        var index = connection.Paths.FindIndex(p => p.Local.Equals(local) && p.Peer.Equals(peer));
        if (index < 0)
        {
            throw Fail("del-path", $"path {local} -> {peer} of {PeerSubject(resource, peerNodeId)}", ErrInvalidRequest, "no such path");
        }
        connection.Paths.RemoveAt(index);
        if (connection.Connected && connection.Paths.Count == 0)
        {
            Lose(replica, connection, DrbdConnectionState.NetworkFailure);
        }
        Commit(resource);
    }

    internal void ChangePeerDeviceOptions(SimNode node, string resource, int peerNodeId, int volume, DrbdPeerDeviceOptions options)
    {
        var (_, connection) = RequireConnection(node, resource, peerNodeId, "peer-device-options");
        var peerDevice = connection.PeerDevices.GetValueOrDefault(volume)
            ?? throw Fail("peer-device-options", $"volume {volume} of {PeerSubject(resource, peerNodeId)}", ErrInvalidRequest, "unknown volume");
        var old = peerDevice.Options;
        peerDevice.Options = new DrbdPeerDeviceOptions(options.Bitmap ?? old.Bitmap, options.ResyncRateKiB ?? old.ResyncRateKiB, options.CPlanAhead ?? old.CPlanAhead);
        Commit(resource);
    }

    internal void ForgetPeer(SimNode node, string resource, int peerNodeId)
    {
        var replica = RequireResource(node, resource, "forget-peer");
        if (replica.Connections.ContainsKey(peerNodeId))
        {
            throw Fail("forget-peer", PeerSubject(resource, peerNodeId), ErrNetConfigured);
        }
        foreach (var device in replica.Devices.Values)
        {
            device.Metadata?.Slots.Remove(peerNodeId);
        }
        Commit(resource);
    }

    private static SimResource RequireResource(SimNode node, string resource, string operation) =>
        node.Resources.GetValueOrDefault(resource) ?? throw Fail(operation, Subject(resource), ErrResNotKnown);

    private static (SimResource Replica, SimDevice Device) RequireMinor(SimNode node, int minor, string operation)
    {
        foreach (var replica in node.Resources.Values)
        {
            if (replica.Devices.Values.FirstOrDefault(d => d.Minor == minor) is { } device)
            {
                return (replica, device);
            }
        }
        throw Fail(operation, $"minor {minor}", ErrMinorInvalid);
    }

    private static (SimResource Replica, SimConnection Connection) RequireConnection(SimNode node, string resource, int peerNodeId, string operation)
    {
        var replica = RequireResource(node, resource, operation);
        var connection = replica.Connections.GetValueOrDefault(peerNodeId)
            ?? throw Fail(operation, PeerSubject(resource, peerNodeId), ErrInvalidRequest, "unknown connection");
        return (replica, connection);
    }

    private static string Subject(string resource) => $"resource '{resource}'";

    private static string PeerSubject(string resource, int peerNodeId) => $"peer node id {peerNodeId} of resource '{resource}'";
}
