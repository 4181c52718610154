using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.State;
using static Fabric.Node.Drbd.Kernel.DrbdNotificationKind;
using static Fabric.Node.Tests.Drbd.DrbdEvents;

namespace Fabric.Node.Tests.Drbd;

public sealed class DrbdStatusRulesTests
{
    private static DrbdResourceStatus StatusAfter(params DrbdEventBatch[] batches) =>
        DrbdStatusRules.Status(batches.Aggregate(DrbdHostState.Empty, DrbdStateMachine.Apply), Resource)!;

    /// <summary>drbd-utils' events2-all-create-change.test fixture, line by line (may_promote / promotion_score as drbdsetup printed them).</summary>
    [Fact]
    public void Promotion_info_matches_the_drbdsetup_fixture()
    {
        var state = DrbdStateMachine.Apply(DrbdHostState.Empty, Initial());
        state = DrbdStateMachine.Apply(state, Batch(Res(Create), Dev(Create, DrbdDiskState.Diskless), Conn(Create, DrbdConnectionState.StandAlone),
            Peer(Create, DrbdReplicationState.Off, DrbdDiskState.DUnknown), Path(Create, false)));
        Assert.Equal((false, 0), DrbdStatusRules.PromotionInfo(state.Resources[Resource]));

        state = DrbdStateMachine.Apply(state, Batch(Dev(Change, DrbdDiskState.UpToDate, backing: "/dev/sda")));
        Assert.Equal((true, 10101), DrbdStatusRules.PromotionInfo(state.Resources[Resource]));

        state = DrbdStateMachine.Apply(state, Batch(Conn(Change, DrbdConnectionState.Connected, DrbdRole.Secondary)));
        state = DrbdStateMachine.Apply(state, Batch(Peer(Change, DrbdReplicationState.Established, DrbdDiskState.UpToDate)));
        Assert.Equal((true, 10102), DrbdStatusRules.PromotionInfo(state.Resources[Resource]));

        state = DrbdStateMachine.Apply(state, Batch(Res(Change, DrbdRole.Primary)));
        Assert.Equal((false, 10102), DrbdStatusRules.PromotionInfo(state.Resources[Resource]));
        Assert.True(DrbdStatusRules.Status(state.Resources[Resource]).InUse);
    }

    [Fact]
    public void A_diskless_node_may_promote_only_with_a_stable_up_to_date_peer()
    {
        var stable = StatusAfter(Initial(Res(Exists), Dev(Exists, DrbdDiskState.Diskless, client: true), Conn(Exists, DrbdConnectionState.Connected, DrbdRole.Secondary),
            Peer(Exists, DrbdReplicationState.Established, DrbdDiskState.UpToDate, stable: true)));
        var unstable = StatusAfter(Initial(Res(Exists), Dev(Exists, DrbdDiskState.Diskless, client: true), Conn(Exists, DrbdConnectionState.Connected, DrbdRole.Secondary),
            Peer(Exists, DrbdReplicationState.Established, DrbdDiskState.UpToDate, stable: false)));

        Assert.True(stable.MayPromote);
        Assert.Equal(1, stable.PromotionScore); // no local disk: 0 * 10000 + 0 * 100 + 1 replica
        Assert.False(unstable.MayPromote);
        Assert.Equal(1, unstable.PromotionScore);
    }

    [Fact]
    public void Another_primary_forbids_promotion_but_keeps_the_score()
    {
        var status = StatusAfter(Initial(Res(Exists), Dev(Exists, DrbdDiskState.UpToDate), Conn(Exists, DrbdConnectionState.Connected, DrbdRole.Primary),
            Peer(Exists, DrbdReplicationState.Established, DrbdDiskState.UpToDate)));

        Assert.False(status.MayPromote);
        Assert.Equal(10102, status.PromotionScore);
    }

    [Theory]
    [InlineData("no devices")]
    [InlineData("failing I/O")]
    [InlineData("a device without quorum")]
    [InlineData("a volume without any UpToDate replica")]
    public void Nothing_to_promote_scores_zero(string why)
    {
        DrbdNotification[] objects = why switch
        {
            "no devices" => [Res(Exists)],
            "failing I/O" => [Res(Exists, failIo: true), Dev(Exists, DrbdDiskState.UpToDate)],
            "a device without quorum" => [Res(Exists), Dev(Exists, DrbdDiskState.UpToDate, quorum: false)],
            _ => [Res(Exists), Dev(Exists, DrbdDiskState.UpToDate), Dev(Exists, DrbdDiskState.Inconsistent, volume: 1, minor: 1001)],
        };

        var status = StatusAfter(Initial(objects));

        Assert.False(status.MayPromote);
        Assert.Equal(0, status.PromotionScore);
    }

    [Fact]
    public void Score_counts_local_disks_and_the_fewest_replicas()
    {
        var status = StatusAfter(Initial(Res(Exists), Dev(Exists, DrbdDiskState.UpToDate), Dev(Exists, DrbdDiskState.Outdated, volume: 1, minor: 1001),
            Conn(Exists, DrbdConnectionState.Connected, DrbdRole.Secondary),
            Peer(Exists, DrbdReplicationState.Established, DrbdDiskState.UpToDate), Peer(Exists, DrbdReplicationState.Established, DrbdDiskState.UpToDate, volume: 1)));

        // An Outdated local disk is not "Consistent/Inconsistent/UpToDate": no 10000; one UpToDate local volume: 100; fewest replicas 1.
        Assert.Equal(101, status.PromotionScore);
        Assert.True(status.MayPromote);
    }

