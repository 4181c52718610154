using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Fabric.Bench.Cli;
using Fabric.Bench.Hosting;

namespace Fabric.Bench.Scenarios;

/// <summary>How the previous process ended / how this one is ended.</summary>
public enum StopKind
{
    CleanSigterm,
    KillMinus9,
}

/// <summary>One separate-process start of the host on an existing data directory, timed from process start.</summary>
public sealed record ColdStartRunResult(
    string Label,
    string PreviousStop,
    string ThisStop,
    double ReadyMs,
    double? FirstListMs,
    double? CorrectListMs,
    double? ManagementFirstAnswerMs,
    IReadOnlyDictionary<string, double> CheckFirstTrueMs,
    IReadOnlyDictionary<string, double?> LogMarkersMs,
    long? SnapshotOffset,
    long? CaughtUpOffset,
    double CpuSecondsAtReady,
    double? StopMs,
    IReadOnlyList<string> WarningsAndErrors,
    IReadOnlyDictionary<string, double>? ProbeMs = null);

/// <summary>A REST check polled (every 20 ms) from process start until it first returns true.</summary>
public sealed record CorrectnessProbe(string Name, Func<HttpClient, CancellationToken, Task<bool>> IsCorrect);

public static partial class ColdStartRun
{
    /// <summary>Log lines (host at Information) that mark the start-up phases.</summary>
    public static readonly IReadOnlyDictionary<string, string> Markers = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["first output"] = string.Empty,
        ["cluster member Up (Akka)"] = "to [Up]",
        ["Fabric member up, sharding started"] = "is up with roles",
        ["read-model snapshot loaded"] = "Read model snapshot loaded",
        ["read model caught up (projection)"] = "Read model caught up",
        ["read model current (hosted service)"] = "Read model current",
        ["own node registered"] = "Registered own node",
        ["web app started"] = "Application started",
    };

    public static async Task<ColdStartRunResult> RunAsync(
        string label, string hostDll, string dataDir, string nodeName, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? expectedNodes,
        string ownNode, string previousStop, StopKind stop, TimeSpan timeout, IReadOnlyList<CorrectnessProbe>? probes = null)
    {
        var endpoints = HostEndpoints.Free();
        using var process = HostProcess.Start(hostDll, dataDir, nodeName, endpoints, logLevel: "Information");
        using var management = BenchHttp.Create(endpoints.Management, timeout: TimeSpan.FromSeconds(5));
        using var rest = BenchHttp.Create(endpoints.Rest, timeout: TimeSpan.FromSeconds(30));
        using var giveUp = new CancellationTokenSource(timeout);

        var checkTimes = new Dictionary<string, double>(StringComparer.Ordinal);
        double? managementFirst = null;
        var readyTask = Task.Run(async () =>
        {
            while (true)
            {
                giveUp.Token.ThrowIfCancellationRequested();
                EnsureRunning(process, label);
                var answer = await ReadinessProbe.AskAsync(management, giveUp.Token);
                var now = process.SinceStart.Elapsed.TotalMilliseconds;
                if (answer is not null)
                {
                    managementFirst ??= now;
                    foreach (var (check, ok) in answer.Checks)
                    {
                        if (ok && !checkTimes.ContainsKey(check))
                        {
                            checkTimes[check] = now;
                        }
                    }
                    if (answer.Ready)
                    {
                        return now;
                    }
                }
                await Task.Delay(20, giveUp.Token);
            }
        });

        double? firstList = null;
        var listTask = expectedNodes is null ? Task.FromResult<double?>(null) : Task.Run(async () =>
        {
            while (true)
            {
                giveUp.Token.ThrowIfCancellationRequested();
                EnsureRunning(process, label);
                try
                {
                    var listing = await NodeListing.GetAsync(rest, giveUp.Token);
                    var now = process.SinceStart.Elapsed.TotalMilliseconds;
                    if (listing.Status == HttpStatusCode.OK)
                    {
                        firstList ??= now;
                        if (IsComplete(listing, expectedNodes, ownNode))
                        {
                            return (double?)now;
                        }
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException) when (!giveUp.IsCancellationRequested)
                {
                }
                await Task.Delay(20, giveUp.Token);
            }
        });

        var probeTasks = (probes ?? []).Select(probe => (probe.Name, Task: Task.Run(async () =>
        {
            while (true)
            {
                giveUp.Token.ThrowIfCancellationRequested();
                EnsureRunning(process, label);
                try
                {
                    if (await probe.IsCorrect(rest, giveUp.Token))
                    {
                        return process.SinceStart.Elapsed.TotalMilliseconds;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException) when (!giveUp.IsCancellationRequested)
                {
                }
                await Task.Delay(20, giveUp.Token);
            }
        }))).ToList();

        double readyMs;
        double? correctMs;
        var probeMs = new Dictionary<string, double>(StringComparer.Ordinal);
        try
        {
            readyMs = await readyTask;
            correctMs = await listTask;
            foreach (var (name, task) in probeTasks)
            {
                probeMs[name] = await task;
            }
        }
        catch (OperationCanceledException)
        {
            throw new BenchFailedException($"{label}: not ready with complete lists within {timeout} (probes passed: {string.Join(", ", probeMs.Keys)}). Last output:\n{Tail(process)}");
        }
        var cpu = process.CpuTime.TotalSeconds;

        double? stopMs = null;
        if (stop == StopKind.CleanSigterm)
        {
            stopMs = (await process.StopCleanlyAsync(TimeSpan.FromSeconds(60))).TotalMilliseconds;
        }
        else
        {
            await process.KillHardAsync();
        }
        await Task.Delay(200); // let the output readers drain

        var markers = Markers.ToDictionary(m => m.Key, m => process.FirstLineMs(m.Value), StringComparer.Ordinal);
        var problems = process.Lines.Where(l => l.Line.Contains(" WRN]", StringComparison.Ordinal) || l.Line.Contains(" ERR]", StringComparison.Ordinal) || l.Line.StartsWith("stderr:", StringComparison.Ordinal))
            .Select(l => $"{l.Ms:0} ms: {l.Line}").Take(20).ToList();
        return new ColdStartRunResult(
            label, previousStop, stop.ToString(), readyMs, firstList, correctMs, managementFirst, checkTimes, markers,
            Offset(process.FirstLine("Read model snapshot loaded")), Offset(process.FirstLine("Read model caught up")),
            cpu, stopMs, problems, probeMs);
    }

    private static bool IsComplete(NodeListing.Result listing, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> expected, string ownNode)
    {
        if (listing.Nodes.Count != expected.Count + 1 || !listing.Nodes.ContainsKey(ownNode))
        {
            return false;
        }
        foreach (var (name, props) in expected)
        {
            if (!listing.Nodes.TryGetValue(name, out var actual) || actual.Count != props.Count || props.Any(p => !actual.TryGetValue(p.Key, out var v) || v != p.Value))
            {
                return false;
            }
        }
        return true;
    }

    private static void EnsureRunning(HostProcess process, string label)
    {
        if (!process.Running)
        {
            throw new BenchFailedException($"{label}: the host exited with code {process.ExitCode} before it was ready. Last output:\n{Tail(process)}");
        }
    }

    private static string Tail(HostProcess process) => string.Join('\n', process.Lines.TakeLast(30).Select(l => $"{l.Ms:0} ms: {l.Line}"));

    private static long? Offset(string? line) =>
        line is not null && OffsetPattern().Match(line) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"offset (\d+)")]
    private static partial Regex OffsetPattern();
}
