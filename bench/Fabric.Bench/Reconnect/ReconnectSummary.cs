using Fabric.Bench.Measurement;
using Fabric.Bench.Reporting;

namespace Fabric.Bench.Reconnect;

/// <summary>
/// One measured reconnect. Times are ms after <c>start</c>: the agent's start, or with a member
/// restart the new satellite member's start (the agent starts when the member is Up, at <paramref name="AgentStartMs"/>).
/// </summary>
public sealed record ReconnectResult(
    int Run,
    double OfflineMs,
    double? MemberUpMs,
    double AgentStartMs,
    ReconnectTiming Timing,
    StorageActivity AtInPlace,
    StorageActivity Activity,
    IReadOnlyList<double?> Milestones)
{
    public double AgentToOnlineMs => Timing.OnlineMs - AgentStartMs;

    public double AgentToInPlaceMs => Timing.InPlaceMs - AgentStartMs;
}

/// <summary>Turns the runs into the report's figures: per run, then min/median/max, then the timeline.</summary>
public static class ReconnectSummary
{
    public const double LinstorSeconds = 8.0;
    public const double AimMs = 300;

    /// <summary>Log messages that mark the reconnect's steps, in order: label, system, text the message contains.</summary>
    public static readonly IReadOnlyList<(string Label, string System, string Text)> Milestones =
    [
        ("agent actor started", "satellite", " started (incarnation"),
        ("controller: session registered", "controller", " registered (incarnation"),
        ("controller: full generation sent", "controller", "a full generation:"),
        ("agent: full generation received, listing pools", "satellite", ": full generation"),
        ("agent: first sync complete", "satellite", "first sync complete"),
        ("controller: node online", "controller", " is online (incarnation"),
    ];

    public static void Add(BenchReport report, IReadOnlyList<ReconnectResult> results, int resources, bool crash, bool member)
    {
        var stop = crash ? "crash" : "stop";
        foreach (var r in results)
        {
            var storage = $"storage until in place: {r.AtInPlace.Detail}; within 1 s more: {r.Activity.Detail}";
            if (member)
            {
                report.Add($"run {r.Run}: member start → all in place", r.Timing.InPlaceMs, "ms", $"member Up {r.MemberUpMs:0} ms, agent start → ONLINE {r.AgentToOnlineMs:0.0} ms, → all {resources} in place {r.AgentToInPlaceMs:0.0} ms; OFFLINE {r.OfflineMs:0} ms after the {stop}; {storage}");
            }
            else
            {
                report.Add($"run {r.Run}: agent start → ONLINE", r.Timing.OnlineMs, "ms", $"all {resources} in place at {r.Timing.InPlaceMs:0.0} ms; OFFLINE {r.OfflineMs:0} ms after the {stop}; {storage}");
            }
        }
        if (member)
        {
            Spread(report, "satellite member start → Up", results.Select(r => r.MemberUpMs ?? double.NaN), "FabricSystem.StartAsync of a satellite on the same port as before (JIT already warm)");
            Spread(report, "member start → ONLINE", results.Select(r => r.Timing.OnlineMs), "");
            Spread(report, "member start → all resources in place", results.Select(r => r.Timing.InPlaceMs), "");
        }
        Spread(report, "agent start → ONLINE", results.Select(r => r.AgentToOnlineMs), "");
        Spread(report, "agent start → all resources in place", results.Select(r => r.AgentToInPlaceMs), "every resource in place without error, volume UpToDate on the same device");
        var headline = Median.Of([.. results.Select(r => member ? r.Timing.InPlaceMs : r.AgentToInPlaceMs)]);
        report.Add("ratio to LINSTOR (~8 s)", LinstorSeconds * 1000 / headline, "×", $"{(member ? "member" : "agent")} start → all in place, median; aim ≤ {AimMs:0} ms: {(headline <= AimMs ? "met" : "missed")}");
        report.Add("mutating storage operations in all reconnects", results.Sum(r => r.Activity.Mutations), "ops", "must be 0");
        report.Add("listings per reconnect: median", Median.Of([.. results.Select(r => (double)r.Activity.Listings)]), "ops", results[^1].Activity.Detail);
        report.Add($"{stop} → OFFLINE: median", Median.Of([.. results.Select(r => r.OfflineMs)]), "ms", crash ? "status timeout: no goodbye" : "goodbye");
        for (var i = 0; i < Milestones.Count; i++)
        {
            var values = results.Where(r => r.Milestones[i] is not null).Select(r => r.Milestones[i]!.Value - r.AgentStartMs).ToList();
            if (values.Count > 0)
            {
                report.Add($"timeline: {Milestones[i].Label}", Median.Of(values), "ms", $"median after the agent start (log timestamps), min {values.Min():0.0}, max {values.Max():0.0}");
            }
        }
    }

    private static void Spread(BenchReport report, string metric, IEnumerable<double> values, string note)
    {
        var list = values.ToList();
        report.Add($"{metric}: median", Median.Of(list), "ms", $"min {list.Min():0.0}, max {list.Max():0.0} over {list.Count} runs" + (note.Length > 0 ? "; " + note : ""));
    }
}
