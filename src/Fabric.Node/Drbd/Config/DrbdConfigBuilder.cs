using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Fabric.Core.Protocol;

namespace Fabric.Node.Drbd.Config;

/// <summary>
/// Pure: a replica's desired state, seen from its own node, → the DRBD configuration that node
/// must run (<see cref="DrbdResourceConfig"/>), or the first reason it cannot (a bad
/// <c>DrbdOptions/*</c> value, a peer without address or port, a volume without minor, ...).
/// </summary>
public static class DrbdConfigBuilder
{
    /// <summary>DRBD node ids and bitmap slots: 0..31 and 1..31 (drbdmeta's MAX_PEERS range).</summary>
    public const int MaxNodeId = 31;

    public const int MaxPeerSlots = 31;

    /// <summary>The largest DRBD minor (20 bits).</summary>
    public const int MaxMinor = (1 << 20) - 1;

    /// <summary>DRBD's SHARED_SECRET_MAX.</summary>
    public const int MaxSecretLength = 64;

    /// <param name="localNodeName">The node that runs this configuration (drbd.conf's <c>on</c> name).</param>
    /// <param name="backingDevices">The local backing block device per volume number; a missing or null entry
    /// means not known yet (or diskless). Ignored when the replica is diskless.</param>
    public static DrbdConfigResult<DrbdResourceConfig> Build(DesiredResource desired, string localNodeName, IReadOnlyDictionary<int, string?> backingDevices)
    {
        var rsc = desired.Name;
        if (!desired.HasDrbd || desired.Drbd is not { } drbd)
        {
            return Error(
                $"Resource '{rsc}' has no DRBD layer.",
                $"Its layer stack is {string.Join(",", desired.LayerStack)}; a DRBD configuration exists only for resources with DRBD in their stack.",
                "Use the storage device directly, or create the resource definition with a layer list that starts with DRBD.");
        }
        if (!string.Equals(drbd.TransportType, "IP", StringComparison.OrdinalIgnoreCase))
        {
            return Error(
                $"Resource '{rsc}' uses the DRBD transport '{drbd.TransportType}'.",
                "Fabric renders and runs DRBD over the TCP transport (LINSTOR's transport type IP) only.",
                $"Set the resource definition's transport type to IP.");
        }
        if (NameProblem(rsc) is { } badName)
        {
            return Error($"Resource name '{rsc}' cannot be written to a DRBD configuration.", badName, "Use a LINSTOR resource name (letters, digits, '_' and '-').");
        }
        if (drbd.Secret.Length > MaxSecretLength || drbd.Secret.Any(c => c is '"' or '\\' || char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return Error(
                $"The shared secret of resource '{rsc}' cannot be used by DRBD.",
                $"DRBD takes a secret of at most {MaxSecretLength} characters without quotes, backslashes or white space.",
                "Recreate the resource definition (Fabric generates a valid secret).");
        }
        if (drbd.PeerSlots is < 1 or > MaxPeerSlots)
        {
            return Error(
                $"Resource '{rsc}' has {drbd.PeerSlots} peer slots.",
                $"DRBD 9 meta-data holds 1 to {MaxPeerSlots} peer bitmaps.",
                "Set drbd_peer_slots of the resource definition to a value in that range.");
        }

        var options = DrbdOptionsParser.Parse(drbd.Options);
        if (options.Error is { } optionError)
        {
            return optionError with { Message = $"Resource '{rsc}' on node '{localNodeName}': {optionError.Message}" };
        }
        var local = Endpoint(rsc, localNodeName, desired.NodeId, drbd.LocalAddress, desired.Port, isLocal: true);
        if (local.Error is { } localError)
        {
            return localError;
        }
        var volumes = Volumes(desired, backingDevices);
        if (volumes.Error is { } volumeError)
        {
            return volumeError;
        }
        var peers = Peers(desired, local.Value!);
        if (peers.Error is { } peerError)
        {
            return peerError;
        }
        var diskfulPeers = peers.Value!.Count(p => !p.Diskless);
        if (!desired.Diskless && diskfulPeers > drbd.PeerSlots)
        {
            return Error(
                $"Resource '{rsc}' on node '{localNodeName}' has {diskfulPeers} diskful peers but only {drbd.PeerSlots} peer slots.",
                "Every diskful peer needs a bitmap slot in this node's DRBD meta-data.",
                "Remove replicas, or recreate the resource definition with more drbd_peer_slots.");
        }

        var option = options.Value!;
        return DrbdConfigResult<DrbdResourceConfig>.Ok(new DrbdResourceConfig(
            rsc,
            local.Value!,
            desired.Diskless,
            volumes.Value!,
            peers.Value!,
            drbd.Secret,
            option.CramHmacAlg,
            option.Protocol,
            drbd.PeerSlots,
            option.Resource,
            option.Disk,
            option.AllowTwoPrimaries,
            option.VerifyAlg,
            option.NetTimeouts));
    }

    /// <summary>Why a name cannot be written into drbd.conf, or null.</summary>
    public static string? NameProblem(string name) =>
        name.Length == 0 ? "The name is empty."
        : name.Any(c => c is '"' or '\\' || char.IsWhiteSpace(c) || char.IsControl(c)) ? "drbd.conf names must not contain quotes, backslashes or white space."
        : null;

    private static DrbdConfigResult<DrbdEndpoint> Endpoint(string rsc, string node, int nodeId, string? address, int? port, bool isLocal)
    {
        var which = isLocal ? "this node" : "peer";
        if (NameProblem(node) is { } badName)
        {
            return Error($"Node name '{node}' cannot be written to a DRBD configuration.", badName, "Use a LINSTOR node name (letters, digits, '_', '-' and '.').");
        }
        if (nodeId is < 0 or > MaxNodeId)
        {
            return Error($"Resource '{rsc}' on {which} '{node}' has DRBD node id {nodeId}.", $"DRBD node ids range from 0 to {MaxNodeId}.", "Recreate the replica with drbd_node_id in that range.");
        }
        if (string.IsNullOrWhiteSpace(address))
        {
            return Error(
                $"Resource '{rsc}': {which} '{node}' has no address for DRBD.",
                $"DRBD connects to a node's IP address, and node '{node}' has no net interface.",
                $"Add one named 'default' with POST /v1/nodes/{node}/net-interfaces.");
        }
        if (!IPAddress.TryParse(address, out var ip) || ip.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6) || address.Contains('%'))
        {
            return Error(
                $"Resource '{rsc}': address '{address}' of {which} '{node}' is not an IP address DRBD can use.",
                "drbd.conf addresses are plain IPv4 or IPv6 addresses (no host names, no scope ids).",
                $"Change the 'default' net interface of node '{node}' to its IP address.");
        }
        if (port is not { } p || p is < 1 or > 65535)
        {
            return Error(
                $"Resource '{rsc}' on {which} '{node}' has no DRBD TCP port.",
                port is null ? "No port was allocated for this replica." : $"Port {port} is outside 1..65535.",
                "Check the controller prop TcpPortAutoRange and recreate the replica.");
        }
        return DrbdConfigResult<DrbdEndpoint>.Ok(new DrbdEndpoint(node, nodeId, ip.ToString(), p));
    }

