using System.Collections.Immutable;
using Fabric.Core.Protocol;

namespace Fabric.Core.Tests.Protocol;

public sealed class NodeStatusRulesTests
{
    private static readonly ImmutableSortedDictionary<string, NodeLiveStatus> Empty = ImmutableSortedDictionary.Create<string, NodeLiveStatus>(StringComparer.Ordinal);
    private static readonly Guid First = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001");
    private static readonly Guid Second = Guid.Parse("bbbbbbbb-0000-4000-8000-000000000002");

    private static NodeAgentReport Report(string node, Guid incarnation, long sequence, params PoolCapacity[] pools) =>
        new(node, incarnation, sequence, 1_000, [.. pools], ["DRBD", "STORAGE"], ["FILE_THIN", "DISKLESS"]);

    [Fact]
    public void A_report_puts_the_node_online_under_its_upper_case_key_with_pools_by_key()
    {
        var board = NodeStatusRules.Apply(Empty, Report("alpha", First, 1, new PoolCapacity("Thin1", "FILE_THIN", 100, 400)), nowMs: 5_000);

        var status = board["ALPHA"];
        Assert.True(status.Online);
        Assert.Equal(5_000, status.LastReportMs);
        Assert.Equal(First, status.Incarnation);
        Assert.Equal(1, status.Sequence);
        Assert.Equal(new PoolCapacity("Thin1", "FILE_THIN", 100, 400), status.Pools["THIN1"]);
        Assert.Equal(["DRBD", "STORAGE"], status.SupportedLayers);
        Assert.Equal(["FILE_THIN", "DISKLESS"], status.SupportedProviders);
        Assert.Equal(status.Pools["THIN1"], status.OnlinePool("THIN1"));
        Assert.Null(status.OnlinePool("OTHER"));
    }

    [Fact]
    public void A_newer_report_replaces_pools_and_refreshes_the_time()
    {
        var board = NodeStatusRules.Apply(Empty, Report("alpha", First, 1, new PoolCapacity("a", "LVM", 1, 2), new PoolCapacity("b", "LVM", 3, 4)), 1_000);
        board = NodeStatusRules.Apply(board, Report("ALPHA", First, 2, new PoolCapacity("a", "LVM", 7, 8)), 3_000);

        var status = board["ALPHA"];
        Assert.Equal(2, status.Sequence);
        Assert.Equal(3_000, status.LastReportMs);
        Assert.Equal(["A"], status.Pools.Keys);
        Assert.Equal(7, status.Pools["A"].FreeKiB);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(4)]
    public void A_report_of_the_same_incarnation_with_a_lower_or_equal_sequence_is_ignored(long sequence)
    {
        var board = NodeStatusRules.Apply(Empty, Report("alpha", First, 5, new PoolCapacity("a", "LVM", 1, 2)), 1_000);

        var after = NodeStatusRules.Apply(board, Report("alpha", First, sequence, new PoolCapacity("a", "LVM", 99, 99)), 2_000);

        Assert.Same(board, after);
        Assert.Equal(1_000, after["ALPHA"].LastReportMs);
        Assert.Equal(1, after["ALPHA"].Pools["A"].FreeKiB);
    }

    [Fact]
    public void A_stale_report_does_not_bring_an_expired_node_back()
    {
        var board = NodeStatusRules.Apply(Empty, Report("alpha", First, 5), 1_000);
        board = NodeStatusRules.Expire(board, 20_000, 10_000);

        board = NodeStatusRules.Apply(board, Report("alpha", First, 5), 21_000);

        Assert.False(board["ALPHA"].Online);
    }

    [Fact]
    public void A_new_incarnation_is_accepted_even_with_a_lower_sequence()
    {
        var board = NodeStatusRules.Apply(Empty, Report("alpha", First, 500), 1_000);

        board = NodeStatusRules.Apply(board, Report("alpha", Second, 1), 2_000);

        Assert.Equal(Second, board["ALPHA"].Incarnation);
        Assert.Equal(1, board["ALPHA"].Sequence);
        Assert.True(board["ALPHA"].Online);
        // ... and from now on the old incarnation's sequence no longer matters.
        Assert.Equal(2, NodeStatusRules.Apply(board, Report("alpha", Second, 2), 3_000)["ALPHA"].Sequence);
    }

    [Fact]
    public void A_node_goes_offline_only_after_the_timeout_and_a_new_report_brings_it_back()
    {
        var board = NodeStatusRules.Apply(Empty, Report("alpha", First, 1), 1_000);
        board = NodeStatusRules.Apply(board, Report("bravo", First, 1), 8_000);

        var atTimeout = NodeStatusRules.Expire(board, 11_000, 10_000);
        Assert.Same(board, atTimeout);

        var after = NodeStatusRules.Expire(board, 11_001, 10_000);
        Assert.False(after["ALPHA"].Online);
        Assert.True(after["BRAVO"].Online);
        Assert.Equal(board["ALPHA"].Pools, after["ALPHA"].Pools);
        Assert.False(after["ALPHA"].Online && after["ALPHA"].OnlinePool("X") is not null);

        var back = NodeStatusRules.Apply(after, Report("alpha", First, 2), 12_000);
        Assert.True(back["ALPHA"].Online);
    }

    [Fact]
    public void Goodbye_takes_the_node_offline_at_once()
    {
        var board = NodeStatusRules.Apply(Empty, Report("alpha", First, 3, new PoolCapacity("a", "LVM", 1, 2)), 1_000);

        board = NodeStatusRules.Goodbye(board, new NodeAgentGoodbye("Alpha", First));

        Assert.False(board["ALPHA"].Online);
        Assert.Null(board["ALPHA"].OnlinePool("A"));
        // A delayed heartbeat of the incarnation that said goodbye is stale.
        Assert.False(NodeStatusRules.Apply(board, Report("alpha", First, 3), 2_000)["ALPHA"].Online);
    }

    [Fact]
    public void Goodbye_of_another_incarnation_or_an_unknown_node_changes_nothing()
    {
        var board = NodeStatusRules.Apply(Empty, Report("alpha", Second, 1), 1_000);

        Assert.Same(board, NodeStatusRules.Goodbye(board, new NodeAgentGoodbye("alpha", First)));
        Assert.Same(board, NodeStatusRules.Goodbye(board, new NodeAgentGoodbye("ghost", First)));
    }

    [Fact]
    public void Board_reads_by_name_case_insensitively()
    {
        var board = new NodeStatusBoard();
        Assert.Null(board.Get("alpha"));
        Assert.False(board.IsOnline("alpha"));

        board.Update(b => NodeStatusRules.Apply(b, Report("alpha", First, 1), 1_000));

        Assert.True(board.IsOnline("ALPHA"));
        Assert.Equal(First, board.Get("Alpha")!.Incarnation);
    }
}
