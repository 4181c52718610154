using Akka.Actor;
using Akka.TestKit.Xunit2;
using Fabric.Core.Protocol;
using Fabric.Node.Agent;
using Fabric.Node.Storage;
using Fabric.Node.Storage.Simulated;

namespace Fabric.Node.Tests.Agent;

/// <summary>The node agent on the simulated provider, with a test probe as its node's sync entity.</summary>
public sealed class NodeAgentTests : TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private (IActorRef Agent, RecordingAgentLink Link, Akka.TestKit.TestProbe Sync) StartAgent(SimulatedStorage storage, int maxParallel = 4, TimeSpan? stepTimeout = null)
    {
        var sync = CreateTestProbe();
        var link = new RecordingAgentLink(sync.Ref);
        var providers = StorageProviders.Simulated(storage);
        var settings = new NodeAgentSettings("node1", providers.For, TimeSpan.FromMilliseconds(200), maxParallel, stepTimeout, RetryBase: TimeSpan.FromMilliseconds(100), ObservationFlush: TimeSpan.FromMilliseconds(20));
        var agent = Sys.ActorOf(NodeAgentActor.PropsFor(settings, link));
        return (agent, link, sync);
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not within {Wait}: {what}");
            }
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_full_generation_creates_every_volume_then_the_agent_reports_synced_and_in_place()
    {
        var storage = new SimulatedStorage();
        var (agent, link, sync) = StartAgent(storage);
        var ping = sync.ExpectMsg<AgentSyncPing>(Wait);
        Assert.Equal(Guid.Empty, ping.Session);
        Assert.False(link.Reports.Last().Synced);

        agent.Tell(DesiredStates.Full(Guid.NewGuid(), 1, 10, DesiredStates.Resource("r1", 1024, 2048), DesiredStates.Resource("r2", 4096)), sync.Ref);

        await UntilAsync(() => link.Reports.Any(r => r.Synced), "a synced heartbeat");
        Assert.Equal(["r1_00000", "r1_00001", "r2_00000"], storage.Volumes("pool1").Select(v => v.Id.StorageName).Order());
        var observed = link.Observed();
        Assert.All(observed.Values, r => Assert.True(r.InPlace));
        Assert.Equal(["UpToDate", "UpToDate"], observed["R1"].Volumes.Select(v => v.DiskState));
        Assert.Equal(2048, observed["R1"].Volumes[1].UsableKiB);
        var applied = sync.FishForMessage<ResourcesApplied>(_ => true, Wait);
        Assert.All(applied.Outcomes, o => Assert.True(o.Success));
        Assert.Contains(link.Reports, r => r.Synced && r.Pools.Any(p => p.PoolName == "pool1" && p.TotalKiB > 0));
    }

    [Fact]
    public async Task A_reconnect_where_everything_is_in_place_runs_no_mutating_operation()
    {
        var storage = new SimulatedStorage();
        var resources = Enumerable.Range(0, 50).Select(i => DesiredStates.Resource($"r{i}", 1024)).ToArray();
        var (first, firstLink, firstSync) = StartAgent(storage);
        first.Tell(DesiredStates.Full(Guid.NewGuid(), 1, 10, resources), firstSync.Ref);
        await UntilAsync(() => firstLink.Reports.Any(r => r.Synced), "the first agent synced");
        await first.GracefulStop(Wait);
        var mutations = storage.Mutations;

        var (second, link, sync) = StartAgent(storage);
        second.Tell(DesiredStates.Full(Guid.NewGuid(), 1, 11, resources), sync.Ref);
        await UntilAsync(() => link.Reports.Any(r => r.Synced), "the second agent synced");

        Assert.Equal(mutations, storage.Mutations);
        await UntilAsync(() => link.Observed().Count == 50, "50 observed resources");
        Assert.All(link.Observed().Values, r => Assert.True(r.InPlace));
    }

    [Fact]
    public async Task Deltas_grow_add_and_remove_resources_and_a_gap_asks_for_a_full_generation()
    {
        var storage = new SimulatedStorage();
        var (agent, link, sync) = StartAgent(storage);
        var session = Guid.NewGuid();
        agent.Tell(DesiredStates.Full(session, 1, 10, DesiredStates.Resource("r1", 1024), DesiredStates.Resource("r2", 1024)), sync.Ref);
        await UntilAsync(() => link.Reports.Any(r => r.Synced), "synced");

        agent.Tell(DesiredStates.Delta(session, 2, 11, [DesiredStates.Resource("r1", 8192), DesiredStates.Resource("r3", 512)], "R2"), sync.Ref);

        await UntilAsync(() => storage.Volumes("pool1").Select(v => v.Id.StorageName).Order().SequenceEqual(["r1_00000", "r3_00000"]), "r2 deleted, r3 created");
        await UntilAsync(() => storage.Volumes("pool1").Single(v => v.Id.ResourceName == "r1").UsableKiB == 8192, "r1 grown");
        await UntilAsync(() => !link.Observed().ContainsKey("R2") && link.Observed().ContainsKey("R3"), "observations follow");

        agent.Tell(DesiredStates.Delta(session, 4, 12, [DesiredStates.Resource("r4", 512)]), sync.Ref);
        var resync = sync.FishForMessage<ResyncRequest>(_ => true, Wait);
        Assert.Equal(2, resync.Generation);
        Assert.DoesNotContain(storage.Volumes("pool1"), v => v.Id.ResourceName == "r4");
    }

    [Fact]
    public async Task A_full_generation_older_than_what_the_agent_applied_is_refused()
    {
        var (agent, link, sync) = StartAgent(new SimulatedStorage());
        agent.Tell(DesiredStates.Full(Guid.NewGuid(), 1, 500, DesiredStates.Resource("r1", 1024)), sync.Ref);
        await UntilAsync(() => link.Reports.Any(r => r.Synced), "synced");

        // A controller whose read model lags behind sends an older state: applying it could delete live volumes.
        agent.Tell(DesiredStates.Full(Guid.NewGuid(), 1, 499), sync.Ref);

        var resync = sync.FishForMessage<ResyncRequest>(_ => true, Wait);
        Assert.Equal(500, resync.MinOffset);
        Assert.Contains(link.Observed(), r => r.Key == "R1");
    }

    [Fact]
    public async Task A_failing_resource_is_reported_and_retried_while_the_others_converge()
    {
        var storage = new SimulatedStorage();
        storage.InjectFailure(SimulatedOperation.Create, "bad", 2, "disk on fire");
        var (agent, link, sync) = StartAgent(storage);

        agent.Tell(DesiredStates.Full(Guid.NewGuid(), 1, 10, DesiredStates.Resource("good", 1024), DesiredStates.Resource("bad", 1024)), sync.Ref);

        await UntilAsync(() => link.Published.OfType<NodeObservations>().Any(o => o.Upserts.Any(r => r.Name == "bad" && r.Error is not null)), "the failure observed");
        var failed = link.Published.OfType<NodeObservations>().SelectMany(o => o.Upserts).First(r => r.Name == "bad" && r.Error is not null);
        Assert.Contains("disk on fire", failed.Error!.Message, StringComparison.Ordinal);
        Assert.Equal("Failed", failed.Volumes[0].DiskState);
        Assert.NotNull(failed.Error.NextRetryMs);
        Assert.Contains(link.Published.OfType<NodeObservations>().SelectMany(o => o.ErrorReports), e => e.Id == failed.Error.ErrorReportId);
        Assert.True(link.Reports.Any(r => r.Synced), "a failed resource still completes the first sync");
        Assert.True(link.Observed()["GOOD"].InPlace);

        // Two injected failures, then the back-off retry succeeds on its own.
        await UntilAsync(() => link.Observed()["BAD"].InPlace, "bad converges after retries");
        Assert.True(storage.Calls(SimulatedOperation.Create) >= 4);
    }

    [Fact]
    public async Task A_hung_storage_call_never_blocks_other_resources_and_times_out_as_an_error()
    {
        var storage = new SimulatedStorage();
        storage.InjectHang(SimulatedOperation.Create, "stuck");
        var (agent, link, sync) = StartAgent(storage, maxParallel: 2, stepTimeout: TimeSpan.FromSeconds(2));

        agent.Tell(DesiredStates.Full(Guid.NewGuid(), 1, 10, DesiredStates.Resource("stuck", 1024), DesiredStates.Resource("fine1", 1024), DesiredStates.Resource("fine2", 1024)), sync.Ref);

        await UntilAsync(() => link.Observed().TryGetValue("FINE1", out var a) && a.InPlace && link.Observed().TryGetValue("FINE2", out var b) && b.InPlace, "the others in place");
        await UntilAsync(() => link.Observed().TryGetValue("STUCK", out var s) && s.Error is not null, "the hung one reported");
        Assert.Contains("did not finish within 2 s", link.Observed()["STUCK"].Error!.Message, StringComparison.Ordinal);
    }
}
