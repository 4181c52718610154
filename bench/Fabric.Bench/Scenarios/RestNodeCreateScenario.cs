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
/// rest-node-create: the real host in-process; <c>count</c> POST /v1/nodes from <c>concurrency</c>
/// clients, every answer must be 201; then GET /v1/nodes must list exactly count + 1 nodes.
/// </summary>
public static class RestNodeCreateScenario
{
    private const string OwnNode = "bench-host";

    public static async Task<BenchReport> RunAsync(int count, int concurrency, int warmup)
    {
        var report = new BenchReport("rest-node-create", new Dictionary<string, string>
        {
            ["count"] = count.ToString(CultureInfo.InvariantCulture),
            ["concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
            ["warmup"] = warmup.ToString(CultureInfo.InvariantCulture),
            ["journal"] = "sqlite (fresh temp data dir)",
            ["host"] = "in-process FabricWebApp, log level Warning",
        });
        using var dataDir = new TempDataDir("rest-node-create");
        var startClock = Stopwatch.StartNew();
        await using var host = await InProcessHost.StartAsync(dataDir.Path, OwnNode, TimeSpan.FromMinutes(2));
        report.Add("host start to /ready (in-process, empty journal)", startClock.Elapsed.TotalMilliseconds, "ms");
        using var rest = BenchHttp.Create(host.Endpoints.Rest, maxConnections: concurrency);

        if (warmup > 0)
        {
            Console.WriteLine($"Warm-up: {warmup} creates (then deleted, not counted)");
            var warm = Enumerable.Range(0, warmup).Select(i => $"warmup-{i:D4}").ToList();
            await CreateAllAsync(rest, warm, concurrency);
            foreach (var name in warm)
            {
                using var response = await rest.DeleteAsync($"/v1/nodes/{name}");
                await ExpectAsync(response, HttpStatusCode.OK, $"DELETE /v1/nodes/{name}");
            }
        }

        Console.WriteLine($"Measuring: {count} creates with {concurrency} concurrent clients");
        var names = Enumerable.Range(0, count).Select(i => $"bench-node-{i:D5}").ToList();
        var wall = Stopwatch.StartNew();
        var latencies = await CreateAllAsync(rest, names, concurrency);
        wall.Stop();
        var summary = LatencySummary.Of(latencies);
        report.Add("creates", count, "requests", "all answered 201");
        report.Add("throughput", count / wall.Elapsed.TotalSeconds, "ops/s");
        report.Add("wall time", wall.Elapsed.TotalSeconds, "s");
        report.Add("latency p50", summary.P50Ms, "ms");
        report.Add("latency p95", summary.P95Ms, "ms");
        report.Add("latency p99", summary.P99Ms, "ms");
        report.Add("latency max", summary.MaxMs, "ms");
        report.Add("latency mean", summary.MeanMs, "ms");

        var listClock = Stopwatch.StartNew();
        var listing = await NodeListing.GetAsync(rest);
        listClock.Stop();
        if (listing.Status != HttpStatusCode.OK)
        {
            throw new BenchFailedException($"GET /v1/nodes answered {listing.Status}.");
        }
        var expected = names.Append(OwnNode).ToHashSet(StringComparer.Ordinal);
        if (listing.Nodes.Count != count + 1 || !expected.SetEquals(listing.Nodes.Keys))
        {
            var missing = expected.Except(listing.Nodes.Keys).Take(5);
            var extra = listing.Nodes.Keys.Except(expected).Take(5);
            throw new BenchFailedException($"GET /v1/nodes listed {listing.Nodes.Count} nodes, expected {count + 1}; missing e.g. [{string.Join(", ", missing)}], unexpected e.g. [{string.Join(", ", extra)}].");
        }
        report.Add("GET /v1/nodes after the run", listClock.Elapsed.TotalMilliseconds, "ms", $"{listing.Nodes.Count} nodes listed = count + 1 (own node)");

        var stats = JournalStats.Read(dataDir.DatabaseFile);
        report.Add("journal rows", stats.JournalRows, "rows", "incl. warm-up creates/deletes and the own node");
        report.Add("db file size (+WAL)", (stats.DatabaseBytes + stats.WalBytes) / 1048576.0, "MiB");
        await host.StopAsync();
        report.Finish();
        return report;
    }

    /// <summary>Creates the nodes with <paramref name="concurrency"/> workers; returns each request's latency in Stopwatch ticks.</summary>
    private static async Task<List<long>> CreateAllAsync(HttpClient rest, IReadOnlyList<string> names, int concurrency)
    {
        var next = -1;
        var latencies = new List<long>[concurrency];
        using var failed = new CancellationTokenSource();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<long>(names.Count / concurrency + 1);
            int i;
            while (!failed.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < names.Count)
            {
                var body = $$"""{"name":"{{names[i]}}","type":"satellite","net_interfaces":[{"name":"default","address":"10.{{i / 65536 % 256}}.{{i / 256 % 256}}.{{i % 256}}"}]}""";
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await rest.PostAsync("/v1/nodes", new StringContent(body, Encoding.UTF8, "application/json"));
                    await ExpectAsync(response, HttpStatusCode.Created, $"POST /v1/nodes {names[i]}");
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

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new BenchFailedException($"{what}: expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
        }
    }
}
