using System.Collections.Immutable;
using Fabric.Core.Naming;

namespace Fabric.Core.Protocol;

/// <summary>
/// The pure rules of the node status board: fold a report or a goodbye into a snapshot, and expire
/// silent nodes at a given time. No clock, no Akka: the caller passes the time.
/// </summary>
public static class NodeStatusRules
{
    /// <summary>
    /// Folds one report received at <paramref name="nowMs"/>. A report of the same incarnation whose
    /// sequence is not above the last accepted one is stale and changes nothing; a report of another
    /// incarnation (a restarted agent) is always accepted.
    /// </summary>
    public static ImmutableSortedDictionary<string, NodeLiveStatus> Apply(
        ImmutableSortedDictionary<string, NodeLiveStatus> board, NodeAgentReport report, long nowMs)
    {
        var key = Names.Key(report.NodeName);
        if (board.TryGetValue(key, out var current) && IsStale(current, report))
        {
            return board;
        }
        var pools = ImmutableSortedDictionary.CreateRange(
            StringComparer.Ordinal,
            report.Pools.GroupBy(p => Names.Key(p.PoolName)).Select(g => KeyValuePair.Create(g.Key, g.Last())));
        var next = new NodeLiveStatus(report.Synced, nowMs, report.AgentIncarnation, report.Sequence, pools, report.SupportedLayers, report.SupportedProviders)
        {
            Connected = true,
            Agent = report.Agent,
            ReportedObservedVersion = report.ObservedVersion,
        };
        if (current is not null)
        {
            next = next with
            {
                ObservedIncarnation = current.ObservedIncarnation,
                ObservedVersion = current.ObservedVersion,
                Resources = current.Resources,
                ErrorReports = current.ErrorReports,
            };
        }
        return board.SetItem(key, next);
    }

    /// <summary>How many error reports the board keeps per node.</summary>
    public const int MaxErrorReports = 200;

    /// <summary>
    /// Folds observations. A full set replaces what the board holds; a delta applies only on top of
    /// the version it was built on (same incarnation; version 0 of a new incarnation is the empty set),
    /// an older one is ignored. Returns
    /// <c>NeedsFull</c> when there is a gap that only a full set can close.
    /// </summary>
    public static (ImmutableSortedDictionary<string, NodeLiveStatus> Board, bool NeedsFull) ApplyObservations(
        ImmutableSortedDictionary<string, NodeLiveStatus> board, NodeObservations observations)
    {
        var key = Names.Key(observations.NodeName);
        var current = board.TryGetValue(key, out var status)
            ? status
            : new NodeLiveStatus(false, 0, Guid.Empty, 0, ImmutableSortedDictionary<string, PoolCapacity>.Empty.WithComparers(StringComparer.Ordinal), [], []) { Connected = false };
        ImmutableSortedDictionary<string, ObservedResource> resources;
        if (observations.IsFull)
        {
            if (current.ObservedIncarnation == observations.Incarnation && observations.Version < current.ObservedVersion)
            {
                return (board, false);
            }
            resources = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, observations.Upserts.Select(r => KeyValuePair.Create(Names.Key(r.Name), r)));
        }
        else if (observations.BaseVersion == 0 && current.ObservedIncarnation != observations.Incarnation)
        {
            // An incarnation starts from nothing at version 0, so its first delta holds everything it has
            // observed: it replaces what an earlier incarnation reported (it may overtake the full set asked for).
            resources = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, observations.Upserts.Select(r => KeyValuePair.Create(Names.Key(r.Name), r)));
        }
        else if (current.ObservedIncarnation == observations.Incarnation && observations.BaseVersion == current.ObservedVersion)
        {
            resources = current.Resources
                .RemoveRange(observations.Removals)
                .SetItems(observations.Upserts.Select(r => KeyValuePair.Create(Names.Key(r.Name), r)));
        }
        else if (current.ObservedIncarnation == observations.Incarnation && observations.Version <= current.ObservedVersion)
        {
            return (board, false);
        }
        else
        {
            return (board, true);
        }
        var reports = current.ErrorReports.AddRange(observations.ErrorReports.DistinctBy(r => r.Id).Where(r => current.ErrorReports.All(e => e.Id != r.Id)));
        if (reports.Count > MaxErrorReports)
        {
            reports = reports.RemoveRange(0, reports.Count - MaxErrorReports);
        }
        var next = current with
        {
            ObservedIncarnation = observations.Incarnation,
            ObservedVersion = observations.Version,
            Resources = resources,
            ErrorReports = reports,
        };
        return (board.SetItem(key, next), false);
    }

    public static bool IsStale(NodeLiveStatus current, NodeAgentReport report) =>
        current.Incarnation == report.AgentIncarnation && report.Sequence <= current.Sequence;

    /// <summary>A goodbye of the current incarnation takes the node offline at once; any other goodbye is ignored.</summary>
    public static ImmutableSortedDictionary<string, NodeLiveStatus> Goodbye(
        ImmutableSortedDictionary<string, NodeLiveStatus> board, NodeAgentGoodbye goodbye)
    {
        var key = Names.Key(goodbye.NodeName);
        return board.TryGetValue(key, out var current) && current.Connected && current.Incarnation == goodbye.AgentIncarnation
            ? board.SetItem(key, current with { Online = false, Connected = false })
            : board;
    }

    /// <summary>Every online node whose last report is older than <paramref name="timeoutMs"/> at <paramref name="nowMs"/> goes offline.</summary>
    public static ImmutableSortedDictionary<string, NodeLiveStatus> Expire(
        ImmutableSortedDictionary<string, NodeLiveStatus> board, long nowMs, long timeoutMs)
    {
        var builder = (ImmutableSortedDictionary<string, NodeLiveStatus>.Builder?)null;
        foreach (var (key, status) in board)
        {
            if (status.Connected && nowMs - status.LastReportMs > timeoutMs)
            {
                builder ??= board.ToBuilder();
                builder[key] = status with { Online = false, Connected = false };
            }
        }
        return builder is null ? board : builder.ToImmutable();
    }
}
