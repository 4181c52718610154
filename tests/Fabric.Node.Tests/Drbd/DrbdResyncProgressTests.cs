using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.State;
using static Fabric.Node.Tests.Drbd.DrbdEvents;

namespace Fabric.Node.Tests.Drbd;

/// <summary>Merging polled dumps into the followed state while a resync runs (DRBD 8.4 sends no progress events).</summary>
public sealed class DrbdResyncProgressTests
{
    private static readonly DrbdNotificationKind Exists = DrbdNotificationKind.Exists;

    /// <summary>As 8.4 reports a resync's start: SyncTarget with what is out of sync then, no total.</summary>
    private static DrbdHostState Resyncing(long outOfSyncKiB, DrbdReplicationState replication = DrbdReplicationState.SyncTarget) =>
        DrbdStateMachine.Apply(DrbdHostState.Empty, Initial(
            Res(Exists),
            Conn(Exists, DrbdConnectionState.Connected),
            Dev(Exists, DrbdDiskState.Inconsistent),
            Peer(Exists, replication, DrbdDiskState.UpToDate, outOfSync: outOfSyncKiB, total: null)));

    private static DrbdPeerDeviceInfo PeerDevice(DrbdHostState state) => state.Find(Resource)!.Connections[1].PeerDevices[0];

    [Fact]
    public void Polled_counters_move_the_done_percentage_of_a_resync_that_sends_no_progress_events()
    {
        var state = Resyncing(160_000);
        Assert.Equal(0.0, DrbdStatusRules.DonePercent(PeerDevice(state)));

        var (merged, changed) = DrbdResyncProgress.Merge(state, Initial(Res(Exists), Peer(Exists, DrbdReplicationState.SyncTarget, DrbdDiskState.UpToDate, outOfSync: 40_000, total: null)));

        Assert.Equal([Resource], changed);
        Assert.Equal(40_000, PeerDevice(merged).OutOfSyncKiB);
        Assert.Equal(160_000, PeerDevice(merged).ResyncTotalKiB);
        Assert.Equal(75.0, DrbdStatusRules.DonePercent(PeerDevice(merged)));
    }

    [Fact]
    public void A_dump_that_already_shows_the_resync_ended_changes_nothing_the_event_stream_reports_the_end()
    {
        var state = Resyncing(160_000);

        var (merged, changed) = DrbdResyncProgress.Merge(state, Initial(Peer(Exists, DrbdReplicationState.Established, DrbdDiskState.UpToDate, outOfSync: 0, total: null)));

        Assert.Empty(changed);
        Assert.Same(state, merged);
        Assert.Equal(DrbdReplicationState.SyncTarget, PeerDevice(merged).Replication);
    }

    [Fact]
    public void A_dump_does_not_revive_a_peer_device_or_resource_the_events_destroyed()
    {
        var state = DrbdStateMachine.Apply(Resyncing(160_000), Batch(Peer(DrbdNotificationKind.Destroy, DrbdReplicationState.Off, DrbdDiskState.DUnknown)));
        var other = new DrbdPeerDeviceNotification(Exists, "other-resource", 1, "some-peer", 0, new DrbdPeerDeviceInfo(DrbdReplicationState.SyncSource, DrbdDiskState.Inconsistent, false, false, 10, null));

        var (merged, changed) = DrbdResyncProgress.Merge(state, Initial(Peer(Exists, DrbdReplicationState.SyncTarget, DrbdDiskState.UpToDate, outOfSync: 1_000, total: null), other));

        Assert.Empty(changed);
        Assert.Empty(merged.Find(Resource)!.Connections[1].PeerDevices);
        Assert.Null(merged.Find("other-resource"));
    }

    [Fact]
    public void A_reported_total_larger_than_the_inferred_one_wins_and_the_total_never_drops_below_what_is_out_of_sync()
    {
        var state = Resyncing(1_000);

        var (larger, _) = DrbdResyncProgress.Merge(state, Initial(Peer(Exists, DrbdReplicationState.SyncTarget, DrbdDiskState.UpToDate, outOfSync: 500, total: 4_000)));
        var (grown, _) = DrbdResyncProgress.Merge(state, Initial(Peer(Exists, DrbdReplicationState.SyncTarget, DrbdDiskState.UpToDate, outOfSync: 3_000, total: null)));

        Assert.Equal(4_000, PeerDevice(larger).ResyncTotalKiB);
        Assert.Equal(3_000, PeerDevice(grown).ResyncTotalKiB);
        Assert.Equal(0.0, DrbdStatusRules.DonePercent(PeerDevice(grown)));
    }

    [Fact]
    public void Polling_is_needed_exactly_while_some_peer_device_resyncs_or_verifies()
    {
        Assert.False(DrbdResyncProgress.AnyRunning(DrbdHostState.Empty));
        Assert.True(DrbdResyncProgress.AnyRunning(Resyncing(10)));
        Assert.True(DrbdResyncProgress.AnyRunning(Resyncing(10, DrbdReplicationState.VerifyS)));
        var ended = DrbdStateMachine.Apply(Resyncing(10), Batch(Peer(DrbdNotificationKind.Change, DrbdReplicationState.Established, DrbdDiskState.UpToDate)));
        Assert.False(DrbdResyncProgress.AnyRunning(ended));
    }
}
