using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Quorum;
using Fabric.Node.Drbd.Simulated;
using Fabric.Node.Drbd.State;

namespace Fabric.Node.Tests.Drbd;

/// <summary>Scenarios (a) and (b): a diskful minority cut off loses quorum, the majority (with the tiebreaker) keeps it; a heal resyncs what was written.</summary>
public sealed class SimulatedTiebreakerScenarioTests
{
    private const string R = SimulatedDrbdCluster.Resource;
    private const int Minor = SimulatedDrbdCluster.Minor;
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Two_diskful_and_a_tiebreaker_keep_quorum_on_the_side_with_the_tiebreaker_and_resync_after_heal()
    {
        await using var cluster = await SimulatedDrbdCluster.StartAsync(3, new("a", 0), new("b", 1), new("t", 2, Diskless: true));
        await cluster.UpAsync(new DrbdResourceOptions(Quorum: DrbdQuorum.Majority, OnNoQuorum: DrbdOnNoQuorum.IoError), sizeKiB: 1_048_576);
        cluster.Settle();
        await cluster.Kernel("a").NewCurrentUuidAsync(Minor, clearBitmap: true, Ct);
        await cluster.Kernel("a").PrimaryAsync(R, false, Ct);
        Assert.Equal(SimulatedWriteResult.Ok, await cluster.Kernel("a").WriteAsync(Minor, 64));
        Assert.All(new[] { "a", "b", "t" }, n => Assert.True(cluster.Volume(n).HasQuorum));
        Assert.True(cluster.Volume("t").Client);

        cluster.Network.Isolate("a");
        cluster.Settle();

        // The isolated node: still Primary (io-error keeps it), no quorum, writes fail, promotion elsewhere is not blocked by it.
        Assert.False(cluster.Volume("a").HasQuorum);
        Assert.True(cluster.Status("a").InUse);
        Assert.Equal(SimulatedWriteResult.IoError, await cluster.Kernel("a").WriteAsync(Minor, 4));
        Assert.Contains(cluster.Batches("a").SelectMany(b => b.Notifications), n => n is DrbdHelperNotification { Helper: "quorum-lost", Kind: DrbdNotificationKind.Call });
        // The other diskful node is one vote short of 2 voters but sees the tiebreaker: it keeps quorum.
        Assert.True(cluster.Volume("b").HasQuorum);
        var observedB = cluster.State("b").Find(R)!;
        Assert.Equal(DrbdQuorumBasis.Tiebreaker, DrbdPromotionRules.ObservedQuorum(observedB, observedB.Devices[0], DrbdQuorumSettings.Majority).Basis);
        Assert.True(cluster.Volume("t").HasQuorum);
        Assert.True(cluster.Status("b").MayPromote);
        Assert.True(DrbdPromotionRules.Decide(cluster.State("b"), R, DrbdQuorumSettings.Majority).Allowed);
        await cluster.Kernel("b").PrimaryAsync(R, false, Ct);
        Assert.Equal(SimulatedWriteResult.Ok, await cluster.Kernel("b").WriteAsync(Minor, 307_200));
        Assert.Equal(307_200, cluster.PeerVolume("b", "a").OutOfSyncKiB);
        await cluster.Kernel("a").SecondaryAsync(R, false, Ct); // what the agent does with a Primary that lost quorum
        var refused = DrbdPromotionRules.Decide(cluster.State("a"), R, DrbdQuorumSettings.Majority);
        Assert.Equal("volume 0 has no quorum: 1 of 2 nodes visible, need 2 for quorum", refused.Reason);

        cluster.Network.HealAll();
        var progress = cluster.Watch("a", TimeSpan.FromSeconds(1), 6).Select(s => s.Peer(1)!.Volumes.Single()).ToList();

        var done = progress.Where(p => p.Replication == DrbdReplicationState.SyncTarget).Select(p => p.DonePercent!.Value).ToList();
        Assert.True(done.Count >= 2, $"the resync should be visible for a few seconds, saw {done.Count} steps");
        Assert.Equal(done.Order(), done);
        Assert.Contains(done, d => d is > 0 and < 100);
        Assert.Equal(DrbdDiskState.UpToDate, cluster.Volume("a").Disk);
        Assert.True(cluster.Volume("a").HasQuorum);
        Assert.Equal(DrbdReplicationState.Established, cluster.PeerVolume("b", "a").Replication);
        Assert.Equal(0, cluster.PeerVolume("b", "a").OutOfSyncKiB);
        var target = cluster.Batches("a").SelectMany(b => b.Notifications).OfType<DrbdPeerDeviceNotification>()
            .First(n => n.Info?.Replication == DrbdReplicationState.SyncTarget);
        Assert.Equal(307_200, target.Info!.ResyncTotalKiB); // only what was written while apart, not the whole device
    }

