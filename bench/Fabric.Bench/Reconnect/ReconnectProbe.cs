using System.Diagnostics;
using Fabric.Bench.Cli;
using Fabric.Core.Protocol;

namespace Fabric.Bench.Reconnect;

/// <summary>When a new agent incarnation was seen ONLINE and when all its resources were reported in place (ms after its start).</summary>
public sealed record ReconnectTiming(double OnlineMs, double InPlaceMs, Guid Incarnation);

/// <summary>
/// Watches the controller's node-status board (what REST answers) on a thread of its own, about
/// every millisecond, after a new agent incarnation was started.
/// </summary>
public static class ReconnectProbe
{
    /// <summary>
    /// Waits until (a) the node is ONLINE with an incarnation other than <paramref name="previous"/> and
    /// (b) that incarnation's observations hold exactly the expected resources, each in place without error,
    /// its one volume UpToDate on the expected device.
    /// </summary>
    /// <param name="expected">Resource key to its volume's device path.</param>
    /// <param name="started">Stopwatch timestamp of the agent start.</param>
    public static Task<ReconnectTiming> WaitAsync(NodeStatusBoard board, string node, Guid previous, IReadOnlyDictionary<string, string> expected, long started, TimeSpan timeout) =>
        Task.Factory.StartNew(() =>
        {
            double? onlineMs = null;
            double? inPlaceMs = null;
            var incarnation = Guid.Empty;
            NodeLiveStatus? checkedStatus = null;
            var lastProblem = "no report from the new incarnation";
            while (onlineMs is null || inPlaceMs is null)
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (elapsed > timeout)
                {
                    throw new BenchFailedException($"{node} was not ONLINE with every resource in place within {timeout.TotalSeconds:0} s after the agent start (online after {onlineMs?.ToString("0") ?? "never"} ms; {lastProblem}).");
                }
                var status = board.Get(node);
                if (status is not null && status.Incarnation != previous)
                {
                    if (onlineMs is null && status.Online)
                    {
                        onlineMs = elapsed.TotalMilliseconds;
                        incarnation = status.Incarnation;
                    }
                    // The board swaps immutable snapshots: look at the resources only when they changed.
                    if (inPlaceMs is null && !ReferenceEquals(status, checkedStatus) && status.ObservedIncarnation != previous)
                    {
                        checkedStatus = status;
                        if (Problem(status, expected) is { } problem)
                        {
                            lastProblem = problem;
                        }
                        else
                        {
                            inPlaceMs = elapsed.TotalMilliseconds;
                        }
                    }
                }
                Thread.Sleep(1);
            }
            return new ReconnectTiming(onlineMs.Value, inPlaceMs.Value, incarnation);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Why the observations do not show every expected resource in place yet, or null.</summary>
    public static string? Problem(NodeLiveStatus status, IReadOnlyDictionary<string, string> expected)
    {
        var inPlace = 0;
        string? first = null;
        foreach (var (key, device) in expected)
        {
            if (!status.Resources.TryGetValue(key, out var r))
            {
                first ??= $"{key} not reported";
                continue;
            }
            if (!r.InPlace || r.Error is not null || r.Volumes.Count != 1 || r.Volumes[0].DiskState != "UpToDate" || r.Volumes[0].DevicePath != device)
            {
                first ??= $"{key}: in place {r.InPlace}, {r.Volumes.Count} volume(s), {string.Join("/", r.Volumes.Select(v => $"{v.DiskState} on {v.DevicePath}"))}, error {r.Error?.Message ?? "none"}";
                continue;
            }
            inPlace++;
        }
        if (inPlace == expected.Count && status.Resources.Count == expected.Count)
        {
            return null;
        }
        return $"{inPlace} of {expected.Count} in place, {status.Resources.Count} reported; first problem: {first ?? "unexpected extra resources"}";
    }
}
