using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.State;

namespace Fabric.Node.Tests.Drbd;

/// <summary>Scenario (f): the same seed and calls give the same notifications; another seed may order them differently but ends in the same state.</summary>
public sealed class SimulatedDeterminismTests
{
    private const string R = SimulatedDrbdCluster.Resource;
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly string[] Nodes = ["a", "b", "t"];

    private sealed record Run(Dictionary<string, List<string>> Notifications, Dictionary<string, DrbdResourceStatus> Final);

    private static async Task<Run> RunAsync(int seed)
    {
        await using var cluster = await SimulatedDrbdCluster.StartAsync(seed, new("a", 0), new("b", 1), new("t", 2, Diskless: true));
        await cluster.UpAsync(new DrbdResourceOptions(Quorum: DrbdQuorum.Majority, OnNoQuorum: DrbdOnNoQuorum.IoError));
        cluster.Settle();
        await cluster.Kernel("a").PrimaryAsync(R, force: true, Ct);
        cluster.Network.Advance(TimeSpan.FromSeconds(3));
        cluster.Network.Isolate("a");
        cluster.Settle();
        await cluster.Kernel("a").SecondaryAsync(R, false, Ct);
        await cluster.Kernel("b").PrimaryAsync(R, false, Ct);
        await cluster.Kernel("b").WriteAsync(SimulatedDrbdCluster.Minor, 20_480);
        cluster.Network.HealAll();
        cluster.Network.Advance(TimeSpan.FromSeconds(10));
        return new Run(
            Nodes.ToDictionary(n => n, n => cluster.Batches(n).Select(Render).ToList()),
            Nodes.ToDictionary(n => n, cluster.Status));
    }

    private static string Render(DrbdEventBatch batch) =>
        (batch.IsInitialState ? "initial: " : "change: ") + string.Join(" | ", batch.Notifications.Select(n => n.ToString()));

    [Fact]
    public async Task The_same_seed_gives_the_same_notification_sequence()
    {
        var first = await RunAsync(7);
        var second = await RunAsync(7);

        foreach (var node in Nodes)
        {
            Assert.Equal(first.Notifications[node], second.Notifications[node]);
            Assert.Equal(first.Final[node], second.Final[node]);
        }
    }

    [Fact]
    public async Task Other_seeds_may_reorder_but_converge_to_the_same_state()
    {
        var runs = new List<Run>();
        foreach (var seed in new[] { 1, 2, 3, 4 })
        {
            runs.Add(await RunAsync(seed));
        }

        foreach (var node in Nodes)
        {
            Assert.All(runs, run => Assert.Equal(runs[0].Final[node], run.Final[node]));
        }
        Assert.Equal(DrbdDiskState.UpToDate, runs[0].Final["a"].Volume(0)!.Disk);
        Assert.Equal(DrbdRole.Primary, runs[0].Final["b"].Role);
        var distinct = runs.Select(r => string.Join("\n", Nodes.SelectMany(n => r.Notifications[n]))).Distinct().Count();
        Assert.True(distinct > 1, "the seed should change the timing of connects and loss detection");
    }
}
