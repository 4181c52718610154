using Fabric.Node.Drbd.Config;
using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Planning;

/// <summary>
/// The pure diff of one resource's DRBD layer: what the driver must be told so that it runs the
/// desired configuration. No I/O, no clock. A resource that is already as desired plans nothing.
/// The agent never promotes on its own, except once to create the very first UpToDate copy when
/// every diskful replica is connected and none has data yet (the lowest node id does it).
/// </summary>
public static class DrbdPlanner
{
    public static DrbdPlan Plan(DrbdResourceConfig? desired, DrbdKernelResource? kernel, DrbdPlanContext context)
    {
        if (desired is null)
        {
            return kernel is null ? DrbdPlan.Nothing : new DrbdPlan([new DownStep(kernel.Name)], null);
        }
        if (context.Api == DrbdApiVersion.V1 && desired.Peers.Count > 1)
        {
            return new DrbdPlan([], new DrbdPlanProblem(
                $"Resource '{desired.Name}' has {desired.Peers.Count + 1} replicas, but this node's DRBD 8.4 driver connects exactly two.",
                "DRBD 8.4 (the in-tree kernel driver) supports one peer per resource, no diskless tiebreaker and no quorum.",
                "Install DRBD 9 on the node, or keep this resource at two replicas without a tiebreaker."));
        }
        var steps = new List<DrbdStep>();
        var options = EffectiveOptions(desired, context.Api);
        kernel = AdoptUnknownPeer(desired, kernel, context, steps);
        if (kernel is null)
        {
            steps.Add(new NewResourceStep(desired.Name, desired.Local.NodeId, options));
        }
        else if (context.Applied.Resource != options)
        {
            steps.Add(new ResourceOptionsStep(desired.Name, options));
        }
        PlanRemovedPeers(desired, kernel, steps);
        PlanRemovedVolumes(desired, kernel, steps);
        PlanDevices(desired, kernel, context, steps);
        PlanPeers(desired, kernel, context, steps);
        PlanResize(desired, kernel, context, steps);
        if (InitialUpToDate(desired, kernel, context) is { } initial)
        {
            steps.Add(initial);
        }
        return new DrbdPlan(steps, null);
    }

    /// <summary>
    /// DRBD 8.4 names a connection by its addresses only; a driver opened after the connection was
    /// made (an agent restart) reports it with an unknown peer node id (negative). With one peer
    /// desired, that connection is the peer's: the driver is told the peer again (which sends
    /// nothing to an 8.4 kernel) and the connection is planned as the peer's, not torn down.
    /// </summary>
    private static DrbdKernelResource? AdoptUnknownPeer(DrbdResourceConfig desired, DrbdKernelResource? kernel, DrbdPlanContext context, List<DrbdStep> steps)
    {
        if (context.Api != DrbdApiVersion.V1 || kernel is null || desired.Peers.Count != 1
            || kernel.Connections.Values.FirstOrDefault(c => c.PeerNodeId < 0) is not { } unknown
            || kernel.Connections.ContainsKey(desired.Peers[0].Endpoint.NodeId))
        {
            return kernel;
        }
        var peer = desired.Peers[0];
        steps.Add(new NewPeerStep(desired.Name, peer, NetOptionsFor(desired, peer)));
        steps.Add(new NewPathStep(desired.Name, peer, desired.Local));
        return kernel with
        {
            Connections = kernel.Connections.Remove(unknown.PeerNodeId).SetItem(peer.Endpoint.NodeId, unknown with { PeerNodeId = peer.Endpoint.NodeId }),
        };
    }

    /// <summary>8.4 knows no quorum options: they are left out there.</summary>
    public static DrbdResourceOptions EffectiveOptions(DrbdResourceConfig desired, DrbdApiVersion api) =>
        api == DrbdApiVersion.V1
            ? desired.ResourceOptions with { Quorum = null, OnNoQuorum = null, QuorumMinimumRedundancy = null }
            : desired.ResourceOptions;

    public static DrbdNetOptions NetOptionsFor(DrbdResourceConfig desired, DrbdPeerConfig peer) =>
        new(peer.Endpoint.NodeName, desired.Protocol, desired.SharedSecret, desired.CramHmacAlg, desired.AllowTwoPrimaries ? true : null, desired.VerifyAlg, desired.NetTimeouts);