    [Fact]
    public void Done_is_the_resync_percentage_while_a_resync_runs()
    {
        var syncing = StatusAfter(Initial(Res(Exists), Dev(Exists, DrbdDiskState.UpToDate), Conn(Exists, DrbdConnectionState.Connected, DrbdRole.Secondary),
            Peer(Exists, DrbdReplicationState.SyncSource, DrbdDiskState.Inconsistent, outOfSync: 5000, total: 8000)));
        var established = StatusAfter(Initial(Res(Exists), Dev(Exists, DrbdDiskState.UpToDate), Conn(Exists, DrbdConnectionState.Connected, DrbdRole.Secondary),
            Peer(Exists, DrbdReplicationState.Established, DrbdDiskState.UpToDate, outOfSync: 0, total: 8000)));

        var volume = Assert.Single(syncing.Peer(1)!.Volumes);
        Assert.Equal(37.5, volume.DonePercent);
        Assert.Equal(5000, volume.OutOfSyncKiB);
        Assert.Null(Assert.Single(established.Peer(1)!.Volumes).DonePercent);
    }

    [Fact]
    public void Without_a_resync_total_as_from_DRBD_84_the_out_of_sync_amount_when_the_resync_began_is_the_total()
    {
        var state = DrbdStateMachine.Apply(DrbdHostState.Empty, Initial(Res(Exists), Dev(Exists, DrbdDiskState.UpToDate), Conn(Exists, DrbdConnectionState.Connected, DrbdRole.Secondary),
            Peer(Exists, DrbdReplicationState.Established, DrbdDiskState.Outdated, outOfSync: 8000)));
        state = DrbdStateMachine.Apply(state, Batch(Peer(Change, DrbdReplicationState.SyncSource, DrbdDiskState.Inconsistent, outOfSync: 8000)));
        Assert.Equal(0.0, Assert.Single(DrbdStatusRules.Status(state, Resource)!.Peer(1)!.Volumes).DonePercent);

        state = DrbdStateMachine.Apply(state, Batch(Peer(Change, DrbdReplicationState.SyncSource, DrbdDiskState.Inconsistent, outOfSync: 2000)));
        Assert.Equal(75.0, Assert.Single(DrbdStatusRules.Status(state, Resource)!.Peer(1)!.Volumes).DonePercent);

        state = DrbdStateMachine.Apply(state, Batch(Peer(Change, DrbdReplicationState.Established, DrbdDiskState.UpToDate, outOfSync: 0)));
        Assert.Null(Assert.Single(DrbdStatusRules.Status(state, Resource)!.Peer(1)!.Volumes).DonePercent);
    }

    [Fact]
    public void Failed_resync_blocks_do_not_count_as_to_go()
    {
        var info = new DrbdPeerDeviceInfo(DrbdReplicationState.SyncTarget, DrbdDiskState.UpToDate, false, false, OutOfSyncKiB: 3000, ResyncTotalKiB: 4000, ResyncFailedKiB: 1000);

        Assert.Equal(50.0, DrbdStatusRules.DonePercent(info));
    }

    [Fact]
    public void Status_reports_roles_suspension_and_volumes()
    {
        var status = StatusAfter(Initial(Res(Exists, DrbdRole.Primary, suspendedQuorum: true), Dev(Exists, DrbdDiskState.UpToDate, quorum: false, backing: "/dev/sdb"),
            Conn(Exists, DrbdConnectionState.Connecting), Peer(Exists, DrbdReplicationState.Off, DrbdDiskState.DUnknown)));

        Assert.Equal(DrbdRole.Primary, status.Role);
        Assert.Equal("quorum", status.Suspended.ToString());
        Assert.Equal(new DrbdVolumeStatus(0, 1000, DrbdDiskState.UpToDate, false, false, false, 1024, "/dev/sdb"), status.Volume(0));
        Assert.Equal(DrbdConnectionState.Connecting, status.Peer(1)!.Connection);
        Assert.Equal(DrbdRole.Unknown, status.Peer(1)!.Role);
    }

    [Fact]
    public void Statuses_compare_by_value()
    {
        DrbdEventBatch Snapshot() => Initial(Res(Exists), Dev(Exists, DrbdDiskState.UpToDate), Conn(Exists, DrbdConnectionState.Connected, DrbdRole.Secondary),
            Peer(Exists, DrbdReplicationState.Established, DrbdDiskState.UpToDate));

        Assert.Equal(StatusAfter(Snapshot()), StatusAfter(Snapshot()));
        Assert.NotEqual(StatusAfter(Snapshot()), StatusAfter(Snapshot(), Batch(Peer(Change, DrbdReplicationState.Established, DrbdDiskState.Outdated))));
    }

    [Theory]
    [InlineData(false, false, false, false, "no")]
    [InlineData(true, false, false, true, "user,quorum")]
    [InlineData(true, true, true, true, "user,no-data,fencing,quorum")]
    public void Suspension_is_spelled_as_drbdsetup_does(bool user, bool noData, bool fencing, bool quorum, string expected) =>
        Assert.Equal(expected, new DrbdSuspension(user, noData, fencing, quorum).ToString());
}
