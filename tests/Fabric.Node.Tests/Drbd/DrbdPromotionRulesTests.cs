using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Quorum;
using Fabric.Node.Drbd.State;
using static Fabric.Node.Drbd.Kernel.DrbdNotificationKind;
using static Fabric.Node.Tests.Drbd.DrbdEvents;

namespace Fabric.Node.Tests.Drbd;

public sealed class DrbdPromotionRulesTests
{
    private static DrbdHostState State(params DrbdNotification[] objects) => DrbdStateMachine.Apply(DrbdHostState.Empty, Initial(objects));

    private static DrbdPromotionDecision Decide(params DrbdNotification[] objects) => DrbdPromotionRules.Decide(State(objects), Resource, DrbdQuorumSettings.Majority);

    [Fact]
    public void Allowed_with_quorum_up_to_date_data_and_no_other_primary()
    {
        var decision = Decide(Res(Exists), Dev(Exists, DrbdDiskState.UpToDate), Conn(Exists, DrbdConnectionState.Connected, DrbdRole.Secondary),
            Peer(Exists, DrbdReplicationState.Established, DrbdDiskState.UpToDate));

        Assert.True(decision.Allowed);
        Assert.Equal(DrbdPromotionRefusal.None, decision.Refusal);
    }

    [Fact]
    public void Refused_without_quorum_with_drbds_count()
    {
        var decision = Decide(Res(Exists), Dev(Exists, DrbdDiskState.UpToDate, quorum: false),
            Conn(Exists, DrbdConnectionState.Connected, DrbdRole.Secondary, peer: 1), Peer(Exists, DrbdReplicationState.Established, DrbdDiskState.UpToDate, peer: 1),
            Conn(Exists, DrbdConnectionState.Connecting, peer: 2), Peer(Exists, DrbdReplicationState.Off, DrbdDiskState.DUnknown, peer: 2),
            Conn(Exists, DrbdConnectionState.Connecting, peer: 3), Peer(Exists, DrbdReplicationState.Off, DrbdDiskState.DUnknown, peer: 3));

        Assert.False(decision.Allowed);
        Assert.Equal(DrbdPromotionRefusal.NoQuorum, decision.Refusal);
        Assert.Equal("volume 0 has no quorum: 2 of 4 nodes visible, need 3 for quorum", decision.Reason);
    }

    [Fact]
    public void Refused_without_up_to_date_data()
    {
        var decision = Decide(Res(Exists), Dev(Exists, DrbdDiskState.Inconsistent), Conn(Exists, DrbdConnectionState.Connecting),
            Peer(Exists, DrbdReplicationState.Off, DrbdDiskState.DUnknown));

        Assert.Equal(DrbdPromotionRefusal.NoUpToDateData, decision.Refusal);
        Assert.Contains("volume 0 has no access to UpToDate data (local disk Inconsistent", decision.Reason);
    }

    [Fact]
    public void A_diskless_node_uses_a_connected_up_to_date_peer()
    {
        var decision = Decide(Res(Exists), Dev(Exists, DrbdDiskState.Diskless, client: true), Conn(Exists, DrbdConnectionState.Connected, DrbdRole.Secondary),
            Peer(Exists, DrbdReplicationState.Established, DrbdDiskState.UpToDate));

        Assert.True(decision.Allowed);
    }

    [Fact]
    public void Refused_while_another_node_is_primary_unless_two_primaries_are_allowed()
    {
        DrbdNotification[] objects = [Res(Exists), Dev(Exists, DrbdDiskState.UpToDate), Conn(Exists, DrbdConnectionState.Connected, DrbdRole.Primary),
            Peer(Exists, DrbdReplicationState.Established, DrbdDiskState.UpToDate)];

        var refused = Decide(objects);
        var allowed = DrbdPromotionRules.Decide(State(objects), Resource, DrbdQuorumSettings.Majority, allowTwoPrimaries: true);

        Assert.Equal(DrbdPromotionRefusal.AnotherPrimary, refused.Refusal);
        Assert.StartsWith("peer 'some-peer' (node id 1) is Primary", refused.Reason);
        Assert.True(allowed.Allowed);
    }

    [Fact]
    public void Already_primary_is_allowed()
    {
        Assert.True(Decide(Res(Exists, DrbdRole.Primary), Dev(Exists, DrbdDiskState.UpToDate, quorum: false)).Allowed);
    }

    [Theory]
    [InlineData(DrbdPromotionRefusal.UnknownResource)]
    [InlineData(DrbdPromotionRefusal.NoVolumes)]
    [InlineData(DrbdPromotionRefusal.FailingIo)]
    public void Refused_when_there_is_nothing_to_promote(DrbdPromotionRefusal expected)
    {
        var state = expected switch
        {
            DrbdPromotionRefusal.UnknownResource => State(),
            DrbdPromotionRefusal.NoVolumes => State(Res(Exists)),
            _ => State(Res(Exists, failIo: true), Dev(Exists, DrbdDiskState.UpToDate)),
        };

        var decision = DrbdPromotionRules.Decide(state, Resource, DrbdQuorumSettings.Majority);

        Assert.False(decision.Allowed);
        Assert.Equal(expected, decision.Refusal);
    }
}
