using System.Diagnostics;
using System.Globalization;
using Fabric.Bench.Hosting;
using Fabric.Bench.Measurement;
using Fabric.Bench.Reporting;

namespace Fabric.Bench.Scenarios;

/// <summary>
/// cold-start: phase A seeds a journal in-process (nodes + props modifications up to the target
/// number of events) and stops cleanly; phase B starts the host 3 times as a separate process on
/// that data and times /ready and the first complete, correct node list. A start on an empty
/// journal is timed as the baseline of fixed costs (runtime, Akka, cluster formation).
/// </summary>
public static class ColdStartScenario
{
    private const string OwnNode = "bench-controller";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan FullReplayTimeout = TimeSpan.FromMinutes(40);
    private static readonly TimeSpan ProjectionWait = TimeSpan.FromMinutes(40);

    public static async Task<BenchReport> RunAsync(int events, int nodes, int seedConcurrency, bool keepData, bool fullReplay)
    {
        var report = new BenchReport("cold-start", new Dictionary<string, string>
        {
            ["events"] = events.ToString(CultureInfo.InvariantCulture),
            ["nodes"] = nodes.ToString(CultureInfo.InvariantCulture),
            ["seed-concurrency"] = seedConcurrency.ToString(CultureInfo.InvariantCulture),
            ["journal"] = "sqlite",
            ["full-replay"] = fullReplay ? "yes" : "no",
            ["phase B host"] = "separate process, dotnet Fabric.Host.dll, log level Information",
        });
        var hostDll = HostExecutable.Find();
        report.Note($"host executable: {hostDll}");
        using var dataDir = new TempDataDir("cold-start", keepData);

        Console.WriteLine($"Phase A: seeding {dataDir.Path} with ~{events} events over {nodes} nodes");
        var seed = await SeedAsync(report, dataDir, events, nodes, seedConcurrency);

        var before = JournalStats.Read(dataDir.DatabaseFile);
        report.Add("journal rows", before.JournalRows, "rows", $"tables: {string.Join(", ", before.RowsByTable.Select(t => $"{t.Key}={t.Value}"))}");
        report.Add("db file size", before.DatabaseBytes / 1048576.0, "MiB", $"WAL file {before.WalBytes / 1048576.0:0.0} MiB");
        report.Add("read-model snapshot offset at stop", before.ReadModelSnapshotOffset ?? 0, "offset", $"max ordering {before.MaxOrdering}; snapshot {(before.ReadModelSnapshotBytes ?? 0) / 1024.0:0} KiB");

        Console.WriteLine("Baseline: separate process on an empty data dir");
        using (var empty = new TempDataDir("cold-start-empty"))
        {
            var baseline = await ColdStartRun.RunAsync("baseline (empty journal)", hostDll, empty.Path, OwnNode, null, OwnNode, "none (fresh dir)", StopKind.CleanSigterm, RunTimeout);
            AddRun(report, baseline);
        }

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
            var run = await ColdStartRun.RunAsync(label, hostDll, dataDir.Path, OwnNode, seed.ExpectedProps, OwnNode, previous, stop, RunTimeout);
            runs.Add(run);
            AddRun(report, run);
        }
        report.Add("median: process start to /ready 200", Median.Of(runs.Select(r => r.ReadyMs / 1000).ToList()), "s");
        report.Add("median: process start to first complete list", Median.Of(runs.Select(r => (r.CorrectListMs ?? double.NaN) / 1000).ToList()), "s");

        if (fullReplay)
        {
            Console.WriteLine("Phase B worst case: a copy of the data without the read-model snapshot (full replay)");
            using var copy = new TempDataDir("cold-start-no-snapshot");
            JournalStats.CopyWithoutReadModelSnapshot(dataDir.DatabaseFile, copy.DatabaseFile);
            var full = await ColdStartRun.RunAsync("full replay (read-model snapshot deleted)", hostDll, copy.Path, OwnNode, seed.ExpectedProps, OwnNode, "SIGTERM (clean), then snapshot rows deleted", StopKind.CleanSigterm, FullReplayTimeout);
            AddRun(report, full);
        }