    private static void PlanRemovedPeers(DrbdResourceConfig desired, DrbdKernelResource? kernel, List<DrbdStep> steps)
    {
        if (kernel is null)
        {
            return;
        }
        var wanted = desired.Peers.Select(p => p.Endpoint.NodeId).ToHashSet();
        foreach (var connection in kernel.Connections.Values.Where(c => !wanted.Contains(c.PeerNodeId)))
        {
            steps.Add(new DeletePeerStep(desired.Name, connection.PeerNodeId));
        }
    }

    private static void PlanRemovedVolumes(DrbdResourceConfig desired, DrbdKernelResource? kernel, List<DrbdStep> steps)
    {
        if (kernel is null)
        {
            return;
        }
        var wanted = desired.Volumes.Select(v => v.Volume).ToHashSet();
        foreach (var device in kernel.Devices.Values.Where(d => !wanted.Contains(d.Volume)))
        {
            if (IsAttached(device))
            {
                steps.Add(new DetachStep(device.Volume, device.Minor, IntentionalDiskless: false));
            }
            steps.Add(new DeleteMinorStep(device.Volume, device.Minor));
        }
    }

    private static void PlanDevices(DrbdResourceConfig desired, DrbdKernelResource? kernel, DrbdPlanContext context, List<DrbdStep> steps)
    {
        foreach (var volume in desired.Volumes)
        {
            DrbdKernelDevice? device = kernel is not null && kernel.Devices.TryGetValue(volume.Volume, out var d) ? d : null;
            var diskful = !desired.Diskless && volume.BackingDevice is not null;
            if (device is null)
            {
                steps.Add(new NewMinorStep(desired.Name, volume.Volume, volume.Minor, IntentionalDiskless: desired.Diskless && context.Api == DrbdApiVersion.V2));
                if (diskful)
                {
                    AddAttach(desired, volume, steps);
                }
                continue;
            }
            if (diskful && device.Disk == DrbdDiskState.Diskless)
            {
                AddAttach(desired, volume, steps);
            }
            else if (diskful && IsAttached(device) && context.Applied.Disk.GetValueOrDefault(volume.Volume) != desired.DiskOptions)
            {
                steps.Add(new DiskOptionsStep(volume.Volume, device.Minor, desired.DiskOptions));
            }
            else if (desired.Diskless && IsAttached(device))
            {
                steps.Add(new DetachStep(volume.Volume, device.Minor, IntentionalDiskless: context.Api == DrbdApiVersion.V2));
            }
        }
    }

    private static void AddAttach(DrbdResourceConfig desired, DrbdVolumeConfig volume, List<DrbdStep> steps)
    {
        steps.Add(new EnsureMetadataStep(volume.Volume, volume.Minor, volume.BackingDevice!, desired.PeerSlots));
        steps.Add(new AttachStep(volume.Volume, volume.Minor, new DrbdDiskConfig(volume.BackingDevice!, null, desired.DiskOptions)));
    }

