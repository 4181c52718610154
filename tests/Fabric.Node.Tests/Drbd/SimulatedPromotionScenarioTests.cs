using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Quorum;
using Fabric.Node.Drbd.State;

namespace Fabric.Node.Tests.Drbd;

/// <summary>Scenario (e): promotion refused by the kernel, with DRBD's codes and reason text, and the same verdict from the observed state.</summary>
public sealed class SimulatedPromotionScenarioTests
{
    private const string R = SimulatedDrbdCluster.Resource;
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Promotion_is_refused_without_quorum_with_the_reason()
    {
        await using var cluster = await SimulatedDrbdCluster.StartAsync(4, new("a", 0), new("b", 1), new("c", 2), new("d", 3));
        await cluster.UpAsync(new DrbdResourceOptions(Quorum: DrbdQuorum.Majority, OnNoQuorum: DrbdOnNoQuorum.IoError));
        cluster.Settle();
        await cluster.Kernel("a").NewCurrentUuidAsync(SimulatedDrbdCluster.Minor, clearBitmap: true, Ct);
        foreach (var (left, right) in new[] { ("a", "c"), ("a", "d"), ("b", "c"), ("b", "d") })
        {
            cluster.Network.Cut(left, right);
        }
        cluster.Settle();

        var refused = await Assert.ThrowsAsync<DrbdKernelException>(() => cluster.Kernel("a").PrimaryAsync(R, false, Ct));

        Assert.Equal(-25, refused.RetCode);
        Assert.True(refused.IsNoQuorum);
        Assert.Equal("2 of 4 nodes visible, need 3 for quorum", refused.InfoText);
        Assert.Equal("DRBD primary of resource 'r0' failed: SS_NO_QUORUM (no quorum) (2 of 4 nodes visible, need 3 for quorum)", refused.Message);
        var decision = DrbdPromotionRules.Decide(cluster.State("a"), R, DrbdQuorumSettings.Majority);
        Assert.Equal(DrbdPromotionRefusal.NoQuorum, decision.Refusal);
        Assert.Equal("volume 0 has no quorum: 2 of 4 nodes visible, need 3 for quorum", decision.Reason);
        Assert.All(new[] { "a", "b", "c", "d" }, n => Assert.False(cluster.Status(n).MayPromote));
        Assert.Equal(DrbdRole.Secondary, cluster.Status("a").Role);
    }

    [Fact]
    public async Task Promotion_is_refused_while_another_node_is_primary()
    {
        await using var cluster = await SimulatedDrbdCluster.StartAsync(4, new("a", 0), new("b", 1));
        await cluster.UpAsync(DrbdResourceOptions.None);
        cluster.Settle();
        await cluster.Kernel("a").NewCurrentUuidAsync(SimulatedDrbdCluster.Minor, clearBitmap: true, Ct);
        await cluster.Kernel("a").PrimaryAsync(R, false, Ct);

        var refused = await Assert.ThrowsAsync<DrbdKernelException>(() => cluster.Kernel("b").PrimaryAsync(R, false, Ct));

        Assert.Equal(-1, refused.RetCode);
        Assert.Contains("SS_TWO_PRIMARIES", refused.Message);
        Assert.Equal(DrbdPromotionRefusal.AnotherPrimary, DrbdPromotionRules.Decide(cluster.State("b"), R, DrbdQuorumSettings.Off).Refusal);
        Assert.False(cluster.Status("b").MayPromote);
    }

    [Fact]
    public async Task Promotion_is_refused_without_up_to_date_data()
    {
        await using var cluster = await SimulatedDrbdCluster.StartAsync(4, new("a", 0), new("b", 1));
        await cluster.UpAsync(DrbdResourceOptions.None);
        cluster.Settle();

        var refused = await Assert.ThrowsAsync<DrbdKernelException>(() => cluster.Kernel("b").PrimaryAsync(R, false, Ct));

        Assert.Equal(-2, refused.RetCode);
        Assert.Equal("volume 0: local disk Inconsistent and no connected UpToDate peer", refused.InfoText);
        Assert.Equal(DrbdPromotionRefusal.NoUpToDateData, DrbdPromotionRules.Decide(cluster.State("b"), R, DrbdQuorumSettings.Off).Refusal);
    }
}