        var after = JournalStats.Read(dataDir.DatabaseFile);
        report.Add("journal rows after phase B", after.JournalRows, "rows", $"read-model snapshot offset {after.ReadModelSnapshotOffset}");
        report.Finish();
        return report;
    }

    private static async Task<SeedResult> SeedAsync(BenchReport report, TempDataDir dataDir, int events, int nodes, int concurrency)
    {
        var startClock = Stopwatch.StartNew();
        var host = await InProcessHost.StartAsync(dataDir.Path, OwnNode, TimeSpan.FromMinutes(2));
        report.Add("phase A: in-process start to /ready (empty journal)", startClock.Elapsed.TotalMilliseconds, "ms");
        SeedResult seed;
        try
        {
            seed = await JournalSeeder.SeedAsync(host.Fabric, dataDir.DatabaseFile, nodes, events, concurrency);
            report.Add("phase A: node creates via AskAsync", nodes / seed.CreateTime.TotalSeconds, "ops/s", $"{nodes} in {seed.CreateTime.TotalSeconds:0.0} s, {concurrency} in flight");
            report.Add("phase A: props modifications via AskAsync", seed.Modifications / seed.ModifyTime.TotalSeconds, "ops/s", $"{seed.Modifications} in {seed.ModifyTime.TotalSeconds:0.0} s");

            var lagClock = Stopwatch.StartNew();
            var maxOrdering = JournalStats.Read(dataDir.DatabaseFile).MaxOrdering;
            while (host.Fabric.Views.Current.Offset < maxOrdering && lagClock.Elapsed < ProjectionWait)
            {
                await Task.Delay(20);
            }
            report.Add("phase A: projection lag at end of seeding", lagClock.Elapsed.TotalMilliseconds, "ms", $"until read-model offset {host.Fabric.Views.Current.Offset} >= max ordering {maxOrdering}");
        }
        finally
        {
            var stopClock = Stopwatch.StartNew();
            await host.DisposeAsync();
            report.Add("phase A: clean in-process stop", stopClock.Elapsed.TotalMilliseconds, "ms");
        }
        return seed;
    }

    internal static void AddRun(BenchReport report, ColdStartRunResult run)
    {
        var tail = run.SnapshotOffset is { } s && run.CaughtUpOffset is { } c ? $"; replayed offsets {s}..{c} ({c - s} events)" : run.CaughtUpOffset is { } c2 ? $"; no snapshot, replayed to offset {c2}" : string.Empty;
        report.Add($"{run.Label}: process start to /ready 200", run.ReadyMs / 1000, "s", $"previous stop: {run.PreviousStop}; ended with {run.ThisStop}{tail}");
        if (run.CorrectListMs is { } correct)
        {
            report.Add($"{run.Label}: process start to first complete list", correct / 1000, "s", $"first 200 list at {(run.FirstListMs ?? 0) / 1000:0.000} s");
        }
        foreach (var (probe, ms) in run.ProbeMs ?? new Dictionary<string, double>())
        {
            report.Add($"{run.Label}: process start to first correct {probe}", ms / 1000, "s");
        }
        report.Add($"{run.Label}: host CPU time at ready", run.CpuSecondsAtReady, "s", "user+system of the host process");
        var phases = run.LogMarkersMs.Where(m => m.Value is not null).OrderBy(m => m.Value).Select(m => $"{m.Key} {m.Value / 1000:0.000}");
        var checks = run.CheckFirstTrueMs.OrderBy(c => c.Value).Select(c => $"{c.Key} {c.Value / 1000:0.000}");
        report.Note($"{run.Label} timeline (s since process start): {string.Join(", ", phases)}; management port first answered {(run.ManagementFirstAnswerMs ?? 0) / 1000:0.000}; /ready checks first true: {string.Join(", ", checks)}{(run.StopMs is { } stop ? $"; SIGTERM to exit {stop / 1000:0.000}" : string.Empty)}");
        foreach (var problem in run.WarningsAndErrors)
        {
            report.Note($"{run.Label} host log: {problem}");
        }
    }
}
