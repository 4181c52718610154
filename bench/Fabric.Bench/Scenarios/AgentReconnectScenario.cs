using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Fabric.Bench.Cli;
using Fabric.Bench.Hosting;
using Fabric.Bench.Reconnect;
using Fabric.Bench.Reporting;
using Fabric.Core.Naming;
using Fabric.Core.Protocol;

namespace Fabric.Bench.Scenarios;

/// <summary>
/// agent-reconnect: the real host in-process as controller, a satellite member in the same process
/// joined over loopback remoting, one node whose agent runs in that member on storage that outlives
/// it (simulated in memory, or FILE_THIN on real loop devices). Creates the node's resources, then
/// <c>runs</c> times: the agent dies (crash: no goodbye; or a clean stop), with its member if
/// <c>restart</c> is <c>member</c>; the node goes OFFLINE; a new incarnation starts on the same
/// storage (in a new member on the same port). Timed to ONLINE and to every resource reported in
/// place, with the storage operations it ran (only listings allowed) and REST and host checks.
/// </summary>
public sealed class AgentReconnectScenario
{
    private const string OwnNode = "bench-host";
    private const string Node = "sat-bench";

    private readonly InProcessHost _host;
    private readonly ISatelliteBacking _backing;
    private readonly AkkaTimeline _timeline;
    private readonly string _satelliteDir;
    private readonly bool _crash;
    private readonly bool _member;
    private SatelliteMember _satellite;
    private AgentIncarnation _agent;

    private AgentReconnectScenario(InProcessHost host, ISatelliteBacking backing, AkkaTimeline timeline, string satelliteDir, SatelliteMember satellite, bool crash, bool member)
    {
        _host = host;
        _backing = backing;
        _timeline = timeline;
        _satelliteDir = satelliteDir;
        _satellite = satellite;
        _crash = crash;
        _member = member;
        _agent = AgentIncarnation.Start(satellite.Fabric, Node, backing.Providers);
    }

