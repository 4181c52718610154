using Fabric.Core.Runtime;

namespace Fabric.Core.Tests.Runtime;

/// <summary>
/// A member whose seed nodes do not answer in time starts over as a new incarnation instead of
/// waiting forever, and joins once a seed is there.
/// </summary>
public sealed class JoinRetryTests
{
    [Fact]
    public async Task A_satellite_that_cannot_join_in_time_starts_again_and_joins_when_the_seed_appears()
    {
        var controller = TestCluster.Sqlite(TestCluster.TempDataDir(), "ctrl") with { Roles = [FabricSettings.Controller] };
        var satellite = TestCluster.Sqlite(TestCluster.TempDataDir(), "sat") with
        {
            Roles = [FabricSettings.Satellite],
            SeedNodes = [$"127.0.0.1:{controller.ClusterPort}"],
            JoinTimeout = TimeSpan.FromSeconds(3),
            JoinAttempts = 20,
        };

        var joining = FabricSystem.StartAsync(satellite);
        // Two join timeouts pass with no seed listening: the satellite must still be trying.
        await Task.Delay(TimeSpan.FromSeconds(7));
        Assert.False(joining.IsCompleted, joining.Exception?.ToString());

        await using var c = await FabricSystem.StartAsync(controller);
        await using var sat = await joining.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(satellite.ClusterPort, sat.Cluster.SelfAddress.Port);
        Assert.Contains(c.Cluster.State.Members, m => m.Address.Equals(sat.Cluster.SelfAddress) && m.Status == Akka.Cluster.MemberStatus.Up);
    }

    [Fact]
    public async Task Start_up_fails_with_the_reason_after_the_last_join_attempt()
    {
        var satellite = TestCluster.Sqlite(TestCluster.TempDataDir(), "sat") with
        {
            Roles = [FabricSettings.Satellite],
            SeedNodes = [$"127.0.0.1:{TestCluster.FreePort()}"],
            JoinTimeout = TimeSpan.FromSeconds(2),
            JoinAttempts = 2,
        };
        var error = await Assert.ThrowsAsync<JoinTimeoutException>(() => FabricSystem.StartAsync(satellite));
        Assert.Contains("did not join the cluster through akka.tcp://fabric@127.0.0.1:", error.Message);
    }
}