    [Theory]
    [InlineData(DrbdOnNoQuorum.IoError)]
    [InlineData(DrbdOnNoQuorum.SuspendIo)]
    public async Task Three_diskful_and_a_tiebreaker_isolate_the_minority_and_keep_the_majority_writable(DrbdOnNoQuorum policy)
    {
        await using var cluster = await SimulatedDrbdCluster.StartAsync(5, new("a", 0), new("b", 1), new("d", 2), new("t", 3, Diskless: true));
        await cluster.UpAsync(new DrbdResourceOptions(Quorum: DrbdQuorum.Majority, OnNoQuorum: policy));
        cluster.Settle();
        await cluster.Kernel("d").PrimaryAsync(R, force: true, Ct);
        cluster.Network.Advance(TimeSpan.FromSeconds(3));
        Assert.All(new[] { "a", "b", "d" }, n => Assert.Equal(DrbdDiskState.UpToDate, cluster.Volume(n).Disk));

        cluster.Network.Isolate("d");
        cluster.Settle();

        Assert.False(cluster.Volume("d").HasQuorum);
        var write = await cluster.Kernel("d").WriteAsync(Minor, 4);
        if (policy == DrbdOnNoQuorum.IoError)
        {
            Assert.Equal(SimulatedWriteResult.IoError, write);
            Assert.False(cluster.Status("d").Suspended.Any);
        }
        else
        {
            Assert.Equal(SimulatedWriteResult.Suspended, write);
            Assert.Equal("quorum", cluster.Status("d").Suspended.ToString());
        }
        Assert.All(new[] { "a", "b", "t" }, n => Assert.True(cluster.Volume(n).HasQuorum));
        Assert.False(cluster.Status("a").Suspended.Any);
        Assert.True(cluster.Status("a").MayPromote);
        await cluster.Kernel("a").PrimaryAsync(R, false, Ct);
        Assert.Equal(SimulatedWriteResult.Ok, await cluster.Kernel("a").WriteAsync(Minor, 51_200));
        await cluster.Kernel("d").SecondaryAsync(R, false, Ct);

        cluster.Network.HealAll();
        cluster.Network.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(DrbdDiskState.UpToDate, cluster.Volume("d").Disk);
        Assert.True(cluster.Volume("d").HasQuorum);
        Assert.False(cluster.Status("d").Suspended.Any);
        var resync = cluster.Batches("d").SelectMany(b => b.Notifications).OfType<DrbdPeerDeviceNotification>()
            .Where(n => n.Info?.Replication == DrbdReplicationState.SyncTarget).ToList();
        Assert.NotEmpty(resync);
        Assert.Equal(51_200, resync[0].Info!.ResyncTotalKiB);
        Assert.All(new[] { "a", "b", "t" }, n => Assert.Equal(DrbdRole.Secondary, cluster.Status(n).Peer(2)!.Role));
    }

    [Fact]
    public async Task A_diskless_primary_keeps_writing_through_the_majority()
    {
        await using var cluster = await SimulatedDrbdCluster.StartAsync(2, new("a", 0), new("b", 1), new("c", 2, Diskless: true));
        await cluster.UpAsync(new DrbdResourceOptions(Quorum: DrbdQuorum.Majority, OnNoQuorum: DrbdOnNoQuorum.IoError));
        cluster.Settle();
        await cluster.Kernel("a").NewCurrentUuidAsync(Minor, clearBitmap: true, Ct);
        cluster.Settle();
        Assert.True(cluster.Status("c").MayPromote);
        Assert.Equal(2, cluster.Status("c").PromotionScore); // no local disk: 0 + 0 + two UpToDate replicas
        await cluster.Kernel("c").PrimaryAsync(R, false, Ct);

        cluster.Network.Cut("c", "a");
        cluster.Settle();
        Assert.Equal(SimulatedWriteResult.Ok, await cluster.Kernel("c").WriteAsync(Minor, 1024));
        Assert.Equal(1024, cluster.PeerVolume("b", "a").OutOfSyncKiB); // b received the write and tracks what a lacks

        cluster.Network.Cut("c", "b");
        cluster.Settle();
        Assert.False(cluster.Volume("c").HasQuorum);
        Assert.Equal(SimulatedWriteResult.IoError, await cluster.Kernel("c").WriteAsync(Minor, 4));
    }
}
