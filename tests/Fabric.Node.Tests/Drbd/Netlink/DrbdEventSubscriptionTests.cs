using System.Threading.Channels;
using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Netlink;
using static Fabric.Node.Tests.Drbd.Netlink.KernelVectors;

namespace Fabric.Node.Tests.Drbd.Netlink;

/// <summary>
/// The subscription shell over a scripted event socket: it joins the groups before dumping,
/// delivers the initial state and then live batches, re-dumps after ENOBUFS or a gap, and stops
/// with a failure when the module goes away.
/// </summary>
public sealed class DrbdEventSubscriptionTests
{
    private readonly ScriptedNetlinkTransport _command = new();
    private readonly ScriptedNetlinkTransport _events = new();
    private readonly Channel<DrbdEventBatch> _batches = Channel.CreateUnbounded<DrbdEventBatch>();
    private readonly TaskCompletionSource<Exception> _failure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _dumps;

    public DrbdEventSubscriptionTests()
    {
        _command.Responder = request => Describe(request).FamilyName switch
        {
            "drbd" => [Datagram(DrbdFamilyReply(2, 8, 38), Ack())],
            "nlctrl" => [Datagram(NlctrlFamilyReply(), Ack())],
            _ => [],
        };
        _events.Responder = request =>
        {
            var sequence = Describe(request).Sequence;
            _dumps++;
            OnDump(sequence);
            return [];
        };
    }

    /// <summary>What the scripted kernel does when a dump is requested; by default one resource and the end marker.</summary>
    private Action<uint> OnDump { get; set; } = sequence => { };

    private static string Resource(string name, uint nhType, uint role = 2) =>
        Notification(DrbdCommands.ResourceState, 0xFFFFFFFF, nhType, Str(2, name), Nest(15, $"08000100 {U32(role)}"));

    private void DumpOf(uint sequence, params string[] resources)
    {
        foreach (var r in resources)
        {
            _events.Push(WithSequence(Datagram(Resource(r, 0x8000)), sequence));
        }
        _events.Push(WithSequence(Datagram(Notification(DrbdCommands.InitialStateDone, 0xFFFFFFFF, 0, ""), Done()), sequence));
    }

    private void Live(uint sequence, string resource, uint role, bool continues = false) =>
        _events.Push(WithSequence(Datagram(Resource(resource, continues ? 0x8002u : 2u, role)), sequence));

    private async Task<IAsyncDisposable> SubscribeAsync(DrbdNetlinkOptions? options = null)
    {
        var kernel = await NetlinkDrbdKernel.OpenAsync(new ScriptedTransportFactory(_command, _events), options ?? DrbdNetlinkOptions.Default, () => "9.2.12",
            (_, _) => Task.CompletedTask, CancellationToken.None);
        return await kernel.SubscribeAsync(b => _batches.Writer.TryWrite(b), e => _failure.TrySetResult(e), CancellationToken.None);
    }

    private async Task<DrbdEventBatch> NextBatchAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _batches.Reader.ReadAsync(guard.Token);
    }

    private static IEnumerable<(string, DrbdRole)> Roles(DrbdEventBatch batch) =>
        batch.Notifications.Cast<DrbdResourceNotification>().Select(n => (n.Resource, n.Info!.Role));

    [Fact]
    public async Task It_joins_events_and_notify_before_the_dump_then_delivers_initial_state_and_live_changes()
    {
        OnDump = sequence =>
        {
            Live(100, "r0", 1, continues: true); // live events interleave with the dump
            DumpOf(sequence, "r0", "r1");
            Live(101, "r1", 1);
        };

        await using var subscription = await SubscribeAsync();
        var initial = await NextBatchAsync();
        var change = await NextBatchAsync();

        Assert.Equal([EventsGroup, NotifyGroup], _events.JoinedGroups);
        Hex.Equal("1c000000 1c00 0103 01000000 00000000 26 02 0000 ffffffff 00000000", _events.Sent[0]);
        Assert.True(initial.IsInitialState);
        Assert.Equal([("r0", DrbdRole.Secondary), ("r1", DrbdRole.Secondary)], Roles(initial));
        Assert.False(change.IsInitialState);
        Assert.Equal([("r0", DrbdRole.Primary), ("r1", DrbdRole.Primary)], Roles(change));
    }

    [Fact]
    public async Task After_an_overflow_it_dumps_again_and_delivers_a_fresh_initial_state()
    {
        OnDump = sequence => DumpOf(sequence, _dumps == 1 ? "before" : "after");
        await using var subscription = await SubscribeAsync();
        Assert.True((await NextBatchAsync()).IsInitialState);

        _events.PushOverflow();
        var second = await NextBatchAsync();

        Assert.True(second.IsInitialState);
        Assert.Equal([("after", DrbdRole.Secondary)], Roles(second));
        Hex.Equal("1c000000 1c00 0103 02000000 00000000 26 02 0000 ffffffff 00000000", _events.Sent[1]);
    }

    [Fact]
    public async Task A_gap_that_does_not_close_within_the_grace_period_causes_a_new_dump()
    {
        OnDump = sequence => DumpOf(sequence, "r0");
        await using var subscription = await SubscribeAsync(DrbdNetlinkOptions.Default with { GapGrace = TimeSpan.FromMilliseconds(1) });
        await NextBatchAsync();

        Live(10, "r0", 1);
        Assert.Equal([("r0", DrbdRole.Primary)], Roles(await NextBatchAsync()));
        Live(12, "r0", 2); // 11 never comes
        var next = await NextBatchAsync();

        Assert.True(next.IsInitialState);
        Assert.Equal(2, _dumps);
    }

    [Fact]
    public async Task The_module_going_away_ends_the_stream_with_a_failure()
    {
        OnDump = sequence => DumpOf(sequence);
        await using var subscription = await SubscribeAsync();
        await NextBatchAsync();

        _events.Push(Datagram(Message(0x10, 0, $"02 02 0000 06000100 {U16(DrbdFamily)}0000 {Str(2, "drbd")}")));
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var failure = await _failure.Task.WaitAsync(guard.Token);

        var e = Assert.IsType<DrbdKernelException>(failure);
        Assert.Contains("module unloaded", e.Message);
    }

    [Fact]
    public async Task A_dump_the_kernel_refuses_fails_the_subscription()
    {
        OnDump = sequence => _events.Push(WithSequence(Datagram(Error(1)), sequence));

        var e = await Assert.ThrowsAsync<NetlinkErrorException>(() => SubscribeAsync());

        Assert.Equal(1, e.ErrorNumber);
        Assert.Contains("get-initial-state", e.Message);
        Assert.True(_events.Disposed);
    }

    [Fact]
    public async Task Disposing_the_subscription_closes_its_socket()
    {
        OnDump = sequence => DumpOf(sequence);
        var subscription = await SubscribeAsync();
        await NextBatchAsync();

        await subscription.DisposeAsync();

        Assert.True(_events.Disposed);
        Assert.False(_command.Disposed);
        Assert.False(_failure.Task.IsCompleted);
    }
}
