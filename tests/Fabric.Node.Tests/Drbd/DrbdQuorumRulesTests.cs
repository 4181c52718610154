using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Quorum;

namespace Fabric.Node.Tests.Drbd;

/// <summary>
/// One row per branch of DRBD's calc_quorum() as described in shared/reference/drbd-states.md §3;
/// each row names the rule it checks (§3 step number).
/// </summary>
public sealed class DrbdQuorumRulesTests
{
    private static readonly DrbdQuorumSettings Majority = DrbdQuorumSettings.Majority;

    public sealed record Case(
        string Rule,
        DrbdQuorumSettings Settings,
        DrbdQuorumSelf Self,
        DrbdQuorumPeer[] Peers,
        bool HasQuorum,
        bool RealQuorum,
        DrbdQuorumBasis Basis,
        int Voters,
        int QuorumAt,
        string? Shortfall = null)
    {
        public override string ToString() => Rule;
    }

    private static DrbdQuorumSelf UpToDate(bool had = true) => new(DrbdDiskState.UpToDate, false, had);

    private static DrbdQuorumPeer Up(int id, bool quorate = false) => new(id, true, DrbdDiskState.UpToDate, HasQuorum: quorate);

    private static DrbdQuorumPeer Present(int id, DrbdDiskState disk) => new(id, true, disk);

    private static DrbdQuorumPeer Gone(int id) => new(id, false, DrbdDiskState.DUnknown);

    private static DrbdQuorumPeer OutdatedPeer(int id) => new(id, false, DrbdDiskState.Outdated);

    private static DrbdQuorumPeer Quorumless(int id) => new(id, false, DrbdDiskState.DUnknown, LeftWhileQuorate: true);

    private static DrbdQuorumPeer Tiebreaker(int id, bool connected = true) => new(id, connected, connected ? DrbdDiskState.Diskless : DrbdDiskState.DUnknown, IntentionalDiskless: true);

