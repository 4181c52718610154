using System.Diagnostics;
using System.Globalization;
using System.Net;
using Fabric.Bench.Cli;
using Fabric.Bench.Hosting;
using Fabric.Bench.Measurement;
using Fabric.Bench.Reporting;

namespace Fabric.Bench.Scenarios;

/// <summary>
/// view-resources: seeds resources × 3 replicas in-process through AskAsync, waits for the read
/// model, then times GET /v1/view/resources (all, and filtered to one node) and GET
/// /v1/resource-definitions.
/// </summary>
public static class ViewResourcesScenario
{
    private const string OwnNode = "bench-host";

    public static async Task<BenchReport> RunAsync(int resources, int nodes, int samples, int seedConcurrency)
    {
        var report = new BenchReport("view-resources", new Dictionary<string, string>
        {
            ["resources"] = resources.ToString(CultureInfo.InvariantCulture),
            ["replicas per resource"] = "3 diskful, 1 volume of 1 GiB",
            ["nodes"] = nodes.ToString(CultureInfo.InvariantCulture),
            ["samples"] = samples.ToString(CultureInfo.InvariantCulture),
            ["warm-ups"] = "3",
            ["seed-concurrency"] = seedConcurrency.ToString(CultureInfo.InvariantCulture),
            ["journal"] = "sqlite (fresh temp data dir)",
            ["host"] = "in-process FabricWebApp, log level Warning; one client, requests one after another",
        });
        using var dataDir = new TempDataDir("view-resources");
        await using var host = await InProcessHost.StartAsync(dataDir.Path, OwnNode, TimeSpan.FromMinutes(2));
        Console.WriteLine($"Seeding {nodes} nodes and {resources} resources × 3 replicas through AskAsync ({seedConcurrency} in flight)");
        var seed = await ResourceSeeder.SeedAsync(host.Fabric, nodes, resources, seedConcurrency);
        AddSeedFigures(report, seed, seedConcurrency);
        var lag = await ResourceSeeder.WaitForProjectionAsync(host.Fabric, dataDir.DatabaseFile, TimeSpan.FromMinutes(20));
        report.Add("seeding: read-model lag after the last reply", lag.TotalMilliseconds, "ms");

        using var rest = BenchHttp.Create(host.Endpoints.Rest, maxConnections: 1, timeout: TimeSpan.FromMinutes(5));
        var expectedEntries = resources * 3;

        var all = await TimeAsync(report, "GET /v1/view/resources (all)", samples, async () =>
        {
            var view = await ResourceListing.GetViewAsync(rest);
            Expect(view.Status, "GET /v1/view/resources");
            return (view.Bytes, view.Entries.Count, view.Ticks, (object)view);
        }, expectedEntries);
        var last = (ResourceListing.ViewResult)all;
        var problems = ResourceListing.Verify(last.Entries, seed.ResourceNames, 3, ResourceSeeder.Pool, 1);
        if (problems.Count > 0)
        {
            throw new BenchFailedException("GET /v1/view/resources is wrong:\n  " + string.Join("\n  ", problems));
        }
        report.Note($"view checked: {last.Entries.Count} entries = resources × 3, 3 diskful replicas on distinct nodes per resource, minors unique cluster-wide, ports unique per node, node ids unique per resource");

        var oneNode = ResourceSeeder.NodeName(0);
        var perNode = resources * 3 / nodes;
        var expectedOnNode = Enumerable.Range(0, resources).Count(i => Enumerable.Range(0, 3).Any(k => (i + k) % nodes == 0));
        await TimeAsync(report, $"GET /v1/view/resources?nodes={oneNode}", samples, async () =>
        {
            var view = await ResourceListing.GetViewAsync(rest, "?nodes=" + oneNode);
            Expect(view.Status, "GET /v1/view/resources?nodes=");
            if (view.Entries.Any(e => !e.Node.Equals(oneNode, StringComparison.OrdinalIgnoreCase)))
            {
                throw new BenchFailedException($"GET /v1/view/resources?nodes={oneNode} listed replicas on other nodes.");
            }
            return (view.Bytes, view.Entries.Count, view.Ticks, (object)view);
        }, expectedOnNode);
        report.Note($"one node holds {expectedOnNode} replicas (about resources × 3 / nodes = {perNode})");

        await TimeAsync(report, "GET /v1/resource-definitions", samples, async () =>
        {
            var list = await ResourceListing.GetDefinitionsAsync(rest);
            Expect(list.Status, "GET /v1/resource-definitions");
            return (list.Bytes, list.Names.Count, list.Ticks, (object)list);
        }, resources);

        var stats = JournalStats.Read(dataDir.DatabaseFile);
        report.Add("journal rows", stats.JournalRows, "rows", $"{(double)stats.JournalRows / resources:0.0} per resource (nodes and pools included)");
        report.Add("db file size (+WAL)", (stats.DatabaseBytes + stats.WalBytes) / 1048576.0, "MiB");
        report.Add("managed memory after the runs", GC.GetTotalMemory(forceFullCollection: true) / 1048576.0, "MiB", "bench + in-process host, after a full GC");
        await host.StopAsync();
        report.Finish();
        return report;
    }

    public static void AddSeedFigures(BenchReport report, ResourceSeedResult seed, int concurrency)
    {
        report.Add("seeding: nodes + pools via AskAsync", seed.Nodes / seed.NodeTime.TotalSeconds, "nodes/s", $"{seed.Nodes} nodes in {seed.NodeTime.TotalSeconds:0.0} s (2 asks each)");
        report.Add("seeding: resource definitions (1 volume, 3 replicas) via AskAsync", seed.Resources / seed.ResourceTime.TotalSeconds, "resources/s", $"{seed.Resources} in {seed.ResourceTime.TotalSeconds:0.0} s, {concurrency} in flight");
    }

    private static async Task<object> TimeAsync(BenchReport report, string what, int samples, Func<Task<(long Bytes, int Count, long Ticks, object Result)>> request, int expectedCount)
    {
        Console.WriteLine($"Timing {what}: 3 warm-ups, {samples} samples");
        object last = new();
        long bytes = 0;
        var ticks = new List<long>(samples);
        for (var i = 0; i < samples + 3; i++)
        {
            var (b, count, elapsed, result) = await request();
            if (count != expectedCount)
            {
                throw new BenchFailedException($"{what} returned {count} entries, expected {expectedCount}.");
            }
            if (i >= 3)
            {
                ticks.Add(elapsed);
            }
            bytes = b;
            last = result;
        }
        var s = LatencySummary.Of(ticks);
        report.Add($"{what}: p50 / p99 / max", s.P50Ms, "ms", $"p99 {s.P99Ms:0.0} ms, max {s.MaxMs:0.0} ms, mean {s.MeanMs:0.0} ms; {expectedCount} entries, {bytes / 1048576.0:0.00} MiB ({(double)bytes / Math.Max(1, expectedCount):0} B/entry); send to body read, parsing excluded");
        report.Add($"{what}: p99", s.P99Ms, "ms");
        report.Add($"{what}: max", s.MaxMs, "ms");
        report.Add($"{what}: response size", bytes / 1048576.0, "MiB");
        report.Add($"{what}: per entry (p50)", s.P50Ms * 1000 / Math.Max(1, expectedCount), "µs");
        return last;
    }

    private static void Expect(HttpStatusCode status, string what)
    {
        if (status != HttpStatusCode.OK)
        {
            throw new BenchFailedException($"{what} answered {(int)status} {status}.");
        }
    }
}
