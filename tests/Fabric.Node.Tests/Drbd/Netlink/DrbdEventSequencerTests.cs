using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Netlink;

namespace Fabric.Node.Tests.Drbd.Netlink;

/// <summary>The event protocol with scripted message sequences: interleaved dump and live events, reordering, gaps, overflow.</summary>
public sealed class DrbdEventSequencerTests
{
    private const uint Dump = 1;

    private readonly DrbdEventSequencer _sequencer = new(maxPending: 4);
    private readonly List<DrbdEventBatch> _delivered = [];
    private readonly List<DrbdRedumpReason> _redumps = [];

    private static DrbdResourceNotification Res(string name, DrbdNotificationKind kind = DrbdNotificationKind.Change, DrbdRole role = DrbdRole.Secondary) =>
        new(kind, name, new DrbdResourceInfo(role, false, false, false, false, false));

    private static DrbdEventMessage Exists(DrbdNotification n, uint seq = Dump, bool continues = true) =>
        new(seq, DrbdCommands.ResourceState, DrbdNotificationKind.Exists, continues, false, true, [n]);

    private static DrbdEventMessage Done(uint seq = Dump) => new(seq, DrbdCommands.InitialStateDone, DrbdNotificationKind.Exists, false, true, true, []);

    private static DrbdEventMessage Live(uint seq, DrbdNotification n, bool continues = false) =>
        new(seq, DrbdCommands.ResourceState, n.Kind, continues, false, true, [n]);

    private void Feed(params DrbdEventMessage[] messages)
    {
        foreach (var m in messages)
        {
            Take(_sequencer.OnMessage(m));
        }
    }

    private void Take(DrbdSequencerStep step)
    {
        _delivered.AddRange(step.Batches);
        if (step.Redump is { } reason)
        {
            _redumps.Add(reason);
        }
    }

    [Fact]
    public void The_dump_is_delivered_as_one_initial_batch_only_at_initial_state_done()
    {
        _sequencer.DumpRequested(Dump);

        Feed(Exists(Res("a", DrbdNotificationKind.Exists)), Exists(Res("b", DrbdNotificationKind.Exists), continues: false));
        Assert.Empty(_delivered);
        Feed(Done());

        var batch = Assert.Single(_delivered);
        Assert.True(batch.IsInitialState);
        Assert.Equal(["a", "b"], batch.Notifications.Select(n => n.Resource));
    }

    [Fact]
    public void An_empty_host_yields_an_empty_initial_batch()
    {
        _sequencer.DumpRequested(Dump);

        Feed(Done());

        Assert.True(Assert.Single(_delivered).IsInitialState);
        Assert.Empty(_delivered[0].Notifications);
    }

    [Fact]
    public void Live_events_during_the_dump_wait_and_follow_the_initial_batch_in_sequence_order()
    {
        _sequencer.DumpRequested(Dump);

        Feed(
            Exists(Res("a", DrbdNotificationKind.Exists)),
            Live(12, Res("c")),
            Live(10, Res("a", role: DrbdRole.Primary), continues: true),
            Exists(Res("b", DrbdNotificationKind.Exists), continues: false),
            Live(11, Res("b")),
            Done());

        Assert.Equal(3, _delivered.Count);
        Assert.True(_delivered[0].IsInitialState);
        Assert.Equal(["a", "b"], _delivered[0].Notifications.Select(n => n.Resource));
        Assert.False(_delivered[1].IsInitialState);
        Assert.Equal(["a", "b"], _delivered[1].Notifications.Select(n => n.Resource)); // 10 continues into 11: one atomic change
        Assert.Equal(["c"], _delivered[2].Notifications.Select(n => n.Resource));
        Assert.False(_sequencer.HasGap);
    }

    [Fact]
    public void An_out_of_order_arrival_waits_for_the_missing_number()
    {
        StartLive();

        Feed(Live(20, Res("x")), Live(22, Res("z")));
        Assert.True(_sequencer.HasGap);
        Assert.Equal(["x"], _delivered.Skip(1).SelectMany(b => b.Notifications).Select(n => n.Resource));
        Feed(Live(21, Res("y")));

        Assert.False(_sequencer.HasGap);
        Assert.Equal(["x", "y", "z"], _delivered.Skip(1).SelectMany(b => b.Notifications).Select(n => n.Resource));
    }

    [Fact]
    public void A_gap_that_persists_asks_for_a_new_dump_and_a_fresh_initial_state_follows()
    {
        StartLive();
        Feed(Live(20, Res("x")), Live(22, Res("z")));

        Take(_sequencer.OnGapTimeout());
        Assert.Equal([DrbdRedumpReason.SequenceGap], _redumps);
        Assert.True(_sequencer.AwaitingDump);
        Feed(Live(23, Res("ignored until the new dump")));
        _sequencer.DumpRequested(2);
        Feed(Exists(Res("x", DrbdNotificationKind.Exists), seq: 2), Done(seq: 2), Live(30, Res("after")));

        Assert.Equal(4, _delivered.Count);
        Assert.True(_delivered[2].IsInitialState);
        Assert.Equal(["x"], _delivered[2].Notifications.Select(n => n.Resource));
        Assert.Equal(["after"], _delivered[3].Notifications.Select(n => n.Resource));
    }