    public static TheoryData<Case> Cases() =>
    [
        // Step 1: classification
        new("1: self UpToDate counts up_to_date; alone it is 1 of 1 voters", Majority, UpToDate(false), [], true, true, DrbdQuorumBasis.Votes, 1, 1),
        new("1: self Inconsistent counts present", Majority, new(DrbdDiskState.Inconsistent, false, false), [Up(1)], true, true, DrbdQuorumBasis.Votes, 2, 2),
        new("1: a peer never seen (no bitmap slot / not PEER_DEVICE_SEEN) is ignored", Majority, UpToDate(false),
            [Gone(1) with { Known = false }, Gone(2) with { Known = false }], true, true, DrbdQuorumBasis.Votes, 1, 1),
        new("1: allow-remote-read no excludes the peer", Majority, UpToDate(false),
            [Gone(1) with { AllowRemoteRead = false }, Gone(2) with { AllowRemoteRead = false }], true, true, DrbdQuorumBasis.Votes, 1, 1),
        new("1: an unconnected peer with disk Outdated counts outdated (dropped by step 3)", Majority, UpToDate(), [OutdatedPeer(1), Up(2)], true, true, DrbdQuorumBasis.Votes, 2, 2),
        new("1: an unconnected Inconsistent peer counts outdated (disk <= Outdated)", Majority, UpToDate(), [new(1, false, DrbdDiskState.Inconsistent), Up(2)], true, true, DrbdQuorumBasis.Votes, 2, 2),
        new("1: MDF_PEER_OUTDATED counts outdated although the disk is DUnknown", Majority, UpToDate(),
            [Gone(1) with { MarkedOutdated = true }, Gone(2) with { MarkedOutdated = true }], true, true, DrbdQuorumBasis.Votes, 1, 1),
        new("1: an unconnected peer otherwise counts unknown", Majority, UpToDate(), [Gone(1), Gone(2)], false, false, DrbdQuorumBasis.Lost, 3, 2,
            "1 of 3 nodes visible, need 2 for quorum"),
        new("1: a connected non-UpToDate peer counts present", Majority, UpToDate(), [Present(1, DrbdDiskState.Outdated), Gone(2)], true, true, DrbdQuorumBasis.Votes, 3, 2),
        new("1: a connected intentionally diskless peer counts diskless, not as a voter", Majority, UpToDate(false), [Tiebreaker(1), Tiebreaker(2)], true, true, DrbdQuorumBasis.Votes, 1, 1),
        new("1: an intentionally diskless peer that has a disk attached counts by its disk", Majority, UpToDate(),
            [new(1, true, DrbdDiskState.UpToDate, IntentionalDiskless: true), Gone(2)], true, true, DrbdQuorumBasis.Votes, 3, 2),

        // Step 2: quorumless
        new("2: a peer that left while we were quorate is quorumless and drops out like an outdated one", Majority, UpToDate(), [Quorumless(1), Tiebreaker(2, false)],
            true, true, DrbdQuorumBasis.Votes, 1, 1),
        new("2: quorumless peers count as unknown when the absent nodes alone could reach quorum", Majority, UpToDate(), [Quorumless(1), Quorumless(2)],
            false, false, DrbdQuorumBasis.Lost, 3, 2, "1 of 3 nodes visible, need 2 for quorum"),

        // Step 3: last man standing
        new("3: all absent nodes Outdated, none unknown: they leave the voters and a lone Primary keeps quorum", Majority, UpToDate(), [OutdatedPeer(1), OutdatedPeer(2)],
            true, true, DrbdQuorumBasis.Votes, 1, 1),
        new("3: one unknown node keeps the outdated ones among the voters", Majority, UpToDate(), [OutdatedPeer(1), Gone(2)],
            false, false, DrbdQuorumBasis.Lost, 3, 2, "1 of 3 nodes visible, need 2 for quorum"),

        // Step 4: quorum_at
        new("4: majority of 4 voters is 3", Majority, UpToDate(), [Up(1), Gone(2), Gone(3)], false, false, DrbdQuorumBasis.Lost, 4, 3,
            "2 of 4 nodes visible, need 3 for quorum"),
        new("4: all needs every voter", new(DrbdQuorum.All, DrbdQuorum.Off), UpToDate(), [Up(1), Gone(2)], false, false, DrbdQuorumBasis.Lost, 3, 3,
            "2 of 3 nodes visible, need 3 for quorum"),
        new("4: a number N needs N visible voters (met)", new(new DrbdQuorum(2), DrbdQuorum.Off), UpToDate(), [Up(1), Gone(2), Gone(3), Gone(4)], true, true, DrbdQuorumBasis.Votes, 5, 2),
        new("4: a number N needs N visible voters (missed)", new(new DrbdQuorum(2), DrbdQuorum.Off), UpToDate(), [Gone(1)], false, false, DrbdQuorumBasis.Lost, 2, 2,
            "1 of 2 nodes visible, need 2 for quorum"),

        // Step 5: quorum-minimum-redundancy
        new("5: quorum-minimum-redundancy counts only UpToDate nodes", new(DrbdQuorum.Majority, new DrbdQuorum(2)), UpToDate(),
            [Present(1, DrbdDiskState.Inconsistent), Gone(2)], false, false, DrbdQuorumBasis.Lost, 3, 2, "1 of 3 nodes up_to_date, need 2 for quorum-minimum-redundancy"),
        new("5: quorum-minimum-redundancy majority is met by 2 of 3 UpToDate", new(DrbdQuorum.Majority, DrbdQuorum.Majority), UpToDate(),
            [Up(1), Gone(2)], true, true, DrbdQuorumBasis.Votes, 3, 2),

        // Step 1/5: a node without a disk
        new("5: a diskless node has quorum through an UpToDate peer that has quorum", Majority, new(DrbdDiskState.Diskless, true, false),
            [Up(1, quorate: true), Gone(2)], true, true, DrbdQuorumBasis.QuoratePeer, 2, 2),
        new("5: without a quorate peer a diskless node needs the votes", Majority, new(DrbdDiskState.Diskless, true, false),
            [Up(1), Gone(2)], false, false, DrbdQuorumBasis.Lost, 2, 2, "no UpToDate peer with quorum"),
        new("6: a diskless tiebreaker counts itself among the diskless and so keeps its own quorum", Majority, new(DrbdDiskState.Diskless, true, true),
            [Up(1), Gone(2)], true, true, DrbdQuorumBasis.Tiebreaker, 2, 2),
        new("1: an intentionally diskless node counts itself diskless (no vote)", Majority, new(DrbdDiskState.Diskless, true, false), [Up(1)], true, true, DrbdQuorumBasis.Votes, 1, 1),
        new("1: a node that is diskless by accident counts itself unknown", Majority, new(DrbdDiskState.Diskless, false, false), [Up(1)],
            false, false, DrbdQuorumBasis.Lost, 2, 2, "no UpToDate peer with quorum"),
        new("1: a device still attaching counts itself neither way", Majority, new(DrbdDiskState.Attaching, false, false), [Up(1)], true, true, DrbdQuorumBasis.Votes, 1, 1),
        new("5: quorate peers only count for a node without a disk", Majority, UpToDate(), [Up(1, quorate: true), Gone(2), Gone(3)],
            false, false, DrbdQuorumBasis.Lost, 4, 3, "2 of 4 nodes visible, need 3 for quorum"),
        new("5: a lone intentionally diskless node has no voters and no quorum", Majority, new(DrbdDiskState.Diskless, true, true), [],
            false, false, DrbdQuorumBasis.Lost, 0, 1, "no UpToDate peer with quorum"),

        // Step 6: diskless tiebreaker
        new("6: 2 diskful + tiebreaker: one vote short, tiebreaker connected, had quorum: kept", Majority, UpToDate(), [Gone(1), Tiebreaker(2)],
            true, true, DrbdQuorumBasis.Tiebreaker, 2, 2),
        new("6: the tiebreaker never gains quorum: without quorum before, lost", Majority, UpToDate(had: false), [Gone(1), Tiebreaker(2)],
            false, false, DrbdQuorumBasis.Lost, 2, 2, "1 of 2 nodes visible, need 2 for quorum"),
        new("6: the isolated diskful node does not see the tiebreaker: lost", Majority, UpToDate(), [Gone(1), Tiebreaker(2, connected: false)],
            false, false, DrbdQuorumBasis.Lost, 2, 2, "1 of 2 nodes visible, need 2 for quorum"),
        new("6: an odd number of voters gets no tiebreaker", Majority, UpToDate(), [Gone(1), Gone(2), Tiebreaker(3)],
            false, false, DrbdQuorumBasis.Lost, 3, 2, "1 of 3 nodes visible, need 2 for quorum"),
        new("6: two votes short gets no tiebreaker", Majority, UpToDate(), [Gone(1), Gone(2), Gone(3), Tiebreaker(4)],
            false, false, DrbdQuorumBasis.Lost, 4, 3, "1 of 4 nodes visible, need 3 for quorum"),
        new("6: one of two tiebreakers is not a majority of them", Majority, UpToDate(), [Gone(1), Tiebreaker(2), Tiebreaker(3, connected: false)],
            false, false, DrbdQuorumBasis.Lost, 2, 2, "1 of 2 nodes visible, need 2 for quorum"),
        new("6: both of two tiebreakers are", Majority, UpToDate(), [Gone(1), Tiebreaker(2), Tiebreaker(3)], true, true, DrbdQuorumBasis.Tiebreaker, 2, 2),
        new("1/6: a tiebreaker with peer-tiebreaker no is excluded and cannot keep quorum", Majority, UpToDate(), [Gone(1), Tiebreaker(2) with { Tiebreaker = false }],
            false, false, DrbdQuorumBasis.Lost, 2, 2, "1 of 2 nodes visible, need 2 for quorum"),
        new("1/6: a missing tiebreaker counts in the diskless majority", Majority, UpToDate(), [Gone(1), Tiebreaker(2), Tiebreaker(3, connected: false), Tiebreaker(4, connected: false)],
            false, false, DrbdQuorumBasis.Lost, 2, 2, "1 of 2 nodes visible, need 2 for quorum"),

        // Step 7: quorum off
        new("7: quorum off forces quorum while the real (majority) value is lost", DrbdQuorumSettings.Off, UpToDate(), [Gone(1), Gone(2)],
            true, false, DrbdQuorumBasis.Lost, 3, 2, "1 of 3 nodes visible, need 2 for quorum"),
        new("7: quorum off with a real majority", DrbdQuorumSettings.Off, UpToDate(), [Up(1), Gone(2)], true, true, DrbdQuorumBasis.Votes, 3, 2),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Calculates_quorum_as_drbd_does(Case c)
    {
        var result = DrbdQuorumRules.Calculate(c.Settings, c.Self, c.Peers);

        Assert.Equal(c.HasQuorum, result.HasQuorum);
        Assert.Equal(c.RealQuorum, result.RealQuorum);
        Assert.Equal(c.Basis, result.Basis);
        Assert.Equal(c.Voters, result.Voters);
        Assert.Equal(c.QuorumAt, result.QuorumAt);
        Assert.Equal(c.Shortfall, result.Shortfall);
        Assert.Equal(!c.Settings.Quorum.IsOff, result.Enforced);
    }

    [Fact]
    public void Classification_counts_every_class()
    {
        var result = DrbdQuorumRules.Calculate(Majority, UpToDate(),
            [Up(1), Present(2, DrbdDiskState.Inconsistent), OutdatedPeer(3), Quorumless(4), Gone(5), Tiebreaker(6), Tiebreaker(7, connected: false)]);

        Assert.Equal(new DrbdQuorumCounts(UpToDate: 2, Present: 1, Outdated: 1, Quorumless: 1, Unknown: 1, Diskless: 1, MissingDiskless: 1, QuoratePeers: 0), result.Counts);
        Assert.Equal(6, result.Voters);
    }

    [Theory]
    [InlineData(DrbdQuorum.MajorityValue, 0, 1)]
    [InlineData(DrbdQuorum.MajorityValue, 1, 1)]
    [InlineData(DrbdQuorum.MajorityValue, 2, 2)]
    [InlineData(DrbdQuorum.MajorityValue, 3, 2)]
    [InlineData(DrbdQuorum.MajorityValue, 4, 3)]
    [InlineData(DrbdQuorum.MajorityValue, 5, 3)]
    [InlineData(DrbdQuorum.AllValue, 5, 5)]
    [InlineData(3, 5, 3)]
    [InlineData(DrbdQuorum.OffValue, 5, 0)]
    public void Quorum_at_follows_the_setting(int setting, int voters, int expected) =>
        Assert.Equal(expected, DrbdQuorumRules.QuorumAt(new DrbdQuorum(setting), voters));
}
