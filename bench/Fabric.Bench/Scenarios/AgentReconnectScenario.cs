using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Fabric.Bench.Cli;
using Fabric.Bench.Hosting;
using Fabric.Bench.Measurement;
using Fabric.Bench.Reconnect;
using Fabric.Bench.Reporting;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Entities;
using Fabric.Core.Naming;
using Fabric.Core.Properties;
using Fabric.Core.Protocol;
using Fabric.Core.Runtime;

namespace Fabric.Bench.Scenarios;

/// <summary>
/// agent-reconnect: the real host in-process as controller, a satellite member in the same process
/// joined over loopback remoting, one node whose agent runs in that member on storage that outlives
/// the agent (simulated in memory, or FILE_THIN on real loop devices). Creates the node's resources,
/// then <c>runs</c> times: the agent dies (crash: no goodbye; or a clean stop), the node goes OFFLINE,
/// a new incarnation starts on the same storage; timed from its start to ONLINE and to every resource
/// reported in place, with the storage operations it ran (only listings allowed).
/// </summary>
public static class AgentReconnectScenario
{
    private const string OwnNode = "bench-host";
    private const string Node = "sat-bench";
    private const double LinstorSeconds = 8.0;
    private const double AimMs = 300;

    /// <summary>The milestones the agent and the controller log, in the order they happen.</summary>
    private static readonly (string Label, string System, string Text)[] Milestones =
    [
        ("agent actor started", "satellite", " started (incarnation"),
        ("controller: session registered", "controller", " registered (incarnation"),
        ("controller: full generation sent", "controller", "a full generation:"),
        ("agent: full generation received, listing pools", "satellite", ": full generation"),
        ("agent: first sync complete", "satellite", "first sync complete"),
        ("controller: node online", "controller", " is online (incarnation"),
    ];