    public static async Task<BenchReport> RunAsync(int resources, string provider, int runs, string stop, string restart)
    {
        var crash = stop switch
        {
            "crash" => true,
            "clean" => false,
            _ => throw new ArgumentException($"--stop must be crash or clean, not '{stop}'."),
        };
        var member = restart switch
        {
            "agent" => false,
            "member" => true,
            _ => throw new ArgumentException($"--restart must be agent or member, not '{restart}'."),
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
            ["stop"] = crash ? "crash (link cut, then stopped: no goodbye, no cluster leave)" : "clean (goodbye; a member leaves the cluster)",
            ["restart"] = member ? "member: the agent dies with its satellite member; a new member on the same port, then a new agent" : "agent: a new agent incarnation in the running satellite member",
            ["volume"] = $"1 × {backing.VolumeKiB} KiB per resource, layer stack STORAGE, pool {backing.PoolName}",
            ["topology"] = "controller = in-process FabricWebApp (combined, SQLite); satellite = FabricSystem (role satellite) in the same process, joined over loopback remoting",
            ["log level"] = "Akka INFO on both (production default), console Warning",
        });
        var timeline = new AkkaTimeline();
        var clock = Stopwatch.StartNew();
        await using var host = await InProcessHost.StartAsync(dataDir.Path, OwnNode, TimeSpan.FromMinutes(2), akkaInfoEvents: true);
        report.Add("setup: controller start to /ready", clock.Elapsed.TotalMilliseconds, "ms");
        timeline.Attach(host.Fabric.System, "controller");
        await backing.RegisterNodeAsync(host.Fabric, Node);
        clock.Restart();
        var satelliteDir = Path.Combine(dataDir.Path, "satellite");
        var satellite = await SatelliteMember.StartAsync(satelliteDir, Node, host.Settings.ClusterPort, TimeSpan.FromMinutes(1));
        report.Add("setup: satellite member up", clock.Elapsed.TotalMilliseconds, "ms");
        timeline.Attach(satellite.Fabric.System, "satellite");
        var scenario = new AgentReconnectScenario(host, backing, timeline, satelliteDir, satellite, crash, member);
        try
        {
            await scenario.MeasureAsync(resources, runs, report);
        }
        finally
        {
            await scenario.StopAsync();
        }
        report.Finish();
        return report;
    }

    private async Task MeasureAsync(int resources, int runs, BenchReport report)
    {
        var board = _host.Fabric.NodeStatus;
        using var rest = BenchHttp.Create(_host.Endpoints.Rest, timeout: TimeSpan.FromMinutes(2));
        await Waiting.UntilAsync(() => board.IsOnline(Node), TimeSpan.FromSeconds(30), $"{Node} ONLINE with no resources");
        var devices = await ReconnectResources.CreateAsync(_host.Fabric, Node, _backing, resources, report);
        var expected = new ExpectedDevices(devices);
        await CheckAsync(rest, expected, "after the resources were created");
        var previous = board.Get(Node)!.Incarnation;
        var results = new List<ReconnectResult>();
        for (var run = 1; run <= runs; run++)
        {
            var result = await ReconnectOnceAsync(run, previous, expected);
            await CheckAsync(rest, expected, $"after reconnect {run}");
            results.Add(result);
            Console.WriteLine($"  run {run}: OFFLINE after {result.OfflineMs:0} ms;{(_member ? $" member Up after {result.MemberUpMs:0} ms;" : "")} agent start → ONLINE {result.AgentToOnlineMs:0.0} ms, → all {resources} in place {result.AgentToInPlaceMs:0.0} ms; storage: {result.Activity.Detail}");
            previous = result.Timing.Incarnation;
        }
        ReconnectSummary.Add(report, results, resources, _crash, _member);
    }

    /// <summary>Kills (or stops) the agent, waits for OFFLINE, starts a new incarnation and times it.</summary>
    private async Task<ReconnectResult> ReconnectOnceAsync(int run, Guid previous, ExpectedDevices expected)
    {
        var board = _host.Fabric.NodeStatus;
        var stopClock = Stopwatch.StartNew();
        await StopAgentAsync();
        var offlineWithin = _host.Fabric.Settings.NodeStatusTimeout + TimeSpan.FromSeconds(15);
        await Waiting.UntilAsync(() => !board.IsOnline(Node) && board.Get(Node)?.Connected != true, offlineWithin, $"{Node} OFFLINE after the agent stopped");
        var offlineMs = stopClock.Elapsed.TotalMilliseconds;

        _backing.ResetActivity();
        var startedUtc = DateTime.UtcNow;
        var started = Stopwatch.GetTimestamp();
        double? memberUpMs = null;
        if (_member)
        {
            _satellite = await SatelliteMember.StartAsync(_satelliteDir, Node, _host.Settings.ClusterPort, TimeSpan.FromMinutes(2), _satellite.Port);
            memberUpMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            _timeline.Attach(_satellite.Fabric.System, "satellite");
        }
        var agentStartMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        _agent = AgentIncarnation.Start(_satellite.Fabric, Node, _backing.Providers);
        var timing = await ReconnectProbe.WaitAsync(board, Node, previous, expected.ByKey, started, TimeSpan.FromSeconds(120));
        var atInPlace = _backing.Activity();
        // Anything the new incarnation still does afterwards counts too.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var activity = _backing.Activity();
        if (activity.Mutations > 0)
        {
            throw new BenchFailedException($"Run {run}: the reconnect changed storage although every volume was in place: {string.Join("; ", activity.MutatingDetail)}.");
        }
        if (ReconnectProbe.Problem(board.Get(Node)!, expected.ByKey) is { } problem)
        {
            throw new BenchFailedException($"Run {run}: one second after the reconnect the board no longer shows every resource in place: {problem}.");
        }
        var marks = ReconnectSummary.Milestones.Select(m => _timeline.FirstMs(startedUtc, m.System, Node, m.Text)).ToList();
        return new ReconnectResult(run, offlineMs, memberUpMs, agentStartMs, timing, atInPlace, activity, marks);
    }

    /// <summary>The agent dies: alone, or with its member (a crash does not leave the cluster, a clean stop does).</summary>
    private async Task StopAgentAsync()
    {
        if (!_member)
        {
            await _agent.StopAsync(_satellite.Fabric.System, _crash, TimeSpan.FromSeconds(10));
        }
        else if (_crash)
        {
            _agent.CutLink();
            await _satellite.CrashAsync();
        }
        else
        {
            await _agent.StopAsync(_satellite.Fabric.System, crash: false, TimeSpan.FromSeconds(10));
            await _satellite.DisposeAsync();
        }
    }

    private async Task StopAsync()
    {
        if (!_satellite.Fabric.System.WhenTerminated.IsCompleted)
        {
            await _agent.StopAsync(_satellite.Fabric.System, crash: false, TimeSpan.FromSeconds(10));
        }
        await _satellite.DisposeAsync();
    }

    /// <summary>REST and the host's storage must both show every replica UpToDate on its device.</summary>
    private async Task CheckAsync(HttpClient rest, ExpectedDevices expected, string when)
    {
        var problems = new List<string>();
        problems.AddRange(await RestReplicaCheck.ProblemsAsync(rest, Node, expected.ByName));
        problems.AddRange(await _backing.CheckHostAsync(expected.ByStorageName));
        if (problems.Count > 0)
        {
            throw new BenchFailedException($"{when}: {problems.Count} problem(s):\n  " + string.Join("\n  ", problems.Take(20)));
        }
    }

    /// <summary>The device of each resource's volume 0, by resource name, resource key and storage name.</summary>
    private sealed class ExpectedDevices(IReadOnlyDictionary<string, string> byName)
    {
        public IReadOnlyDictionary<string, string> ByName { get; } = byName.ToDictionary(d => d.Key, d => d.Value, StringComparer.OrdinalIgnoreCase);

        public IReadOnlyDictionary<string, string> ByKey { get; } = byName.ToImmutableDictionary(d => Names.Key(d.Key), d => d.Value);

        public IReadOnlyDictionary<string, string> ByStorageName { get; } = byName.ToDictionary(d => new Fabric.Node.Storage.VolumeId(d.Key, 0).StorageName, d => d.Value, StringComparer.Ordinal);
    }
}
