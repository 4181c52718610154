namespace Fabric.Node.Drbd.Quorum;

/// <summary>How the nodes of one device were classified (DRBD's <c>struct quorum_detail</c>).</summary>
/// <param name="QuoratePeers">Connected UpToDate peers that report quorum; counted only by a node without a disk.</param>
public sealed record DrbdQuorumCounts(
    int UpToDate,
    int Present,
    int Outdated,
    int Quorumless,
    int Unknown,
    int Diskless,
    int MissingDiskless,
    int QuoratePeers)
{
    /// <summary>The voting nodes this node can see (itself included when it has a disk).</summary>
    public int Visible => UpToDate + Present;

    /// <summary>Voting nodes that are absent.</summary>
    public int Absent => Outdated + Quorumless + Unknown;
}

/// <summary>Why a device has (or lacks) quorum.</summary>
public enum DrbdQuorumBasis
{
    /// <summary>No quorum: too few voters visible or too few UpToDate.</summary>
    Lost,

    /// <summary>Enough voters are visible (and UpToDate for quorum-minimum-redundancy).</summary>
    Votes,

    /// <summary>A diskless node sees an UpToDate peer that has quorum.</summary>
    QuoratePeer,

    /// <summary>One vote short with an even voter count, kept through the majority of the diskless tiebreakers.</summary>
    Tiebreaker,
}

/// <summary>
/// The outcome of DRBD's per-device quorum calculation. <see cref="HasQuorum"/> is what the kernel
/// enforces and reports (<c>quorum:yes|no</c>); with <c>quorum off</c> it is forced true while
/// <see cref="RealQuorum"/> still says whether a majority would have it.
/// </summary>
/// <param name="Voters">The voters after "last man standing" (absent Outdated nodes drop out when no one is unknown).</param>
/// <param name="QuorumAt">Visible voters needed for quorum.</param>
/// <param name="MinimumRedundancyAt">UpToDate nodes needed (quorum-minimum-redundancy; 0 when off).</param>
public sealed record DrbdQuorumResult(
    bool HasQuorum,
    bool RealQuorum,
    bool Enforced,
    DrbdQuorumBasis Basis,
    DrbdQuorumCounts Counts,
    int Voters,
    int QuorumAt,
    int MinimumRedundancyAt,
    bool WithDisk)
{
    /// <summary>
    /// The reason DRBD gives when it refuses promotion for lack of (real) quorum, in its own words:
    /// "no UpToDate peer with quorum", "2 of 4 nodes visible, need 3 for quorum" or
    /// "1 of 3 nodes up_to_date, need 2 for quorum-minimum-redundancy". Null while there is quorum.
    /// </summary>
    public string? Shortfall
    {
        get
        {
            if (RealQuorum)
            {
                return null;
            }
            if (!WithDisk)
            {
                return "no UpToDate peer with quorum";
            }
            if (Counts.Visible < QuorumAt)
            {
                return $"{Counts.Visible} of {Voters} nodes visible, need {QuorumAt} for quorum";
            }
            return $"{Counts.UpToDate} of {Voters} nodes up_to_date, need {MinimumRedundancyAt} for quorum-minimum-redundancy";
        }
    }
}