    public static async Task<BenchReport> RunAsync(int resources, string provider, int runs, string stop)
    {
        var crash = stop switch
        {
            "crash" => true,
            "clean" => false,
            _ => throw new ArgumentException($"--stop must be crash or clean, not '{stop}'."),
        };
        using var dataDir = new TempDataDir("agent-reconnect");
        await using ISatelliteBacking backing = provider switch
        {
            "simulated" => new SimulatedBacking(),
            "file-thin" => FileThinBacking.Create(Path.Combine(dataDir.Path, "file-thin-pool")),
            _ => throw new ArgumentException($"--provider must be simulated or file-thin, not '{provider}'."),
        };
        var report = new BenchReport("agent-reconnect", new Dictionary<string, string>
        {
            ["resources"] = resources.ToString(CultureInfo.InvariantCulture),
            ["provider"] = backing.Name,
            ["runs"] = runs.ToString(CultureInfo.InvariantCulture),
            ["stop"] = crash ? "crash (link cut, then actor stopped: no goodbye)" : "clean (goodbye)",
            ["volume"] = $"1 × {backing.VolumeKiB} KiB per resource, layer stack STORAGE, pool {backing.PoolName}",
            ["topology"] = "controller = in-process FabricWebApp (combined, SQLite); satellite = FabricSystem (role satellite) in the same process, joined over loopback remoting",
            ["log level"] = "Akka INFO on both (production default), console Warning",
        });
        var timeline = new AkkaTimeline();
        var clock = Stopwatch.StartNew();
        await using var host = await InProcessHost.StartAsync(dataDir.Path, OwnNode, TimeSpan.FromMinutes(2), akkaInfoEvents: true);
        report.Add("setup: controller start to /ready", clock.Elapsed.TotalMilliseconds, "ms");
        timeline.Attach(host.Fabric.System, "controller");
        clock.Restart();
        await using var satellite = await SatelliteMember.StartAsync(Path.Combine(dataDir.Path, "satellite"), Node, host.Settings.ClusterPort, TimeSpan.FromMinutes(1));
        report.Add("setup: satellite member up", clock.Elapsed.TotalMilliseconds, "ms");
        timeline.Attach(satellite.Fabric.System, "satellite");
        var board = host.Fabric.NodeStatus;
        using var rest = BenchHttp.Create(host.Endpoints.Rest, timeout: TimeSpan.FromMinutes(2));

        await backing.RegisterNodeAsync(host.Fabric, Node);
        var agent = AgentIncarnation.Start(satellite.Fabric, Node, backing.Providers);
        try
        {
            await WaitUntilAsync(() => board.IsOnline(Node), TimeSpan.FromSeconds(30), $"{Node} ONLINE with no resources");
            var devices = await CreateResourcesAsync(host.Fabric, backing, resources, report);
            var byName = devices.ToDictionary(d => d.Key, d => d.Value, StringComparer.OrdinalIgnoreCase);
            var byKey = devices.ToImmutableDictionary(d => Names.Key(d.Key), d => d.Value);
            var byStorageName = devices.ToDictionary(d => new Fabric.Node.Storage.VolumeId(d.Key, 0).StorageName, d => d.Value, StringComparer.Ordinal);
            await CheckAsync(rest, backing, byName, byStorageName, "after the resources were created");
            var previous = board.Get(Node)!.Incarnation;

            var results = new List<RunResult>();
            for (var run = 1; run <= runs; run++)
            {
                var stopClock = Stopwatch.StartNew();
                await agent.StopAsync(satellite.Fabric.System, crash, TimeSpan.FromSeconds(10));
                var offlineWithin = host.Fabric.Settings.NodeStatusTimeout + TimeSpan.FromSeconds(15);
                await WaitUntilAsync(() => !board.IsOnline(Node) && board.Get(Node)?.Connected != true, offlineWithin, $"{Node} OFFLINE after the agent stopped");
                var offlineMs = stopClock.Elapsed.TotalMilliseconds;

                backing.ResetActivity();
                var startedUtc = DateTime.UtcNow;
                var started = Stopwatch.GetTimestamp();
                agent = AgentIncarnation.Start(satellite.Fabric, Node, backing.Providers);
                var timing = await ReconnectProbe.WaitAsync(board, Node, previous, byKey, started, TimeSpan.FromSeconds(120));
                var atInPlace = backing.Activity();
                // Anything the new incarnation still does afterwards counts too.
                await Task.Delay(TimeSpan.FromSeconds(1));
                var activity = backing.Activity();
                if (activity.Mutations > 0)
                {
                    throw new BenchFailedException($"Run {run}: the reconnect changed storage although every volume was in place: {string.Join("; ", activity.MutatingDetail)}.");
                }
                if (ReconnectProbe.Problem(board.Get(Node)!, byKey) is { } problem)
                {
                    throw new BenchFailedException($"Run {run}: one second after the reconnect the board no longer shows every resource in place: {problem}.");
                }
                await CheckAsync(rest, backing, byName, byStorageName, $"after reconnect {run}");
                var marks = Milestones.Select(m => timeline.FirstMs(startedUtc, m.System, Node, m.Text)).ToList();
                var result = new RunResult(run, offlineMs, timing, atInPlace, activity, marks);
                results.Add(result);
                Console.WriteLine($"  run {run}: OFFLINE after {offlineMs:0} ms; new agent ONLINE after {timing.OnlineMs:0.0} ms, all {resources} in place after {timing.InPlaceMs:0.0} ms; storage: {activity.Detail}");
                previous = timing.Incarnation;
            }
            Summarize(report, results, resources, crash);
        }
        finally
        {
            await agent.StopAsync(satellite.Fabric.System, crash: false, TimeSpan.FromSeconds(10));
        }
        report.Finish();
        return report;
    }

    private sealed record RunResult(int Run, double OfflineMs, ReconnectTiming Timing, StorageActivity AtInPlace, StorageActivity Activity, IReadOnlyList<double?> Milestones);

