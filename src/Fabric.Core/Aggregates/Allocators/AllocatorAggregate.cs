using System.Collections.Immutable;
using Fabric.Core.Allocation;
using Fabric.Core.Api;
using Fabric.Core.Serialization;
using static Fabric.Core.Api.ApiConsts;

namespace Fabric.Core.Aggregates.Allocators;

/// <summary>
/// A cluster-unique number pool (DRBD minors; one per node for TCP ports). Every number belongs to
/// an owner key such as "RES1/0" (a volume's minor) or "RES1" (a resource's port on this node).
/// Requests are keyed by owner, so repeating one after a crash returns the same number.
/// </summary>
[Durable("allocator-state.v1")]
public sealed record AllocatorState(
    string Key,
    ImmutableSortedDictionary<string, int> ByOwner,
    ImmutableSortedDictionary<int, string> ByNumber,
    int LowestPossiblyFree) : IDurable
{
    public static AllocatorState Empty(string key) => new(
        key,
        ImmutableSortedDictionary<string, int>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<int, string>.Empty,
        0);
}

public interface IAllocatorCommand : IWireMessage;

/// <param name="What">What the number is, for messages ("DRBD minor number", "TCP port on node 'a'").</param>
/// <param name="RangeProperty">The property that widens the range, named in the exhaustion error.</param>
/// <param name="Preferred">A number the caller asks for; taken when free and in range.</param>
/// <param name="ExhaustedCode">LINSTOR's FAIL_POOL_EXHAUSTED_* code for this pool.</param>
public sealed record Reserve(string Owner, NumberRange Range, string What, string RangeProperty, long ExhaustedCode, int? Preferred = null) : IAllocatorCommand;

public sealed record Release(string Owner) : IAllocatorCommand;

/// <summary>The outcome of a reservation: the owner's number (also when it held one already).</summary>
public sealed record Reservation(string Owner, int Number) : IWireMessage;

public interface IAllocatorEvent : IDurable;

[Durable("number-reserved.v1")]
public sealed record NumberReserved(string Owner, int Number) : IAllocatorEvent;

[Durable("number-released.v1")]
public sealed record NumberReleased(string Owner, int Number) : IAllocatorEvent;

public sealed class AllocatorAggregate : IAggregate<AllocatorState, IAllocatorCommand, IAllocatorEvent>, IShapesReply<AllocatorState, IAllocatorCommand>
{
    public const string MinorPool = "MINOR";

    public static readonly AllocatorAggregate Instance = new();

    public string Kind => "allocator";

    /// <summary>The allocator of TCP ports on one node.</summary>
    public static string TcpPortPool(string nodeKey) => "TCP-PORT:" + nodeKey;

    public AllocatorState Initial(string entityId) => AllocatorState.Empty(entityId);

    public Decision<IAllocatorEvent> Decide(AllocatorState state, IAllocatorCommand command, DecideContext context) => command switch
    {
        Reserve c => DecideReserve(state, c),
        Release c => state.ByOwner.TryGetValue(c.Owner, out var number)
            ? Decision<IAllocatorEvent>.Accept(new NumberReleased(c.Owner, number))
            : Decision<IAllocatorEvent>.Nothing(),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "unknown allocator command"),
    };

    public AllocatorState Apply(AllocatorState state, IAllocatorEvent @event) => @event switch
    {
        NumberReserved e => state with
        {
            ByOwner = state.ByOwner.SetItem(e.Owner, e.Number),
            ByNumber = state.ByNumber.SetItem(e.Number, e.Owner),
            LowestPossiblyFree = e.Number == state.LowestPossiblyFree ? e.Number + 1 : state.LowestPossiblyFree,
        },
        NumberReleased e => state with
        {
            ByOwner = state.ByOwner.Remove(e.Owner),
            ByNumber = state.ByNumber.Remove(e.Number),
            LowestPossiblyFree = Math.Min(state.LowestPossiblyFree, e.Number),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "unknown allocator event"),
    };

    /// <summary>Answers a reservation with the owner's number only; the whole pool stays home.</summary>
    public object? ReplyState(AllocatorState state, IAllocatorCommand command) =>
        command is Reserve r && state.ByOwner.TryGetValue(r.Owner, out var number) ? new Reservation(r.Owner, number) : null;

    /// <summary>The number an owner holds after a command (the answer to a Reserve).</summary>
    public static int? NumberOf(AllocatorState state, string owner) => state.ByOwner.TryGetValue(owner, out var n) ? n : null;

    private static Decision<IAllocatorEvent> DecideReserve(AllocatorState state, Reserve c)
    {
        if (state.ByOwner.ContainsKey(c.Owner))
        {
            return Decision<IAllocatorEvent>.Nothing();
        }
        if (c.Preferred is { } preferred)
        {
            if (state.ByNumber.TryGetValue(preferred, out var holder))
            {
                return Decision<IAllocatorEvent>.Reject(ApiCallRc.Error(
                    MaskRscDfn,
                    MaskCrt,
                    FailInUse,
                    $"The {c.What} {preferred} is already in use.",
                    $"It belongs to '{holder}'.",
                    "Leave the number out to have one assigned, or choose a free one."));
            }
            return Decision<IAllocatorEvent>.Accept(new NumberReserved(c.Owner, preferred));
        }
        var start = Math.Max(c.Range.First, state.LowestPossiblyFree);
        var free = NumberPools.FirstFree(new NumberRange(start, c.Range.Last), state.ByNumber.ContainsKey);
        if (free is null && start > c.Range.First)
        {
            // The hint only holds for numbers handed out in order; a narrowed range may still have gaps below it.
            free = NumberPools.FirstFree(c.Range, state.ByNumber.ContainsKey);
        }
        if (free is null)
        {
            return Decision<IAllocatorEvent>.Reject(ApiCallRc.Error(
                MaskRscDfn,
                MaskCrt,
                c.ExhaustedCode,
                $"No free {c.What} is left in the range {c.Range} ({c.Range.Count} numbers, all in use).",
                $"Every number of the range set by the property '{c.RangeProperty}' is assigned.",
                $"Widen the range with the property '{c.RangeProperty}' (form 'first-last'), or delete unused resources."));
        }
        return Decision<IAllocatorEvent>.Accept(new NumberReserved(c.Owner, free.Value));
    }
}
