using System.Collections.Immutable;
using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Config;

/// <summary>One node's end of a resource: its name (drbd.conf <c>on</c> name), node id and address.</summary>
/// <param name="Address">An IPv4 or IPv6 address (no brackets).</param>
public sealed record DrbdEndpoint(string NodeName, int NodeId, string Address, int Port);

/// <summary>One volume of the resource as this node runs it.</summary>
/// <param name="BackingDevice">The local backing device; null on a diskless replica.</param>
/// <param name="UsableKiB">The size the DRBD device offers (the volume definition's size).</param>
public sealed record DrbdVolumeConfig(int Volume, int Minor, string? BackingDevice, long UsableKiB)
{
    public string DevicePath => $"/dev/drbd{Minor}";
}

/// <summary>Another replica this node connects to.</summary>
/// <param name="Diskless">An intentionally diskless peer (DRBD client or tiebreaker): no bitmap slot, never a sync source.</param>
/// <param name="TieBreaker">A diskless tiebreaker that only exists to keep quorum.</param>
public sealed record DrbdPeerConfig(DrbdEndpoint Endpoint, bool Diskless, bool TieBreaker = false);

/// <summary>
/// Everything the DRBD layer of one replica on this node must be: the input of the pure planner
/// (<c>DrbdPlanner</c>), of the <c>.res</c> renderer and of the REST <c>drbd-config</c> extension.
/// Peers are sorted by node name; volumes by number.
/// </summary>
/// <param name="Diskless">This replica has no local disk (client or tiebreaker).</param>
/// <param name="PeerSlots">Bitmap slots the meta-data is created with (max-peers).</param>
/// <param name="VerifyAlg">The online-verify digest (net option verify-alg); null leaves it unset.</param>
public sealed record DrbdResourceConfig(
    string Name,
    DrbdEndpoint Local,
    bool Diskless,
    ImmutableList<DrbdVolumeConfig> Volumes,
    ImmutableList<DrbdPeerConfig> Peers,
    string SharedSecret,
    string CramHmacAlg,
    char Protocol,
    int PeerSlots,
    DrbdResourceOptions ResourceOptions,
    DrbdDiskOptions DiskOptions,
    bool AllowTwoPrimaries = false,
    string? VerifyAlg = null,
    DrbdNetTimeouts? NetTimeouts = null);
