using Fabric.Core.Runtime;
using Fabric.Core.Tests.Infrastructure;

namespace Fabric.Core.Tests.Runtime;

/// <summary>The status protocol over a real cluster: one report reaches every controller's board, never a journal.</summary>
public sealed class NodeStatusClusterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_report_published_on_a_satellite_reaches_the_boards_of_both_controllers_and_goodbye_clears_them()
    {
        var first = TestCluster.Sqlite(TestCluster.TempDataDir(), "ctrl1") with { Roles = [FabricSettings.Controller], NodeStatusTimeout = TimeSpan.FromSeconds(30) };
        var seed = $"127.0.0.1:{first.ClusterPort}";
        var second = first with { ClusterPort = TestCluster.FreePort(), NodeName = "ctrl2", SeedNodes = [seed] };
        var satellite = TestCluster.Sqlite(TestCluster.TempDataDir(), "sat1") with
        {
            Roles = [FabricSettings.Satellite],
            SeedNodes = [seed],
            NodeHeartbeatInterval = TimeSpan.FromMilliseconds(200),
        };
        await using var c1 = await FabricSystem.StartAsync(first);
        await using var c2 = await FabricSystem.StartAsync(second);
        await using var sat = await FabricSystem.StartAsync(satellite);
        Assert.Empty(sat.NodeStatus.Current);

        await using var agent = new FakeNodeAgent(sat, "Sat1").SetPool("thin", "FILE_THIN", 1_000, 4_000);

        var on1 = await NodeStatusWait.UntilOnlineAsync(c1, "sat1", Wait);
        var on2 = await NodeStatusWait.UntilOnlineAsync(c2, "SAT1", Wait);
        Assert.Equal(agent.Incarnation, on1.Incarnation);
        Assert.Equal(agent.Incarnation, on2.Incarnation);
        Assert.Equal(4_000, on2.Pools["THIN"].TotalKiB);
        Assert.Empty(sat.NodeStatus.Current); // satellites keep no board

        agent.SetPool("thin", "FILE_THIN", 500, 4_000);
        await NodeStatusWait.UntilAsync(c2, "sat1", s => s?.Pools["THIN"].FreeKiB == 500, "updated", Wait);

        // A report published from a controller reaches the other controller as well.
        await using var fromController = new FakeNodeAgent(c1, "other", TimeSpan.FromMilliseconds(200));
        await NodeStatusWait.UntilOnlineAsync(c2, "other", Wait);

        agent.Stop();
        await NodeStatusWait.UntilOfflineAsync(c1, "sat1", TimeSpan.FromSeconds(5));
        await NodeStatusWait.UntilOfflineAsync(c2, "sat1", TimeSpan.FromSeconds(5));
    }
}