    [Fact]
    public void A_gap_timeout_without_a_gap_changes_nothing()
    {
        StartLive();
        Feed(Live(20, Res("x")));

        Take(_sequencer.OnGapTimeout());

        Assert.Empty(_redumps);
        Assert.False(_sequencer.AwaitingDump);
    }

    [Fact]
    public void Overflow_discards_the_half_received_change_and_asks_for_a_new_dump()
    {
        StartLive();
        Feed(Live(20, Res("half"), continues: true));

        Take(_sequencer.OnEventsLost());
        _sequencer.DumpRequested(2);
        Feed(Done(seq: 2), Live(40, Res("fresh")));

        Assert.Equal([DrbdRedumpReason.EventsLost], _redumps);
        Assert.DoesNotContain(_delivered, b => b.Notifications.Any(n => n.Resource == "half"));
        Assert.True(_delivered[1].IsInitialState);
        Assert.Equal("fresh", Assert.Single(_delivered[2].Notifications).Resource);
    }

    [Fact]
    public void Overflow_during_the_dump_restarts_it()
    {
        _sequencer.DumpRequested(Dump);
        Feed(Exists(Res("a", DrbdNotificationKind.Exists)), Live(5, Res("live")));

        Take(_sequencer.OnEventsLost());
        Feed(Done());

        Assert.Empty(_delivered);
        Assert.Equal([DrbdRedumpReason.EventsLost], _redumps);
    }

    [Fact]
    public void A_full_reorder_buffer_asks_for_a_new_dump()
    {
        StartLive();
        Feed(Live(20, Res("x")));

        Feed(Live(22, Res("a")), Live(23, Res("b")), Live(24, Res("c")), Live(25, Res("d")));
        Assert.Empty(_redumps);
        Feed(Live(26, Res("e")));

        Assert.Equal([DrbdRedumpReason.ReorderBufferFull], _redumps);
    }

    [Fact]
    public void Messages_of_an_abandoned_dump_duplicates_and_old_numbers_are_ignored()
    {
        _sequencer.DumpRequested(7);
        Feed(Exists(Res("stale", DrbdNotificationKind.Exists), seq: 6), Done(seq: 6));
        Assert.Empty(_delivered);
        Feed(Exists(Res("a", DrbdNotificationKind.Exists), seq: 7), Done(seq: 7));
        Feed(Live(20, Res("x")), Live(20, Res("x again")), Live(19, Res("older")), Live(21, Res("y")));

        Assert.Equal(["a"], _delivered[0].Notifications.Select(n => n.Resource));
        Assert.Equal(["x", "y"], _delivered.Skip(1).SelectMany(b => b.Notifications).Select(n => n.Resource));
    }

    [Fact]
    public void The_84_old_style_broadcast_has_its_own_counter_and_leaves_no_gap()
    {
        StartLive();
        var oldStyle = new DrbdEventMessage(500, DrbdCommands.Event, null, false, false, CountsForSequence: false, []);

        Feed(Live(20, Res("x")), oldStyle, Live(21, Res("y")));

        Assert.False(_sequencer.HasGap);
        Assert.Equal(["x", "y"], _delivered.Skip(1).SelectMany(b => b.Notifications).Select(n => n.Resource));
    }

    [Fact]
    public void Sequence_numbers_wrap_around_without_a_gap()
    {
        _sequencer.DumpRequested(Dump);
        Feed(Live(0, Res("after wrap")), Live(uint.MaxValue, Res("before wrap")), Done());

        Assert.Equal(["before wrap", "after wrap"], _delivered.Skip(1).SelectMany(b => b.Notifications).Select(n => n.Resource));
        Assert.False(_sequencer.HasGap);
    }

    [Fact]
    public void A_change_without_decodable_notifications_delivers_no_empty_batch()
    {
        StartLive();
        var unknown = new DrbdEventMessage(20, 99, DrbdNotificationKind.Change, false, false, true, []);

        Feed(unknown, Live(21, Res("y")));

        Assert.Equal(2, _delivered.Count);
        Assert.Equal("y", Assert.Single(_delivered[1].Notifications).Resource);
    }

    [Fact]
    public void Nothing_is_accepted_before_the_first_dump_was_requested()
    {
        Feed(Live(3, Res("x")), Done());

        Assert.Empty(_delivered);
        Assert.True(_sequencer.AwaitingDump);
    }

    private void StartLive()
    {
        _sequencer.DumpRequested(Dump);
        Feed(Done());
        Assert.Single(_delivered);
    }
}
