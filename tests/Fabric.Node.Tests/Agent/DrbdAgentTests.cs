using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Protocol;
using Fabric.Node.Agent;
using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Simulated;
using Fabric.Node.Storage;
using Fabric.Node.Storage.Simulated;

namespace Fabric.Node.Tests.Agent;

/// <summary>
/// Three node agents with DRBD on one simulated DRBD 9 network (the simulated storage provider
/// under it): a replica on two diskful nodes plus a diskless tiebreaker comes up, connects and
/// reaches UpToDate with quorum; removed, it is taken down and its volumes deleted.
/// </summary>
public sealed class DrbdAgentTests : TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly Guid Definition = Guid.Parse("33333333-4444-4555-8666-777788889999");
    private SimulatedDrbdNetwork _network = new();
    private readonly DirectoryInfo _resRoot = Directory.CreateTempSubdirectory("fabric-agent-res-");

    protected override void AfterAll()
    {
        base.AfterAll();
        _resRoot.Delete(recursive: true);
    }

    /// <summary>Where node <paramref name="name"/>'s agent keeps its .res files.</summary>
    private string ResDir(string name) => Path.Combine(_resRoot.FullName, name);

    private sealed record Node(string Name, int Id, IActorRef Agent, RecordingAgentLink Link, Akka.TestKit.TestProbe Sync, SimulatedStorage Storage);

    private Node Start(string name, int id)
    {
        var storage = new SimulatedStorage();
        var sync = CreateTestProbe();
        var link = new RecordingAgentLink(sync.Ref);
        var driver = SimulatedBackingDevices.Driver(_network, name, storage) with { ResFiles = new Fabric.Node.Drbd.Config.DrbdResFileStore(ResDir(name), drbdadmIncludeDirectory: null) };
        var settings = new NodeAgentSettings(name, StorageProviders.Simulated(storage).For, TimeSpan.FromMilliseconds(200), 4,
            RetryBase: TimeSpan.FromMilliseconds(100), ObservationFlush: TimeSpan.FromMilliseconds(20), Drbd: _ => Task.FromResult(driver));
        return new Node(name, id, Sys.ActorOf(NodeAgentActor.PropsFor(settings, link)), link, sync, storage);
    }

    private static DesiredPool Pool(ProviderKind kind) =>
        new("pool1", kind, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("StorDriver/StorPoolName", "vg/thin")]));

    private static readonly DesiredPool Diskless = new("DfltDisklessStorPool", ProviderKind.Diskless, ImmutableSortedDictionary<string, string>.Empty);

    private static DesiredResource Replica(string node, int id, bool diskless, params (string Name, int Id, bool Diskless)[] peers) => new(
        "r1", Definition, Guid.NewGuid(), diskless ? Diskless.Name : "pool1", diskless, diskless ? 0x8 : 0, id, 7000, ["DRBD", "STORAGE"],
        [new DesiredVolume(0, 10240, 1000)],
        [.. peers.Select(p => new DesiredPeer(p.Name, p.Id, 7000, p.Diskless, $"127.0.0.{p.Id + 1}", p.Diskless))],
        new DesiredDrbd("s3cr3t", 7, "IP", $"127.0.0.{id + 1}", ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
            KeyValuePair.Create("DrbdOptions/Resource/quorum", "majority"), KeyValuePair.Create("DrbdOptions/Resource/on-no-quorum", "io-error")])));

    private static DesiredFullPart Full(string node, ProviderKind kind, params DesiredResource[] resources) =>
        new(node, Guid.NewGuid(), 1, 10, 1, 1, [Pool(kind), Diskless], [.. resources]);

    private static async Task UntilAsync(Func<bool> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not within {Wait}: {what()}");
            }
            await Task.Delay(20);
        }
    }

    private static ObservedResource? R1(Node node) => node.Link.Observed().GetValueOrDefault("R1");

    private static string Describe(params Node[] nodes) => string.Join(" | ", nodes.Select(n =>
        $"{n.Name}: " + (R1(n) is { } r ? $"{string.Join(",", r.Volumes.Select(v => v.DiskState))} {r.Drbd?.Role} conns=[{string.Join(",", r.Drbd?.Connections.Select(c => c.PeerNode + ":" + c.State) ?? [])}] error={r.Error?.Message}" : "(nothing)")));

    private async Task<(Node A, Node B, Node C)> BringUpAsync(ProviderKind kind)
    {
        var a = Start("alpha", 0);
        var b = Start("beta", 1);
        var c = Start("gamma", 2);
        a.Agent.Tell(Full("alpha", kind, Replica("alpha", 0, false, ("beta", 1, false), ("gamma", 2, true))), a.Sync.Ref);
        b.Agent.Tell(Full("beta", kind, Replica("beta", 1, false, ("alpha", 0, false), ("gamma", 2, true))), b.Sync.Ref);
        c.Agent.Tell(Full("gamma", kind, Replica("gamma", 2, true, ("alpha", 0, false), ("beta", 1, false))), c.Sync.Ref);
        await UntilAsync(
            () => R1(a)?.Volumes[0].DiskState == "UpToDate" && R1(b)?.Volumes[0].DiskState == "UpToDate" && R1(c)?.Volumes[0].DiskState == "Diskless"
                && new[] { a, b, c }.All(n => R1(n)!.Drbd!.Connections.Count == 2 && R1(n)!.Drbd!.Connections.All(x => x.Connected)),
            () => Describe(a, b, c));
        return (a, b, c);
    }

    [Fact]
    public async Task Two_diskful_replicas_and_a_tiebreaker_come_up_connected_up_to_date_and_quorate_without_an_initial_sync_on_thin_storage()
    {
        using var clock = _network.StartRealTime(TimeSpan.FromMilliseconds(20));
        var (a, b, c) = await BringUpAsync(ProviderKind.LvmThin);

        var alpha = R1(a)!;
        Assert.Equal("/dev/drbd1000", alpha.Volumes[0].DevicePath);
        Assert.Equal("/dev/sim/pool1/r1_00000", alpha.Volumes[0].BackingDevice);
        Assert.True(alpha.Volumes[0].BackingUsableKiB > 10240, "the backing volume holds the meta-data too");
        Assert.True(alpha.Volumes[0].Quorum);
        Assert.Equal(["beta", "gamma"], alpha.Drbd!.Connections.Select(x => x.PeerNode));
        Assert.Equal(["Established", "Established"], alpha.Volumes[0].Replication!.Select(r => r.ReplicationState));
        Assert.Equal("Secondary", alpha.Drbd.Role);
        Assert.True(alpha.Drbd.MayPromote);
        Assert.Null(alpha.Drbd.PromotionRefusal);
        Assert.Equal("Diskless", R1(c)!.Volumes[0].DiskState);
        Assert.Empty(c.Storage.Volumes("pool1"));
        // Thin backing: the first UpToDate copy came from a new current UUID, so nothing was resynced.
        Assert.DoesNotContain(new[] { a, b }.SelectMany(n => n.Link.Observed().Values).SelectMany(r => r.Volumes).SelectMany(v => v.Replication ?? []), r => r.ReplicationState.StartsWith("Sync", StringComparison.Ordinal));
        await UntilAsync(() => new[] { a, b, c }.All(n => R1(n)!.InPlace), () => Describe(a, b, c));
        Assert.Contains(a.Link.Reports, r => r.SupportedLayers.Contains("DRBD"));
    }

    [Fact]
    public async Task On_thick_storage_the_lowest_node_id_becomes_the_sync_source_and_the_peer_resyncs_to_up_to_date()
    {
        using var clock = _network.StartRealTime(TimeSpan.FromMilliseconds(20));
        var (a, b, _) = await BringUpAsync(ProviderKind.Lvm);
        var seenOnBeta = b.Link.Published.OfType<NodeObservations>().SelectMany(o => o.Upserts).SelectMany(r => r.Volumes).SelectMany(v => v.Replication ?? []).Select(r => r.ReplicationState).ToHashSet();
        Assert.Contains("SyncTarget", seenOnBeta);
        Assert.Equal("Secondary", R1(a)!.Drbd!.Role);
    }

    [Fact]
    public async Task Without_progress_events_as_on_drbd_84_the_agent_polls_and_reports_the_resync_percentage_as_it_moves()
    {
        // 8.4: no resync total and no events while the resync runs; 10 MiB at 2 MiB/s take about 5 s.
        _network = new SimulatedDrbdNetwork(new SimulatedDrbdNetworkOptions(ResyncRateKiB: 2048, ProgressInterval: TimeSpan.FromMilliseconds(200), ResyncProgressEvents: false));
        using var clock = _network.StartRealTime(TimeSpan.FromMilliseconds(20));
        var (_, b, _) = await BringUpAsync(ProviderKind.Lvm);

        var done = b.Link.Published.OfType<NodeObservations>().SelectMany(o => o.Upserts).SelectMany(r => r.Volumes).SelectMany(v => v.Replication ?? [])
            .Where(r => r.ReplicationState == "SyncTarget").Select(r => r.DonePercent).OfType<double>().Distinct().Order().ToList();
        Assert.Contains(done, p => p is > 0 and < 100);
        Assert.Equal(0.0, done[0]);
    }

    [Fact]
    public async Task A_replica_no_longer_desired_is_taken_down_and_its_backing_volume_deleted()
    {
        using var clock = _network.StartRealTime(TimeSpan.FromMilliseconds(20));
        var (a, b, c) = await BringUpAsync(ProviderKind.LvmThin);
        var betaRes = Path.Combine(ResDir("beta"), "r1.res");
        Assert.True(File.Exists(betaRes), "the agent wrote the resource's .res file before bringing it up");
        Assert.Contains("on \"beta\"", File.ReadAllText(betaRes), StringComparison.Ordinal);
        var session = Guid.NewGuid();
        b.Agent.Tell(new DesiredFullPart("beta", session, 1, 20, 1, 1, [Pool(ProviderKind.LvmThin), Diskless], []), b.Sync.Ref);
        await UntilAsync(() => R1(b) is null && b.Storage.Volumes("pool1").Count == 0, () => Describe(b));
        Assert.False(File.Exists(betaRes), "the .res file goes with the resource");
        Assert.True(File.Exists(Path.Combine(ResDir("alpha"), "r1.res")));
        var betaKernel = await _network.Node("beta").DumpStateAsync(CancellationToken.None);
        Assert.Empty(betaKernel.Notifications);
        // alpha sees beta gone and keeps quorum through the tiebreaker.
        await UntilAsync(() => R1(a)!.Drbd!.Connections.Single(x => x.PeerNode == "beta").State != "Connected", () => Describe(a));
        Assert.True(R1(a)!.Volumes[0].Quorum, Describe(a, c));
    }

    /// <summary>alpha, beta (diskful) and gamma (tiebreaker) with r1 in one session; <paramref name="adjust"/> shapes each replica first.</summary>
    private (Node[] Nodes, DesiredResource[] Desired, Guid Session) StartThree(ProviderKind kind, Func<DesiredResource, DesiredResource> adjust)
    {
        var nodes = new[] { Start("alpha", 0), Start("beta", 1), Start("gamma", 2) };
        var desired = new[]
        {
            Replica("alpha", 0, false, ("beta", 1, false), ("gamma", 2, true)),
            Replica("beta", 1, false, ("alpha", 0, false), ("gamma", 2, true)),
            Replica("gamma", 2, true, ("alpha", 0, false), ("beta", 1, false)),
        };
        var session = Guid.NewGuid();
        for (var i = 0; i < 3; i++)
        {
            nodes[i].Agent.Tell(new DesiredFullPart(nodes[i].Name, session, 1, 10, 1, 1, [Pool(kind), Diskless], [adjust(desired[i])]), nodes[i].Sync.Ref);
        }
        return (nodes, desired, session);
    }

    private static void SendChanged(Node[] nodes, Guid session, long generation, Func<int, DesiredResource> replicaOf)
    {
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i].Agent.Tell(new DesiredDelta(nodes[i].Name, session, generation, 10 + generation, new DesiredChange([], [], [replicaOf(i)], [])), nodes[i].Sync.Ref);
        }
    }

    [Fact]
    public async Task A_resync_rate_changed_while_the_resync_runs_is_set_on_the_running_devices()
    {
        // Thick storage: beta resyncs 10 MiB from alpha at 64 KiB/s (160 s) until the rate is raised.
        _network = new SimulatedDrbdNetwork(new SimulatedDrbdNetworkOptions(ProgressInterval: TimeSpan.FromMilliseconds(200)));
        using var clock = _network.StartRealTime(TimeSpan.FromMilliseconds(20));
        static DesiredResource WithRate(DesiredResource r, string rate) => r with { Drbd = r.Drbd! with { Options = r.Drbd.Options.SetItem("DrbdOptions/Disk/resync-rate", rate) } };
        var (nodes, desired, session) = StartThree(ProviderKind.Lvm, r => WithRate(r, "64"));
        var (a, b) = (nodes[0], nodes[1]);
        await UntilAsync(() => R1(b)?.Volumes[0].Replication?.Any(r => r.ReplicationState == "SyncTarget") == true, () => Describe(a, b));
        await Task.Delay(500);
        Assert.Equal("Inconsistent", R1(b)!.Volumes[0].DiskState);

        SendChanged(nodes, session, 2, i => WithRate(desired[i], "102400"));

        await UntilAsync(() => R1(a)?.Volumes[0].DiskState == "UpToDate" && R1(b)?.Volumes[0].DiskState == "UpToDate", () => Describe(a, b));
        Assert.DoesNotContain(b.Link.Published.OfType<NodeObservations>().SelectMany(o => o.Upserts).Where(r => r.Name == "r1").SelectMany(r => r.Drbd?.Connections ?? []),
            c => c.PeerNode == "alpha" && c.State == "StandAlone");
        await UntilAsync(() => nodes.All(n => R1(n)!.InPlace), () => Describe(nodes));
    }

    [Fact]
    public async Task When_a_node_moves_to_a_new_address_its_peers_connections_move_with_it()
    {
        using var clock = _network.StartRealTime(TimeSpan.FromMilliseconds(20));
        var (nodes, desired, session) = StartThree(ProviderKind.LvmThin, r => r);
        await UntilAsync(() => nodes.All(n => R1(n) is { InPlace: true } r && r.Drbd!.Connections.All(x => x.Connected)), () => Describe(nodes));

        // beta (node id 1) moves from 127.0.0.2 to 127.0.0.22: its own end and its peers' ends of every path change.
        DesiredResource Moved(int i)
        {
            var r = desired[i];
            return i == 1
                ? r with { Drbd = r.Drbd! with { LocalAddress = "127.0.0.22" } }
                : r with { Peers = [.. r.Peers.Select(p => p.NodeId == 1 ? p with { Address = "127.0.0.22" } : p)] };
        }
        SendChanged(nodes, session, 2, Moved);

        async Task<IReadOnlyList<Fabric.Node.Drbd.Kernel.DrbdPathNotification>> PathsAsync(string node) =>
            [.. (await _network.Node(node).DumpStateAsync(CancellationToken.None)).Notifications.OfType<Fabric.Node.Drbd.Kernel.DrbdPathNotification>()];
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var alpha = (await PathsAsync("alpha")).Where(p => p.PeerNodeId == 1).ToList();
            var beta = await PathsAsync("beta");
            if (alpha.Count == 1 && alpha[0].Peer!.ToString() == "127.0.0.22:7000" && beta.All(p => p.Local!.ToString() == "127.0.0.22:7000")
                && nodes.All(n => R1(n) is { InPlace: true } r && r.Drbd!.Connections.All(x => x.Connected)))
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"paths did not move: alpha {string.Join(",", alpha.Select(p => $"{p.Local}->{p.Peer}"))}; beta {string.Join(",", beta.Select(p => $"{p.Local}->{p.Peer}"))}; {Describe(nodes)}");
            await Task.Delay(50);
        }
        Assert.Equal("UpToDate", R1(nodes[1])!.Volumes[0].DiskState);
    }

    [Fact]
    public async Task Without_a_driver_a_drbd_resource_gets_its_backing_volume_and_an_error_that_says_why()
    {
        var storage = new SimulatedStorage();
        var sync = CreateTestProbe();
        var link = new RecordingAgentLink(sync.Ref);
        var settings = new NodeAgentSettings("alpha", StorageProviders.Simulated(storage).For, TimeSpan.FromMilliseconds(200), 4,
            ObservationFlush: TimeSpan.FromMilliseconds(20),
            Drbd: _ => throw new Fabric.Node.Drbd.Kernel.DrbdKernelException("open", "the drbd family", -2, "ENOENT", "the DRBD kernel module is not loaded"));
        var agent = Sys.ActorOf(NodeAgentActor.PropsFor(settings, link));
        agent.Tell(Full("alpha", ProviderKind.LvmThin, Replica("alpha", 0, false, ("beta", 1, false))), sync.Ref);
        await UntilAsync(() => link.Observed().GetValueOrDefault("R1")?.Error is not null, () => "an error on r1");
        var r1 = link.Observed()["R1"];
        Assert.Contains("not available on node 'alpha'", r1.Error!.Message);
        Assert.Contains("not loaded", r1.Error.Message);
        Assert.Contains("modprobe drbd", r1.Error.Correction);
        Assert.False(r1.InPlace);
        Assert.Single(storage.Volumes("pool1"));
        Assert.DoesNotContain(link.Reports, r => r.SupportedLayers.Contains("DRBD"));
    }

    protected override void Dispose(bool disposing)
    {
        _network.Dispose();
        base.Dispose(disposing);
    }
}
