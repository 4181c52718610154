using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>Why the event stream must be rebuilt from a new initial-state dump.</summary>
public enum DrbdRedumpReason
{
    /// <summary>The socket overflowed (ENOBUFS): the kernel dropped notifications.</summary>
    EventsLost,

    /// <summary>A sequence number never arrived.</summary>
    SequenceGap,

    /// <summary>Too many notifications wait behind a missing one.</summary>
    ReorderBufferFull,

    /// <summary>A notification could not be decoded.</summary>
    Malformed,
}

/// <summary>What the sequencer asks of its shell after one input: batches to deliver, and maybe a new dump.</summary>
public readonly record struct DrbdSequencerStep(IReadOnlyList<DrbdEventBatch> Batches, DrbdRedumpReason? Redump)
{
    public static readonly DrbdSequencerStep None = new([], null);
}

/// <summary>
/// The race-free event protocol of <c>drbdsetup events2</c>, as a pure state machine. The shell
/// joins the events group first, sends the initial-state dump and calls <see cref="DumpRequested"/>
/// with its sequence number, then feeds every decoded message. NOTIFY_EXISTS messages of that dump
/// build the initial picture; live notifications are buffered until INITIAL_STATE_DONE, then
/// applied in <c>nlmsg_seq</c> order (out-of-order arrivals wait in a bounded reorder buffer) and
/// grouped into atomic batches that end at the first message without NOTIFY_CONTINUES. On overflow,
/// a persisting gap (<see cref="OnGapTimeout"/>, driven by the shell's timer while
/// <see cref="HasGap"/>), a full reorder buffer or a malformed message it asks for a new dump and
/// delivers a fresh initial-state batch once that dump completes.
/// </summary>
public sealed class DrbdEventSequencer(int maxPending = 256)
{
    private readonly List<DrbdNotification> _initial = [];
    private readonly List<DrbdEventMessage> _bufferedLive = [];
    private readonly Dictionary<uint, DrbdEventMessage> _pending = [];
    private readonly List<DrbdNotification> _batch = [];
    private uint? _dumpSequence;
    private uint? _next;
    private bool _awaitingDump = true;

    /// <summary>Live notifications wait for a sequence number that has not arrived yet.</summary>
    public bool HasGap => _pending.Count > 0;

    /// <summary>True until the first dump was requested and after every loss, until the next one is.</summary>
    public bool AwaitingDump => _awaitingDump;

    /// <summary>The shell sent GET_INITIAL_STATE (NLM_F_DUMP) with this sequence number.</summary>
    public void DumpRequested(uint dumpSequence)
    {
        Reset();
        _awaitingDump = false;
        _dumpSequence = dumpSequence;
    }

    public DrbdSequencerStep OnMessage(DrbdEventMessage message)
    {
        if (!message.CountsForSequence || _awaitingDump)
        {
            return DrbdSequencerStep.None;
        }
        if (message.IsExists)
        {
            return OnDumpMessage(message);
        }
        if (_dumpSequence is not null)
        {
            _bufferedLive.Add(message);
            return DrbdSequencerStep.None;
        }
        var batches = new List<DrbdEventBatch>();
        return Live(message, batches) is { } reason ? Lost(reason) : new DrbdSequencerStep(batches, null);
    }

    /// <summary>The socket reported ENOBUFS.</summary>
    public DrbdSequencerStep OnEventsLost() => Lost(DrbdRedumpReason.EventsLost);

    /// <summary>A message of the drbd family could not be decoded; its content is unknown, so rebuild.</summary>
    public DrbdSequencerStep OnMalformed() => Lost(DrbdRedumpReason.Malformed);

    /// <summary>The shell's grace period for out-of-order arrivals ran out while <see cref="HasGap"/>.</summary>
    public DrbdSequencerStep OnGapTimeout() => HasGap ? Lost(DrbdRedumpReason.SequenceGap) : DrbdSequencerStep.None;

    private DrbdSequencerStep OnDumpMessage(DrbdEventMessage message)
    {
        if (message.Sequence != _dumpSequence)
        {
            return DrbdSequencerStep.None; // from an abandoned dump
        }
        if (!message.IsInitialStateDone)
        {
            _initial.AddRange(message.Notifications);
            return DrbdSequencerStep.None;
        }
        var batches = new List<DrbdEventBatch> { DrbdEventBatch.Initial([.. _initial]) };
        _initial.Clear();
        _dumpSequence = null;
        var buffered = _bufferedLive.OrderBy(m => m.Sequence, SequenceOrder.Instance).ToList();
        _bufferedLive.Clear();
        foreach (var live in buffered)
        {
            if (Live(live, batches) is { } reason)
            {
                return Lost(reason);
            }
        }
        return new DrbdSequencerStep(batches, null);
    }

    private DrbdRedumpReason? Live(DrbdEventMessage message, List<DrbdEventBatch> batches)
    {
        _next ??= message.Sequence;
        var distance = unchecked((int)(message.Sequence - _next.Value));
        if (distance < 0 || _pending.ContainsKey(message.Sequence))
        {
            return null; // a duplicate or a message older than what was applied
        }
        if (distance > 0)
        {
            _pending[message.Sequence] = message;
            return _pending.Count > maxPending ? DrbdRedumpReason.ReorderBufferFull : null;
        }
        Apply(message, batches);
        while (_pending.Remove(_next.Value, out var waiting))
        {
            Apply(waiting, batches);
        }
        return null;
    }

    private void Apply(DrbdEventMessage message, List<DrbdEventBatch> batches)
    {
        _next = unchecked(message.Sequence + 1);
        _batch.AddRange(message.Notifications);
        if (!message.Continues && _batch.Count > 0)
        {
            batches.Add(new DrbdEventBatch(false, [.. _batch]));
            _batch.Clear();
        }
    }

    private DrbdSequencerStep Lost(DrbdRedumpReason reason)
    {
        Reset();
        _awaitingDump = true;
        return new DrbdSequencerStep([], reason);
    }

    private void Reset()
    {
        _initial.Clear();
        _bufferedLive.Clear();
        _pending.Clear();
        _batch.Clear();
        _dumpSequence = null;
        _next = null;
    }

    /// <summary>Orders sequence numbers by serial-number arithmetic, so a wrap past 2^32 keeps the order.</summary>
    private sealed class SequenceOrder : IComparer<uint>
    {
        public static readonly SequenceOrder Instance = new();

        public int Compare(uint x, uint y) => unchecked((int)(x - y)).CompareTo(0);
    }
}
