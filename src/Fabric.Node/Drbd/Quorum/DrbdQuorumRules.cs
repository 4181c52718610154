namespace Fabric.Node.Drbd.Quorum;

/// <summary>
/// DRBD 9's per-device quorum calculation (<c>calc_quorum()</c> in drbd_state.c, see
/// shared/reference/drbd-states.md §3), as a pure function of how this node sees itself and its peers:
/// <list type="number">
/// <item>classify self and every known peer (up_to_date, present, outdated, quorumless, unknown, diskless, missing_diskless; quorate peers on a diskless node);</item>
/// <item>voters = every diskful class; when the absent nodes alone could reach quorum, quorumless ones count as unknown;</item>
/// <item>last man standing: when no one is unknown, the absent (Outdated/quorumless) nodes drop out of the voters;</item>
/// <item>quorum_at and min_redundancy_at from majority / all / N;</item>
/// <item>quorum = a quorate UpToDate peer (diskless nodes), or enough visible voters with enough UpToDate;</item>
/// <item>the diskless tiebreaker keeps (never gains) quorum when one vote short with an even voter count;</item>
/// <item>with quorum off the result is forced true, the real value is computed as for majority.</item>
/// </list>
/// </summary>
public static class DrbdQuorumRules
{
    public static DrbdQuorumResult Calculate(DrbdQuorumSettings settings, DrbdQuorumSelf self, IEnumerable<DrbdQuorumPeer> peers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(peers);

        var withDisk = self.Disk > DrbdDiskState.Attaching;
        var counts = Classify(self, peers, withDisk);

        var enforced = !settings.Quorum.IsOff;
        var quorumSetting = enforced ? settings.Quorum : DrbdQuorum.Majority;

        // Step 2: quorumless peers count as unknown when the absent nodes alone could form a quorum.
        var allVoters = counts.Outdated + counts.Quorumless + counts.Unknown + counts.UpToDate + counts.Present;
        if (counts.Quorumless > 0 && counts.Absent >= QuorumAt(quorumSetting, allVoters))
        {
            counts = counts with { Unknown = counts.Unknown + counts.Quorumless, Quorumless = 0 };
        }

        // Step 3: last man standing - with no unknown node, the absent ones cannot promote elsewhere.
        var voters = counts.Unknown > 0 ? allVoters : counts.UpToDate + counts.Present;

        var quorumAt = QuorumAt(quorumSetting, voters);
        var minimumRedundancyAt = QuorumAt(settings.MinimumRedundancy, voters);

        var basis = DrbdQuorumBasis.Lost;
        if (counts.QuoratePeers > 0)
        {
            basis = DrbdQuorumBasis.QuoratePeer;
        }
        else if (counts.Visible >= quorumAt && counts.UpToDate >= minimumRedundancyAt)
        {
            basis = DrbdQuorumBasis.Votes;
        }
        else if (KeptByTiebreaker(counts, voters, quorumAt, self.HadQuorum))
        {
            basis = DrbdQuorumBasis.Tiebreaker;
        }

        var real = basis != DrbdQuorumBasis.Lost;
        return new DrbdQuorumResult(
            HasQuorum: real || !enforced,
            RealQuorum: real,
            Enforced: enforced,
            Basis: basis,
            Counts: counts,
            Voters: voters,
            QuorumAt: quorumAt,
            MinimumRedundancyAt: minimumRedundancyAt,
            WithDisk: withDisk);
    }

    /// <summary>DRBD's <c>calc_quorum_at()</c>: majority = voters/2+1, all = voters, N = N, off = 0.</summary>
    public static int QuorumAt(DrbdQuorum setting, int voters) => setting.Value switch
    {
        DrbdQuorum.MajorityValue => voters / 2 + 1,
        DrbdQuorum.AllValue => voters,
        _ => setting.Value,
    };

    /// <summary>
    /// Step 6: an even, non-zero number of voters, exactly one visible vote short, a majority of the
    /// intentionally diskless nodes connected, and quorum before this change.
    /// </summary>
    private static bool KeptByTiebreaker(DrbdQuorumCounts counts, int voters, int quorumAt, bool hadQuorum) =>
        hadQuorum
        && voters != 0
        && voters % 2 == 0
        && counts.Visible == quorumAt - 1
        && counts.Diskless >= QuorumAt(DrbdQuorum.Majority, counts.Diskless + counts.MissingDiskless);

    private static DrbdQuorumCounts Classify(DrbdQuorumSelf self, IEnumerable<DrbdQuorumPeer> peers, bool withDisk)
    {
        int upToDate = 0, present = 0, outdated = 0, quorumless = 0, unknown = 0, diskless = 0, missingDiskless = 0, quoratePeers = 0;

        if (withDisk)
        {
            if (self.Disk == DrbdDiskState.UpToDate)
            {
                upToDate++;
            }
            else
            {
                present++;
            }
        }
        else if (self.Disk == DrbdDiskState.Diskless)
        {
            // A diskless node only votes as a tiebreaker when it is meant to be diskless.
            if (self.IntentionalDiskless)
            {
                diskless++;
            }
            else
            {
                unknown++;
            }
        }

        foreach (var peer in peers)
        {
            if (!peer.AllowRemoteRead || (peer.IntentionalDiskless && !peer.Tiebreaker) || !peer.Known)
            {
                continue;
            }
            if (!peer.Connected)
            {
                if (peer.IntentionalDiskless)
                {
                    missingDiskless++;
                }
                else if (peer.Disk <= DrbdDiskState.Outdated || peer.MarkedOutdated)
                {
                    outdated++;
                }
                else if (peer.LeftWhileQuorate)
                {
                    quorumless++;
                }
                else
                {
                    unknown++;
                }
                continue;
            }
            if (peer.IntentionalDiskless && peer.Disk == DrbdDiskState.Diskless)
            {
                diskless++;
            }
            else if (peer.Disk == DrbdDiskState.UpToDate)
            {
                upToDate++;
                if (!withDisk && peer.HasQuorum)
                {
                    quoratePeers++;
                }
            }
            else
            {
                present++;
            }
        }

        return new DrbdQuorumCounts(upToDate, present, outdated, quorumless, unknown, diskless, missingDiskless, quoratePeers);
    }
}
