using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Simulated;

namespace Fabric.Node.Tests.Drbd;

/// <summary>Scenario (c): secondaries that leave a Primary gracefully are Outdated, so the lone Primary keeps quorum; a network failure does not.</summary>
public sealed class SimulatedLastManStandingTests
{
    private const string R = SimulatedDrbdCluster.Resource;
    private const int Minor = SimulatedDrbdCluster.Minor;
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly Member A = new("a", 0);
    private static readonly Member B = new("b", 1);
    private static readonly Member C = new("c", 2);
    private static readonly DrbdResourceOptions Quorate = new(Quorum: DrbdQuorum.Majority, OnNoQuorum: DrbdOnNoQuorum.IoError);

    private static async Task<SimulatedDrbdCluster> ThreeWithPrimaryAsync()
    {
        var cluster = await SimulatedDrbdCluster.StartAsync(11, A, B, C);
        await cluster.UpAsync(Quorate);
        cluster.Settle();
        await cluster.Kernel("a").NewCurrentUuidAsync(Minor, clearBitmap: true, Ct);
        await cluster.Kernel("a").PrimaryAsync(R, false, Ct);
        return cluster;
    }

    [Fact]
    public async Task Secondaries_disconnecting_gracefully_are_outdated_and_the_primary_stays_quorate()
    {
        await using var cluster = await ThreeWithPrimaryAsync();

        await cluster.Kernel("b").DisconnectAsync(R, A.NodeId, false, Ct);
        await cluster.Kernel("c").DisconnectAsync(R, A.NodeId, false, Ct);
        cluster.Settle();

        Assert.Equal(DrbdDiskState.Outdated, cluster.Volume("b").Disk);
        Assert.Equal(DrbdDiskState.Outdated, cluster.Volume("c").Disk);
        Assert.Equal(DrbdDiskState.Outdated, cluster.PeerVolume("a", "b").PeerDisk);
        Assert.Equal(DrbdConnectionState.StandAlone, cluster.Status("b").Peer(A.NodeId)!.Connection);
        Assert.Equal(DrbdConnectionState.Connecting, cluster.Status("a").Peer(B.NodeId)!.Connection);
        Assert.True(cluster.Volume("a").HasQuorum);
        Assert.Equal(SimulatedWriteResult.Ok, await cluster.Kernel("a").WriteAsync(Minor, 8));
    }

    [Fact]
    public async Task Secondaries_going_down_leave_the_primary_quorate_and_resync_when_they_return()
    {
        await using var cluster = await ThreeWithPrimaryAsync();

        await cluster.Kernel("b").DownAsync(R, Ct);
        await cluster.Kernel("c").DownAsync(R, Ct);
        cluster.Settle();

        Assert.Null(cluster.State("b").Find(R));
        Assert.True(cluster.Volume("a").HasQuorum);
        Assert.Equal(SimulatedWriteResult.Ok, await cluster.Kernel("a").WriteAsync(Minor, 2048));
        Assert.Equal(2048, cluster.PeerVolume("a", "b").OutOfSyncKiB);

        await cluster.UpAsync(B, Quorate);
        Assert.Equal(DrbdDiskState.Outdated, cluster.Volume("b").Disk); // its meta-data remembers it was outdated
        cluster.Network.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(DrbdDiskState.UpToDate, cluster.Volume("b").Disk);
        Assert.Equal(0, cluster.PeerVolume("a", "b").OutOfSyncKiB);
        Assert.Contains(cluster.Batches("b").SelectMany(b => b.Notifications).OfType<DrbdPeerDeviceNotification>(),
            n => n.Info is { Replication: DrbdReplicationState.SyncTarget, ResyncTotalKiB: 2048 });
    }

    [Fact]
    public async Task A_network_failure_of_both_secondaries_costs_the_primary_its_quorum()
    {
        await using var cluster = await ThreeWithPrimaryAsync();

        cluster.Network.Isolate("a");
        cluster.Settle();

        Assert.False(cluster.Volume("a").HasQuorum);
        Assert.Equal(SimulatedWriteResult.IoError, await cluster.Kernel("a").WriteAsync(Minor, 8));
        Assert.Equal(DrbdDiskState.UpToDate, cluster.Volume("b").Disk); // not outdated: nobody told b
    }

    [Fact]
    public async Task A_graceful_disconnect_that_would_cost_the_primary_its_quorum_is_refused_unless_forced()
    {
        await using var cluster = await ThreeWithPrimaryAsync();
        cluster.Network.Cut("a", "c");
        cluster.Settle();
        Assert.True(cluster.Volume("a").HasQuorum); // 2 of 3

        var refused = await Assert.ThrowsAsync<DrbdKernelException>(() => cluster.Kernel("a").DisconnectAsync(R, B.NodeId, false, Ct));

        Assert.True(refused.IsNoQuorum);
        Assert.Equal("the Primary would lose quorum: 1 of 3 nodes visible, need 2 for quorum", refused.InfoText);
        Assert.Equal(DrbdConnectionState.Connected, cluster.Status("a").Peer(B.NodeId)!.Connection);

        await cluster.Kernel("a").DisconnectAsync(R, B.NodeId, force: true, Ct);
        Assert.False(cluster.Volume("a").HasQuorum);
    }
}
