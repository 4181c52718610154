using System.Collections.Immutable;
using Akka.Actor;
using Fabric.Core.Protocol;

namespace Fabric.Core.Tests.Protocol;

public sealed class NodeObservationRulesTests
{
    private static readonly ImmutableSortedDictionary<string, NodeLiveStatus> Empty = ImmutableSortedDictionary.Create<string, NodeLiveStatus>(StringComparer.Ordinal);
    private static readonly Guid First = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001");
    private static readonly Guid Second = Guid.Parse("bbbbbbbb-0000-4000-8000-000000000002");

    private static NodeAgentReport Report(Guid incarnation, long sequence, bool synced, long observedVersion) =>
        new("alpha", incarnation, sequence, 1_000, [], ["STORAGE"], ["FILE_THIN"], synced, observedVersion, ActorRefs.Nobody);

    private static ObservedResource Resource(string name, bool inPlace) =>
        new(name, Guid.Empty, Guid.Empty, 1, inPlace, [new ObservedVolume(0, "/dev/loop1", 1024, 0, inPlace ? "UpToDate" : "Creating", null)], null, 0);

    private static NodeObservations Delta(Guid incarnation, long version, long baseVersion, ObservedResource[] upserts, params string[] removals) =>
        new("alpha", incarnation, version, baseVersion, false, [.. upserts], [.. removals], []);

    private static NodeObservations Full(Guid incarnation, long version, params ObservedResource[] resources) =>
        new("alpha", incarnation, version, 0, true, [.. resources], [], []);

    [Fact]
    public void A_node_is_connected_but_not_online_until_its_agent_completed_the_first_sync()
    {
        var syncing = NodeStatusRules.Apply(Empty, Report(First, 1, synced: false, 0), 10);
        Assert.True(syncing["ALPHA"].Connected);
        Assert.False(syncing["ALPHA"].Online);

        var synced = NodeStatusRules.Apply(syncing, Report(First, 2, synced: true, 0), 20);
        Assert.True(synced["ALPHA"].Online);

        var expired = NodeStatusRules.Expire(synced, 10_000, 1_000);
        Assert.False(expired["ALPHA"].Online);
        Assert.False(expired["ALPHA"].Connected);
    }

    [Fact]
    public void Deltas_apply_in_order_on_top_of_a_full_set_and_old_ones_are_ignored()
    {
        var board = NodeStatusRules.Apply(Empty, Report(First, 1, true, 0), 10);
        (board, var gap) = NodeStatusRules.ApplyObservations(board, Full(First, 3, Resource("r1", false)));
        Assert.False(gap);

        (board, gap) = NodeStatusRules.ApplyObservations(board, Delta(First, 4, 3, [Resource("r1", true), Resource("r2", true)]));
        Assert.False(gap);
        (board, gap) = NodeStatusRules.ApplyObservations(board, Delta(First, 5, 4, [], "R1"));
        Assert.False(gap);
        var (same, staleGap) = NodeStatusRules.ApplyObservations(board, Delta(First, 4, 3, [Resource("r1", true)]));

        Assert.False(staleGap);
        Assert.Same(board, same);
        Assert.Equal(["R2"], board["ALPHA"].Resources.Keys);
        Assert.True(board["ALPHA"].OnlineResource("R2")!.InPlace);
        Assert.Equal(5, board["ALPHA"].ObservedVersion);
    }

    [Fact]
    public void A_missed_delta_or_a_new_incarnation_needs_a_full_set_and_reports_say_so_too()
    {
        var board = NodeStatusRules.Apply(Empty, Report(First, 1, true, 0), 10);
        (board, _) = NodeStatusRules.ApplyObservations(board, Full(First, 3, Resource("r1", true)));

        var (unchanged, gap) = NodeStatusRules.ApplyObservations(board, Delta(First, 6, 5, [Resource("r2", true)]));
        Assert.True(gap);
        Assert.Same(board, unchanged);

        // The agent's heartbeat tells the controller it is behind, too.
        var behind = NodeStatusRules.Apply(board, Report(First, 2, true, 6), 20);
        Assert.True(behind["ALPHA"].MissesObservations);

        var restarted = NodeStatusRules.Apply(board, Report(Second, 1, false, 0), 30);
        Assert.True(restarted["ALPHA"].MissesObservations);
        // A later delta of the new incarnation cannot apply without what came before it.
        Assert.True(NodeStatusRules.ApplyObservations(restarted, Delta(Second, 2, 1, [Resource("r9", true)])).NeedsFull);
        (restarted, gap) = NodeStatusRules.ApplyObservations(restarted, Full(Second, 1, Resource("r9", true)));
        Assert.False(gap);
        Assert.False(restarted["ALPHA"].MissesObservations);
        Assert.Equal(["R9"], restarted["ALPHA"].Resources.Keys);
    }

    [Fact]
    public void The_first_delta_of_a_new_incarnation_replaces_the_old_observations_even_before_the_full_set_asked_for()
    {
        var board = NodeStatusRules.Apply(Empty, Report(First, 1, true, 0), 10);
        (board, _) = NodeStatusRules.ApplyObservations(board, Full(First, 3, Resource("r1", true), Resource("r2", true)));
        board = NodeStatusRules.Apply(board, Report(Second, 1, false, 0), 20);

        // Version 0 of an incarnation is the empty set: its first delta holds all it observed.
        (board, var gap) = NodeStatusRules.ApplyObservations(board, Delta(Second, 1, 0, [Resource("r9", true)], "R1"));

        Assert.False(gap);
        Assert.Equal(["R9"], board["ALPHA"].Resources.Keys);
        Assert.Equal(Second, board["ALPHA"].ObservedIncarnation);
        Assert.Equal(1, board["ALPHA"].ObservedVersion);
        Assert.False(board["ALPHA"].MissesObservations);

        // The full set asked for at the new incarnation's first report (version 0) arrives late and changes nothing.
        var (same, lateGap) = NodeStatusRules.ApplyObservations(board, Full(Second, 0));
        Assert.False(lateGap);
        Assert.Same(board, same);

        (board, gap) = NodeStatusRules.ApplyObservations(board, Delta(Second, 2, 1, [Resource("r8", false)], "R9"));
        Assert.False(gap);
        Assert.Equal(["R8"], board["ALPHA"].Resources.Keys);
    }

    [Fact]
    public void Error_reports_are_kept_once_each_and_bounded_per_node()
    {
        var board = NodeStatusRules.Apply(Empty, Report(First, 1, true, 0), 10);
        (board, _) = NodeStatusRules.ApplyObservations(board, Full(First, 1));
        for (var version = 2; version < NodeStatusRules.MaxErrorReports + 12; version++)
        {
            var report = new AgentErrorReport($"id-{version}", "alpha", version, "failed", null, null, null);
            (board, _) = NodeStatusRules.ApplyObservations(board, Delta(First, version, version - 1, []) with { ErrorReports = [report, report] });
        }
        var reports = board["ALPHA"].ErrorReports;
        Assert.Equal(NodeStatusRules.MaxErrorReports, reports.Count);
        Assert.Equal(reports.Count, reports.Select(r => r.Id).Distinct().Count());
        Assert.Equal($"id-{NodeStatusRules.MaxErrorReports + 11}", reports[^1].Id);
    }
}
