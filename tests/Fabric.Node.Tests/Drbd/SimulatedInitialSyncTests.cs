using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Tests.Drbd;

/// <summary>Scenario (d): two fresh diskful replicas. One forced primary makes the other sync; clear-bitmap skips the sync.</summary>
public sealed class SimulatedInitialSyncTests
{
    private static readonly Member A = new("a", 0);
    private static readonly Member B = new("b", 1);

    [Fact]
    public async Task Fresh_replicas_connect_inconsistent_and_cannot_be_promoted()
    {
        await using var cluster = await SimulatedDrbdCluster.StartAsync(1, A, B);
        await cluster.UpAsync(DrbdResourceOptions.None);
        cluster.Settle();

        foreach (var node in new[] { "a", "b" })
        {
            Assert.Equal(DrbdDiskState.Inconsistent, cluster.Volume(node).Disk);
            Assert.False(cluster.Status(node).MayPromote);
        }
        Assert.Equal(DrbdConnectionState.Connected, cluster.Status("a").Peer(1)!.Connection);
        Assert.Equal(DrbdReplicationState.Established, cluster.PeerVolume("a", "b").Replication);
        var refused = await Assert.ThrowsAsync<DrbdKernelException>(() => cluster.Kernel("a").PrimaryAsync(SimulatedDrbdCluster.Resource, false, CancellationToken.None));
        Assert.Equal(-2, refused.RetCode);
        Assert.Contains("SS_NO_UP_TO_DATE_DISK", refused.Message);
    }

    [Fact]
    public async Task A_forced_primary_becomes_sync_source_and_the_peer_syncs_to_up_to_date()
    {
        await using var cluster = await SimulatedDrbdCluster.StartAsync(1, A, B);
        await cluster.UpAsync(DrbdResourceOptions.None, sizeKiB: 409_600);
        cluster.Settle();

        await cluster.Kernel("a").PrimaryAsync(SimulatedDrbdCluster.Resource, force: true, CancellationToken.None);

        Assert.Equal(DrbdDiskState.UpToDate, cluster.Volume("a").Disk);
        Assert.Equal(DrbdReplicationState.SyncSource, cluster.PeerVolume("a", "b").Replication);
        Assert.Equal(DrbdReplicationState.SyncTarget, cluster.PeerVolume("b", "a").Replication);
        Assert.Equal(0.0, cluster.PeerVolume("b", "a").DonePercent);
        var progress = cluster.Watch("b", TimeSpan.FromSeconds(1), 5).Select(s => s.Peer(0)!.Volumes[0]).ToList();
        var during = progress.TakeWhile(p => p.Replication == DrbdReplicationState.SyncTarget).Select(p => p.DonePercent!.Value).ToList();
        Assert.Equal([25.0, 50.0, 75.0], during); // 400 MiB at 100 MiB/s, reported every second
        Assert.Equal(DrbdDiskState.UpToDate, cluster.Volume("b").Disk);
        Assert.Equal(DrbdReplicationState.Established, cluster.PeerVolume("b", "a").Replication);
        Assert.Equal(DrbdDiskState.UpToDate, cluster.PeerVolume("a", "b").PeerDisk);
        Assert.Equal(10102, cluster.Status("b").PromotionScore);
        Assert.False(cluster.Status("b").MayPromote); // a is Primary
    }

    [Fact]
    public async Task Clear_bitmap_makes_both_up_to_date_without_any_sync()
    {
        await using var cluster = await SimulatedDrbdCluster.StartAsync(1, A, B);
        await cluster.UpAsync(DrbdResourceOptions.None);
        cluster.Settle();

        await cluster.Kernel("a").NewCurrentUuidAsync(SimulatedDrbdCluster.Minor, clearBitmap: true, CancellationToken.None);
        cluster.Settle();

        Assert.Equal(DrbdDiskState.UpToDate, cluster.Volume("a").Disk);
        Assert.Equal(DrbdDiskState.UpToDate, cluster.Volume("b").Disk);
        Assert.True(cluster.Status("b").MayPromote);
        foreach (var node in new[] { "a", "b" })
        {
            var replications = cluster.Batches(node).SelectMany(b => b.Notifications).OfType<DrbdPeerDeviceNotification>()
                .Select(n => n.Info?.Replication).Distinct().ToList();
            Assert.DoesNotContain(DrbdReplicationState.SyncSource, replications);
            Assert.DoesNotContain(DrbdReplicationState.SyncTarget, replications);
        }
    }
}
