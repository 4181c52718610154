using System.Collections.Immutable;

namespace Fabric.Node.Drbd.State;

/// <summary>Why a resource's I/O is frozen (events2 <c>suspended:</c>): by the user, for lack of data, by fencing, for lack of quorum.</summary>
public sealed record DrbdSuspension(bool User, bool NoData, bool Fencing, bool Quorum)
{
    public static DrbdSuspension None { get; } = new(false, false, false, false);

    public bool Any => User || NoData || Fencing || Quorum;

    /// <summary>drbdsetup's spelling: "no", or the reasons joined by commas, e.g. "user,quorum".</summary>
    public override string ToString()
    {
        var reasons = new List<string>(4);
        if (User)
        {
            reasons.Add("user");
        }
        if (NoData)
        {
            reasons.Add("no-data");
        }
        if (Fencing)
        {
            reasons.Add("fencing");
        }
        if (Quorum)
        {
            reasons.Add("quorum");
        }
        return reasons.Count == 0 ? "no" : string.Join(',', reasons);
    }
}

/// <summary>One local volume: its minor, disk state, whether it is a diskless client, quorum, open and size.</summary>
public sealed record DrbdVolumeStatus(int Volume, int Minor, DrbdDiskState Disk, bool Client, bool HasQuorum, bool Open, long? SizeKiB, string? BackingDevice);

/// <summary>One volume towards one peer: replication, the peer's disk, and the sync progress while a resync runs.</summary>
/// <param name="DonePercent">100 × (rs_total − to_go) / rs_total while a resync or verify runs; null otherwise.</param>
public sealed record DrbdPeerVolumeStatus(
    int Volume,
    DrbdReplicationState Replication,
    DrbdDiskState PeerDisk,
    bool PeerClient,
    bool ResyncSuspended,
    long? OutOfSyncKiB,
    double? DonePercent);

/// <summary>One peer node: the connection state, its role as seen from here, and its volumes.</summary>
public sealed record DrbdPeerStatus(int NodeId, string? Name, DrbdConnectionState Connection, DrbdRole Role, ImmutableArray<DrbdPeerVolumeStatus> Volumes)
{
    public bool Equals(DrbdPeerStatus? other) =>
        other is not null && NodeId == other.NodeId && Name == other.Name && Connection == other.Connection
        && Role == other.Role && Volumes.SequenceEqual(other.Volumes);

    public override int GetHashCode() => HashCode.Combine(NodeId, Name, Connection, Role, Volumes.Length);
}

/// <summary>
/// What the agent reports about one DRBD resource on its node, derived from the folded kernel
/// state: role, suspension, in use (Primary), drbdsetup's <c>may_promote</c> and
/// <c>promotion_score</c>, and per volume and per peer the states that matter. Value equality, so a
/// changed status is detectable by comparison.
/// </summary>
public sealed record DrbdResourceStatus(
    string Name,
    DrbdRole Role,
    DrbdSuspension Suspended,
    bool ForceIoFailures,
    bool MayPromote,
    int PromotionScore,
    ImmutableArray<DrbdVolumeStatus> Volumes,
    ImmutableArray<DrbdPeerStatus> Peers)
{
    /// <summary>The resource is Primary here (LINSTOR's <c>in_use</c>).</summary>
    public bool InUse => Role == DrbdRole.Primary;

    public DrbdVolumeStatus? Volume(int volume) => Volumes.FirstOrDefault(v => v.Volume == volume);

    public DrbdPeerStatus? Peer(int nodeId) => Peers.FirstOrDefault(p => p.NodeId == nodeId);

    public bool Equals(DrbdResourceStatus? other) =>
        other is not null && Name == other.Name && Role == other.Role && Suspended == other.Suspended
        && ForceIoFailures == other.ForceIoFailures && MayPromote == other.MayPromote && PromotionScore == other.PromotionScore
        && Volumes.SequenceEqual(other.Volumes) && Peers.SequenceEqual(other.Peers);

    public override int GetHashCode() => HashCode.Combine(Name, Role, Suspended, MayPromote, PromotionScore, Volumes.Length, Peers.Length);
}