    /// <summary>Creates the resources (one volume, storage layer, replica on the node) and returns name → device once all are in place.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> CreateResourcesAsync(FabricSystem fabric, ISatelliteBacking backing, int resources, BenchReport report)
    {
        var names = Enumerable.Range(1, resources).Select(i => $"rsc-{i:D4}").ToList();
        Console.WriteLine($"Creating {resources} resources on {Node} ({backing.Name})");
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (name, ct) =>
        {
            var command = new CreateResourceDefinition(
                name, null, "DfltRscGrp", [Layers.Storage], Props.Empty, null, null, null,
                [new VolumeDefinitionSpec(null, backing.VolumeKiB, Props.Empty, [])],
                [new ReplicaSpec(Node, backing.PoolName, false, Props.Empty)],
                ResourcePolicy.Default);
            var reply = await fabric.AskAsync(EntityKind.Resource, Names.Key(name), command, ct);
            if (!reply.Accepted)
            {
                throw new BenchFailedException($"Creating resource {name} was rejected: {string.Join("; ", reply.Messages.Select(m => m.Message + " " + m.Cause))}");
            }
        });
        report.Add("setup: resources created (AskAsync, 16 in flight)", clock.Elapsed.TotalSeconds, "s", $"{resources / clock.Elapsed.TotalSeconds:0} resources/s");
        var expected = names.ToDictionary(Names.Key, _ => (string?)null);
        NodeLiveStatus? status = null;
        await WaitUntilAsync(() =>
        {
            status = fabric.NodeStatus.Get(Node);
            return status is not null && names.All(n => status.Resources.TryGetValue(Names.Key(n), out var r)
                && r.InPlace && r.Volumes.Count == 1 && r.Volumes[0].DiskState == "UpToDate" && r.Volumes[0].DevicePath is not null);
        }, TimeSpan.FromMinutes(10), $"all {resources} resources UpToDate on {Node}");
        report.Add("setup: all volumes created and UpToDate (board)", clock.Elapsed.TotalSeconds, "s", "from the first create");
        return names.ToDictionary(n => n, n => status!.Resources[Names.Key(n)].Volumes[0].DevicePath!, StringComparer.Ordinal);
    }

    /// <summary>REST and the host's storage must both show every replica UpToDate on its device.</summary>
    private static async Task CheckAsync(HttpClient rest, ISatelliteBacking backing, IReadOnlyDictionary<string, string> byName, IReadOnlyDictionary<string, string> byStorageName, string when)
    {
        var problems = new List<string>();
        problems.AddRange(await RestReplicaCheck.ProblemsAsync(rest, Node, byName));
        problems.AddRange(await backing.CheckHostAsync(byStorageName));
        if (problems.Count > 0)
        {
            throw new BenchFailedException($"{when}: {problems.Count} problem(s):\n  " + string.Join("\n  ", problems.Take(20)));
        }
    }

    private static void Summarize(BenchReport report, List<RunResult> results, int resources, bool crash)
    {
        foreach (var r in results)
        {
            report.Add($"run {r.Run}: agent start → ONLINE", r.Timing.OnlineMs, "ms", $"all {resources} in place at {r.Timing.InPlaceMs:0.0} ms; OFFLINE {r.OfflineMs:0} ms after the {(crash ? "crash" : "stop")}; storage until in place: {r.AtInPlace.Detail}; within 1 s more: {r.Activity.Detail}");
        }
        var online = results.Select(r => r.Timing.OnlineMs).ToList();
        var inPlace = results.Select(r => r.Timing.InPlaceMs).ToList();
        report.Add("agent start → ONLINE: median", Median.Of(online), "ms", $"min {online.Min():0.0}, max {online.Max():0.0} over {results.Count} runs");
        report.Add("agent start → all resources in place: median", Median.Of(inPlace), "ms", $"min {inPlace.Min():0.0}, max {inPlace.Max():0.0}; every resource in place without error, volume UpToDate on the same device");
        report.Add("ratio to LINSTOR (~8 s)", LinstorSeconds * 1000 / Median.Of(inPlace), "×", $"aim ≤ {AimMs:0} ms: {(Median.Of(inPlace) <= AimMs ? "met" : "missed")}");
        report.Add("mutating storage operations in all reconnects", results.Sum(r => r.Activity.Mutations), "ops", "must be 0");
        report.Add("listings per reconnect: median", Median.Of(results.Select(r => (double)r.Activity.Listings).ToList()), "ops", results[^1].Activity.Detail);
        report.Add("crash/stop → OFFLINE: median", Median.Of(results.Select(r => r.OfflineMs).ToList()), "ms", crash ? "status timeout, the agent said no goodbye" : "goodbye");
        for (var i = 0; i < Milestones.Length; i++)
        {
            var values = results.Select(r => r.Milestones[i]).Where(v => v is not null).Select(v => v!.Value).ToList();
            if (values.Count > 0)
            {
                report.Add($"timeline: {Milestones[i].Label}", Median.Of(values), "ms", $"median after agent start (log timestamps), min {values.Min():0.0}, max {values.Max():0.0}");
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new BenchFailedException($"Not reached within {timeout.TotalSeconds:0} s: {what}.");
            }
            await Task.Delay(20);
        }
    }
}
