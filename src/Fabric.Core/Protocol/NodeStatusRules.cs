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
        return board.SetItem(key, new NodeLiveStatus(true, nowMs, report.AgentIncarnation, report.Sequence, pools, report.SupportedLayers, report.SupportedProviders));
    }

    public static bool IsStale(NodeLiveStatus current, NodeAgentReport report) =>
        current.Incarnation == report.AgentIncarnation && report.Sequence <= current.Sequence;

    /// <summary>A goodbye of the current incarnation takes the node offline at once; any other goodbye is ignored.</summary>
    public static ImmutableSortedDictionary<string, NodeLiveStatus> Goodbye(
        ImmutableSortedDictionary<string, NodeLiveStatus> board, NodeAgentGoodbye goodbye)
    {
        var key = Names.Key(goodbye.NodeName);
        return board.TryGetValue(key, out var current) && current.Online && current.Incarnation == goodbye.AgentIncarnation
            ? board.SetItem(key, current with { Online = false })
            : board;
    }

    /// <summary>Every online node whose last report is older than <paramref name="timeoutMs"/> at <paramref name="nowMs"/> goes offline.</summary>
    public static ImmutableSortedDictionary<string, NodeLiveStatus> Expire(
        ImmutableSortedDictionary<string, NodeLiveStatus> board, long nowMs, long timeoutMs)
    {
        var builder = (ImmutableSortedDictionary<string, NodeLiveStatus>.Builder?)null;
        foreach (var (key, status) in board)
        {
            if (status.Online && nowMs - status.LastReportMs > timeoutMs)
            {
                builder ??= board.ToBuilder();
                builder[key] = status with { Online = false };
            }
        }
        return builder is null ? board : builder.ToImmutable();
    }
}