    private static void PlanPeers(DrbdResourceConfig desired, DrbdKernelResource? kernel, DrbdPlanContext context, List<DrbdStep> steps)
    {
        foreach (var peer in desired.Peers)
        {
            if (desired.Diskless && peer.Diskless)
            {
                continue; // two diskless nodes have nothing to say to each other
            }
            DrbdKernelConnection? connection = kernel is not null && kernel.Connections.TryGetValue(peer.Endpoint.NodeId, out var c) ? c : null;
            if (connection is null)
            {
                steps.Add(new NewPeerStep(desired.Name, peer, NetOptionsFor(desired, peer)));
                steps.Add(new NewPathStep(desired.Name, peer, desired.Local));
                if (peer.Diskless && context.Api == DrbdApiVersion.V2)
                {
                    foreach (var volume in desired.Volumes)
                    {
                        steps.Add(new PeerDeviceOptionsStep(desired.Name, peer.Endpoint.NodeId, volume.Volume, new DrbdPeerDeviceOptions(Bitmap: false)));
                    }
                }
                steps.Add(new ConnectStep(desired.Name, peer.Endpoint.NodeId, peer.Endpoint.NodeName));
                continue;
            }
            var net = NetOptionsFor(desired, peer);
            var toldJustNow = steps.OfType<NewPeerStep>().Any(s => s.Peer.Endpoint.NodeId == peer.Endpoint.NodeId);
            if (!toldJustNow && context.Applied.Net.GetValueOrDefault(peer.Endpoint.NodeId) != net)
            {
                steps.Add(new NetOptionsStep(desired.Name, peer.Endpoint.NodeId, net));
            }
            if (!toldJustNow && context.Applied.Paths.TryGetValue(peer.Endpoint.NodeId, out var path) && connection.HasPath
                && (!SameAddress(path.Local, desired.Local) || !SameAddress(path.Peer, peer.Endpoint)))
            {
                steps.Add(new MovePathStep(desired.Name, peer, path.Local, path.Peer, desired.Local));
                continue; // the move connects again
            }
            if (!connection.HasPath)
            {
                steps.Add(new NewPathStep(desired.Name, peer, desired.Local));
            }
            if (connection.State == DrbdConnectionState.StandAlone)
            {
                steps.Add(new ConnectStep(desired.Name, peer.Endpoint.NodeId, peer.Endpoint.NodeName));
            }
        }
    }

    private static bool SameAddress(DrbdEndpoint a, DrbdEndpoint b) => a.Address == b.Address && a.Port == b.Port;

    private static void PlanResize(DrbdResourceConfig desired, DrbdKernelResource? kernel, DrbdPlanContext context, List<DrbdStep> steps)
    {
        if (kernel is null || desired.Diskless)
        {
            return;
        }
        foreach (var volume in desired.Volumes)
        {
            if (kernel.Devices.TryGetValue(volume.Volume, out var device) && IsAttached(device)
                && device.SizeKiB is { } size && size < volume.UsableKiB)
            {
                steps.Add(new ResizeStep(volume.Volume, device.Minor, volume.UsableKiB, context.ThinBacking));
            }
        }
    }

    /// <summary>
    /// The first UpToDate copy: only on the diskful replica with the lowest node id, only when all
    /// its volumes are attached and Inconsistent, and only when every diskful peer is connected,
    /// in sync-idle state and Inconsistent too: then nobody anywhere holds data that could be lost.
    /// </summary>
    private static InitialUpToDateStep? InitialUpToDate(DrbdResourceConfig desired, DrbdKernelResource? kernel, DrbdPlanContext context)
    {
        if (kernel is null || desired.Diskless || desired.Volumes.Count == 0)
        {
            return null;
        }
        var diskfulPeers = desired.Peers.Where(p => !p.Diskless).ToList();
        if (diskfulPeers.Any(p => p.Endpoint.NodeId < desired.Local.NodeId))
        {
            return null;
        }
        var minors = new List<int>();
        foreach (var volume in desired.Volumes)
        {
            if (!kernel.Devices.TryGetValue(volume.Volume, out var device) || device.Disk != DrbdDiskState.Inconsistent)
            {
                return null;
            }
            minors.Add(device.Minor);
        }
        foreach (var peer in diskfulPeers)
        {
            if (!kernel.Connections.TryGetValue(peer.Endpoint.NodeId, out var connection) || connection.State != DrbdConnectionState.Connected)
            {
                return null;
            }
            foreach (var volume in desired.Volumes)
            {
                if (!connection.PeerDevices.TryGetValue(volume.Volume, out var peerDevice)
                    || peerDevice.PeerDisk != DrbdDiskState.Inconsistent
                    || peerDevice.Replication != DrbdReplicationState.Established)
                {
                    return null;
                }
            }
        }
        // Clearing the bitmap needs connected peers to take the new UUID; a lone replica is forced instead.
        return new InitialUpToDateStep(desired.Name, minors, SkipInitialSync: context.ThinBacking && diskfulPeers.Count > 0);
    }

    private static bool IsAttached(DrbdKernelDevice device) => device.Disk is not (DrbdDiskState.Diskless or DrbdDiskState.Failed or DrbdDiskState.Detaching);
}
