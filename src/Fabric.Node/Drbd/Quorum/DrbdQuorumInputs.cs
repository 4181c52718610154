namespace Fabric.Node.Drbd.Quorum;

/// <summary>The resource options that decide quorum: <c>quorum</c> and <c>quorum-minimum-redundancy</c> (both default off).</summary>
public sealed record DrbdQuorumSettings(DrbdQuorum Quorum, DrbdQuorum MinimumRedundancy)
{
    public static DrbdQuorumSettings Off { get; } = new(DrbdQuorum.Off, DrbdQuorum.Off);

    public static DrbdQuorumSettings Majority { get; } = new(DrbdQuorum.Majority, DrbdQuorum.Off);
}

/// <summary>This node's own device (volume) as the quorum calculation sees it.</summary>
/// <param name="Disk">The local disk state; a device counts "with disk" above <see cref="DrbdDiskState.Attaching"/>.</param>
/// <param name="IntentionalDiskless">Configured as a diskless client/tiebreaker (<c>new-minor --diskless</c>).</param>
/// <param name="HadQuorum">The device's previous real quorum value (the tiebreaker rule only keeps quorum, it never gains it).</param>
public sealed record DrbdQuorumSelf(DrbdDiskState Disk, bool IntentionalDiskless, bool HadQuorum);

/// <summary>One peer of the device as this node sees it.</summary>
/// <param name="Connected">The peer device's replication state is not <see cref="DrbdReplicationState.Off"/>.</param>
/// <param name="Disk">The peer's disk state as last known (DUnknown while never seen or after a network failure).</param>
/// <param name="IntentionalDiskless">The peer is an intentionally diskless node (no bitmap for it).</param>
/// <param name="Known">
/// The peer counts at all: its bitmap slot exists and it was seen connected at least once (meta-data flags
/// <c>MDF_NODE_EXISTS|MDF_HAVE_BITMAP</c> and <c>MDF_PEER_DEVICE_SEEN</c>). A never-seen peer, diskful or not, is ignored.
/// </param>
/// <param name="MarkedOutdated">The meta-data remembers the peer as outdated (<c>MDF_PEER_OUTDATED</c>), e.g. after it disconnected gracefully.</param>
/// <param name="LeftWhileQuorate">The peer left the current membership while this node had quorum ("quorumless").</param>
/// <param name="HasQuorum">The connected peer reports quorum (<c>PEER_QUORATE</c>); only a diskless node uses it.</param>
/// <param name="AllowRemoteRead">False when the connection has <c>allow-remote-read no</c>: the peer is excluded.</param>
/// <param name="Tiebreaker">False when an intentionally diskless peer has <c>peer-tiebreaker no</c>: the peer is excluded.</param>
public sealed record DrbdQuorumPeer(
    int NodeId,
    bool Connected,
    DrbdDiskState Disk,
    bool IntentionalDiskless = false,
    bool Known = true,
    bool MarkedOutdated = false,
    bool LeftWhileQuorate = false,
    bool HasQuorum = false,
    bool AllowRemoteRead = true,
    bool Tiebreaker = true);
