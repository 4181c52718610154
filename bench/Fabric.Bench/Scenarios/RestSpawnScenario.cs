using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Fabric.Bench.Cli;
using Fabric.Bench.Hosting;
using Fabric.Bench.Measurement;
using Fabric.Bench.Reporting;

namespace Fabric.Bench.Scenarios;

/// <summary>
/// rest-spawn: the real host in-process; nodes with a FILE_THIN pool registered through REST and
/// kept online by <see cref="SimulatedAgents"/>; a resource group with place_count 3; then
/// <c>count</c> POST /v1/resource-groups/bench/spawn from <c>concurrency</c> clients (each 201),
/// checked afterwards through GET /v1/view/resources.
/// </summary>
public static class RestSpawnScenario
{
    private const string OwnNode = "bench-host";
    private const string Group = "bench";
    private const string Pool = "pool1";
    private const long PoolKiB = 10L * 1024 * 1024 * 1024; // 10 TiB
    private const long VolumeKiB = 1024 * 1024; // 1 GiB

    public static async Task<BenchReport> RunAsync(int count, int concurrency, int nodes, int warmup)
    {
        var report = new BenchReport("rest-spawn", new Dictionary<string, string>
        {
            ["count"] = count.ToString(CultureInfo.InvariantCulture),
            ["concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
            ["nodes"] = nodes.ToString(CultureInfo.InvariantCulture),
            ["warmup"] = warmup.ToString(CultureInfo.InvariantCulture),
            ["resource group"] = "place_count 3, storage_pool pool1 (FILE_THIN, 10 TiB free per node, reported by simulated agents every heartbeat)",
            ["volume"] = "1 × 1 GiB",
            ["journal"] = "sqlite (fresh temp data dir)",
            ["host"] = "in-process FabricWebApp, log level Warning",
        });
        using var dataDir = new TempDataDir("rest-spawn");
        var startClock = Stopwatch.StartNew();
        await using var host = await InProcessHost.StartAsync(dataDir.Path, OwnNode, TimeSpan.FromMinutes(2));
        report.Add("host start to /ready (in-process, empty journal)", startClock.Elapsed.TotalMilliseconds, "ms");
        using var rest = BenchHttp.Create(host.Endpoints.Rest, maxConnections: concurrency, timeout: TimeSpan.FromMinutes(5));

        var nodeNames = Enumerable.Range(0, nodes).Select(i => $"sat-{i:D4}").ToList();
        Console.WriteLine($"Registering {nodes} nodes with pool {Pool} through REST");
        var setupClock = Stopwatch.StartNew();
        await RunAllAsync(nodeNames.Count, concurrency, async i =>
        {
            var n = nodeNames[i];
            var node = $$"""{"name":"{{n}}","type":"satellite","net_interfaces":[{"name":"default","address":"10.{{i / 65536 % 256}}.{{i / 256 % 256}}.{{i % 256}}"}]}""";
            await PostAsync(rest, "/v1/nodes", node, HttpStatusCode.Created);
            var pool = $$$"""{"storage_pool_name":"{{{Pool}}}","provider_kind":"FILE_THIN","props":{"StorDriver/StorPoolName":"/var/lib/fabric/{{{Pool}}}"}}""";
            await PostAsync(rest, $"/v1/nodes/{n}/storage-pools", pool, HttpStatusCode.Created);
        });
        report.Add("setup: nodes + pools via REST", setupClock.Elapsed.TotalSeconds, "s", $"{nodes} × (POST node + POST pool)");

        await using var agents = new SimulatedAgents(host.Fabric, nodeNames, Pool, "FILE_THIN", PoolKiB, PoolKiB);
        var onlineClock = Stopwatch.StartNew();
        await agents.WaitAllOnlineAsync(TimeSpan.FromSeconds(30));
        report.Add("setup: all simulated nodes online", onlineClock.Elapsed.TotalMilliseconds, "ms");

        await PostAsync(rest, "/v1/resource-groups", $$$"""{"name":"{{{Group}}}","select_filter":{"place_count":3,"storage_pool":"{{{Pool}}}"}}""", HttpStatusCode.Created);

        var warmNames = Enumerable.Range(0, warmup).Select(i => $"warm-{i:D4}").ToList();
        if (warmup > 0)
        {
            Console.WriteLine($"Warm-up: {warmup} spawns (kept; part of the verification)");
            await SpawnAllAsync(rest, warmNames, concurrency);
        }

        Console.WriteLine($"Measuring: {count} spawns with {concurrency} concurrent clients");
        var names = Enumerable.Range(0, count).Select(i => $"bench-{i:D6}").ToList();
        var wall = Stopwatch.StartNew();
        var latencies = await SpawnAllAsync(rest, names, concurrency);
        wall.Stop();
        var summary = LatencySummary.Of(latencies);
        report.Add("spawns", count, "requests", "all answered 201");
        report.Add("throughput", count / wall.Elapsed.TotalSeconds, "resources/s", $"{count * 3 / wall.Elapsed.TotalSeconds:0.0} replicas/s");
        report.Add("wall time", wall.Elapsed.TotalSeconds, "s");
        report.Add("latency p50", summary.P50Ms, "ms");
        report.Add("latency p95", summary.P95Ms, "ms");
        report.Add("latency p99", summary.P99Ms, "ms");
        report.Add("latency max", summary.MaxMs, "ms");
        report.Add("latency mean", summary.MeanMs, "ms");

        // Spawn answers after the entity has journaled; the view follows the projection.
        var lag = await ResourceSeeder.WaitForProjectionAsync(host.Fabric, dataDir.DatabaseFile, TimeSpan.FromMinutes(5));
        report.Add("read-model lag after the last answer", lag.TotalMilliseconds, "ms");
        var view = await ResourceListing.GetViewAsync(rest);
        if (view.Status != HttpStatusCode.OK)
        {
            throw new BenchFailedException($"GET /v1/view/resources answered {view.Status}.");
        }
        var problems = ResourceListing.Verify(view.Entries, [.. warmNames, .. names], 3, Pool, 1);
        if (problems.Count > 0)
        {
            throw new BenchFailedException("After the spawns, GET /v1/view/resources is wrong:\n  " + string.Join("\n  ", problems));
        }
        var perNode = view.Entries.GroupBy(e => e.Node, StringComparer.OrdinalIgnoreCase).Select(g => g.Count()).ToList();
        report.Add("GET /v1/view/resources after the run", LatencySummary.ToMs(view.Ticks), "ms", $"{view.Entries.Count} replicas, {view.Bytes / 1048576.0:0.0} MiB");
        report.Note($"view checked: {warmup + count} resources × 3 diskful replicas on distinct nodes in {Pool}; minors unique cluster-wide, ports unique per node, node ids unique per resource; replicas per node min {perNode.Min()} / max {perNode.Max()} over {perNode.Count} nodes");
        report.Add("replicas per node: max / min", perNode.Max(), "replicas", $"min {perNode.Min()}, {perNode.Count} nodes used of {nodes}");

        var stats = JournalStats.Read(dataDir.DatabaseFile);
        report.Add("journal rows", stats.JournalRows, "rows", $"{(double)stats.JournalRows / (warmup + count + nodes):0.0} per resource-or-node; includes allocator events");
        report.Add("db file size (+WAL)", (stats.DatabaseBytes + stats.WalBytes) / 1048576.0, "MiB");
        await agents.DisposeAsync();
        await host.StopAsync();
        report.Finish();
        return report;
    }

    private static Task<List<long>> SpawnAllAsync(HttpClient rest, IReadOnlyList<string> names, int concurrency) =>
        RunAllAsync(names.Count, concurrency, i => PostAsync(rest, $"/v1/resource-groups/{Group}/spawn",
            $$$"""{"resource_definition_name":"{{{names[i]}}}","volume_sizes":[{{{VolumeKiB}}}],"select_filter":{"place_count":3}}""", HttpStatusCode.Created));

    /// <summary>Runs count actions from concurrency workers; returns each action's latency in Stopwatch ticks.</summary>
    private static async Task<List<long>> RunAllAsync(int count, int concurrency, Func<int, Task> action)
    {
        var next = -1;
        var latencies = new List<long>[concurrency];
        using var failed = new CancellationTokenSource();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<long>(count / concurrency + 1);
            int i;
            while (!failed.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await action(i);
                }
                catch
                {
                    await failed.CancelAsync();
                    throw;
                }
                mine.Add(Stopwatch.GetTimestamp() - started);
            }
        })).ToList();
        await Task.WhenAll(workers);
        return latencies.SelectMany(l => l ?? []).ToList();
    }

    private static async Task PostAsync(HttpClient rest, string path, string json, HttpStatusCode expected)
    {
        using var response = await rest.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new BenchFailedException($"POST {path}: expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
        }
    }
}