    private static DrbdConfigResult<ImmutableList<DrbdVolumeConfig>> Volumes(DesiredResource desired, IReadOnlyDictionary<int, string?> backingDevices)
    {
        var rsc = desired.Name;
        var volumes = ImmutableList.CreateBuilder<DrbdVolumeConfig>();
        foreach (var volume in desired.Volumes.OrderBy(v => v.VolumeNumber))
        {
            if (volume.Minor is not { } minor || minor is < 0 or > MaxMinor)
            {
                return Error(
                    $"Volume {volume.VolumeNumber} of resource '{rsc}' has no DRBD minor.",
                    volume.Minor is null ? "No minor number was allocated for the volume." : $"Minor {volume.Minor} is outside 0..{MaxMinor}.",
                    "Check the controller prop MinorNrAutoRange and recreate the volume definition.");
            }
            if (volumes.FirstOrDefault(v => v.Minor == minor) is { } clash)
            {
                return Error(
                    $"Volumes {clash.Volume} and {volume.VolumeNumber} of resource '{rsc}' share DRBD minor {minor}.",
                    "Every DRBD device needs its own minor.",
                    "Recreate one of the volume definitions with another minor.");
            }
            string? device = null;
            if (!desired.Diskless)
            {
                device = backingDevices.TryGetValue(volume.VolumeNumber, out var path) ? path : null;
                if (string.IsNullOrEmpty(device))
                {
                    return Error(
                        $"The backing device of volume {volume.VolumeNumber} of resource '{rsc}' is not known.",
                        "The node agent has not reported the storage volume under DRBD yet (it is created first).",
                        "Wait until the volume shows a device path in its STORAGE layer data, then retry.");
                }
                if (!device.StartsWith('/') || device.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '\\' or ';' or '{' or '}'))
                {
                    return Error(
                        $"The backing device '{device}' of volume {volume.VolumeNumber} of resource '{rsc}' cannot be written to a DRBD configuration.",
                        "drbd.conf needs an absolute device path without white space, quotes, backslashes, ';' or braces.",
                        "Use a storage pool whose device paths are plain (LVM, ZFS, FILE).");
                }
            }
            volumes.Add(new DrbdVolumeConfig(volume.VolumeNumber, minor, device, volume.SizeKiB));
        }
        return DrbdConfigResult<ImmutableList<DrbdVolumeConfig>>.Ok(volumes.ToImmutable());
    }

    private static DrbdConfigResult<ImmutableList<DrbdPeerConfig>> Peers(DesiredResource desired, DrbdEndpoint local)
    {
        var rsc = desired.Name;
        var localFamily = IPAddress.Parse(local.Address).AddressFamily;
        var peers = ImmutableList.CreateBuilder<DrbdPeerConfig>();
        var ordered = desired.Peers.OrderBy(p => p.NodeName, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.NodeName, StringComparer.Ordinal);
        foreach (var peer in ordered)
        {
            if (string.Equals(peer.NodeName, local.NodeName, StringComparison.OrdinalIgnoreCase) || peers.Any(p => string.Equals(p.Endpoint.NodeName, peer.NodeName, StringComparison.OrdinalIgnoreCase)))
            {
                return Error($"Resource '{rsc}' lists node '{peer.NodeName}' twice.", "A DRBD resource has one replica per node.", "Delete the duplicate replica.");
            }
            var endpoint = Endpoint(rsc, peer.NodeName, peer.NodeId, peer.Address, peer.Port, isLocal: false);
            if (endpoint.Error is { } error)
            {
                return error;
            }
            var other = endpoint.Value!;
            if (other.NodeId == local.NodeId || peers.FirstOrDefault(p => p.Endpoint.NodeId == other.NodeId) is { })
            {
                return Error(
                    $"Resource '{rsc}': node '{peer.NodeName}' has DRBD node id {other.NodeId}, which another replica uses.",
                    "Every replica of a DRBD resource needs its own node id.",
                    "Delete the replica and create it again (the controller picks a free node id).");
            }
            if (IPAddress.Parse(other.Address).AddressFamily != localFamily)
            {
                return Error(
                    $"Resource '{rsc}': node '{local.NodeName}' ({local.Address}) and node '{peer.NodeName}' ({other.Address}) have addresses of different families.",
                    "A DRBD connection runs between two IPv4 or two IPv6 addresses.",
                    "Give both nodes a 'default' net interface of the same address family.");
            }
            peers.Add(new DrbdPeerConfig(other, peer.Diskless, TieBreaker: peer.Diskless && peer.TieBreaker));
        }
        return DrbdConfigResult<ImmutableList<DrbdPeerConfig>>.Ok(peers.ToImmutable());
    }

    private static DrbdConfigError Error(string message, string cause, string correction) => new(message, cause, correction);
}
