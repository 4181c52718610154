using System.Diagnostics;
using System.Globalization;
using System.Net;
using Fabric.Bench.Hosting;
using Fabric.Bench.Measurement;
using Fabric.Bench.Reporting;

namespace Fabric.Bench.Scenarios;

/// <summary>
/// cold-start-resources: seeds resources × 3 replicas in-process (as view-resources does), stops
/// cleanly, then starts the host 3 times as a separate process (after the clean stop; ended with
/// kill -9; after that kill -9) and times /ready and the first complete resource-definition list
/// and resource view.
/// </summary>
public static class ColdStartResourcesScenario
{
    private const string OwnNode = "bench-controller";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(15);

    public static async Task<BenchReport> RunAsync(int resources, int nodes, int seedConcurrency, bool keepData)
    {
        var report = new BenchReport("cold-start-resources", new Dictionary<string, string>
        {
            ["resources"] = resources.ToString(CultureInfo.InvariantCulture),
            ["replicas per resource"] = "3 diskful, 1 volume of 1 GiB",
            ["nodes"] = nodes.ToString(CultureInfo.InvariantCulture),
            ["seed-concurrency"] = seedConcurrency.ToString(CultureInfo.InvariantCulture),
            ["journal"] = "sqlite",
            ["phase B host"] = "separate process, dotnet Fabric.Host.dll, log level Information",
        });
        var hostDll = HostExecutable.Find();
        report.Note($"host executable: {hostDll}");
        using var dataDir = new TempDataDir("cold-start-resources", keepData);

        Console.WriteLine($"Phase A: seeding {dataDir.Path} with {nodes} nodes and {resources} resources × 3 replicas");
        var startClock = Stopwatch.StartNew();
        var host = await InProcessHost.StartAsync(dataDir.Path, OwnNode, TimeSpan.FromMinutes(2));
        report.Add("phase A: in-process start to /ready (empty journal)", startClock.Elapsed.TotalMilliseconds, "ms");
        ResourceSeedResult seed;
        try
        {
            seed = await ResourceSeeder.SeedAsync(host.Fabric, nodes, resources, seedConcurrency);
            ViewResourcesScenario.AddSeedFigures(report, seed, seedConcurrency);
            var lag = await ResourceSeeder.WaitForProjectionAsync(host.Fabric, dataDir.DatabaseFile, TimeSpan.FromMinutes(20));
            report.Add("phase A: read-model lag after the last reply", lag.TotalMilliseconds, "ms");
        }
        finally
        {
            var stopClock = Stopwatch.StartNew();
            await host.DisposeAsync();
            report.Add("phase A: clean in-process stop", stopClock.Elapsed.TotalMilliseconds, "ms");
        }

        var stats = JournalStats.Read(dataDir.DatabaseFile);
        report.Add("journal rows", stats.JournalRows, "rows", $"{(double)stats.JournalRows / resources:0.0} per resource; tables: {string.Join(", ", stats.RowsByTable.Select(t => $"{t.Key}={t.Value}"))}");
        report.Add("db file size", stats.DatabaseBytes / 1048576.0, "MiB", $"WAL file {stats.WalBytes / 1048576.0:0.0} MiB");
        report.Add("read-model snapshot offset at stop", stats.ReadModelSnapshotOffset ?? 0, "offset", $"max ordering {stats.MaxOrdering}; snapshot {(stats.ReadModelSnapshotBytes ?? 0) / 1048576.0:0.0} MiB");

        var expectedNames = seed.ResourceNames.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var probes = new[]
        {
            new CorrectnessProbe("GET /v1/resource-definitions", async (rest, ct) =>
            {
                var list = await ResourceListing.GetDefinitionsAsync(rest, ct);
                return list.Status == HttpStatusCode.OK && list.Names.Count == resources && expectedNames.SetEquals(list.Names);
            }),
            new CorrectnessProbe("GET /v1/view/resources", async (rest, ct) =>
            {
                var view = await ResourceListing.GetViewAsync(rest, string.Empty, ct);
                return view.Status == HttpStatusCode.OK && view.Entries.Count == resources * 3
                    && ResourceListing.Verify(view.Entries, seed.ResourceNames, 3, ResourceSeeder.Pool, 1).Count == 0;
            }),
        };

        var plan = new[]
        {
            ("run 1", "clean in-process stop after seeding", StopKind.CleanSigterm),
            ("run 2", "SIGTERM (clean)", StopKind.KillMinus9),
            ("run 3", "kill -9", StopKind.CleanSigterm),
        };
        var runs = new List<ColdStartRunResult>();
        foreach (var (label, previous, stop) in plan)
        {
            Console.WriteLine($"Phase B {label}: previous stop {previous}; this run ends with {stop}");
            var run = await ColdStartRun.RunAsync(label, hostDll, dataDir.Path, OwnNode, null, OwnNode, previous, stop, RunTimeout, probes);
            runs.Add(run);
            ColdStartScenario.AddRun(report, run);
        }
        report.Add("median: process start to /ready 200", Median.Of(runs.Select(r => r.ReadyMs / 1000).ToList()), "s");
        foreach (var probe in probes)
        {
            report.Add($"median: process start to first correct {probe.Name}", Median.Of(runs.Select(r => r.ProbeMs![probe.Name] / 1000).ToList()), "s");
        }
        var after = JournalStats.Read(dataDir.DatabaseFile);
        report.Add("journal rows after phase B", after.JournalRows, "rows", $"read-model snapshot offset {after.ReadModelSnapshotOffset}");
        report.Finish();
        return report;
    }
}
