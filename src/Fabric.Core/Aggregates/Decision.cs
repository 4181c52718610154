using System.Collections.Immutable;
using Fabric.Core.Api;

namespace Fabric.Core.Aggregates;

/// <summary>What a pure decider returns: events to persist with the messages for the caller, or a rejection.</summary>
public abstract record Decision<TEvent>
{
    private Decision() { }

    public sealed record Accepted(ImmutableList<TEvent> Events, ImmutableList<ApiCallRc> Messages) : Decision<TEvent>;

    public sealed record Rejected(ApiCallRc Error) : Decision<TEvent>;

    public static Decision<TEvent> Accept(IEnumerable<TEvent> events, params ApiCallRc[] messages) =>
        new Accepted(events.ToImmutableList(), messages.ToImmutableList());

    public static Decision<TEvent> Accept(TEvent @event, params ApiCallRc[] messages) =>
        new Accepted(ImmutableList.Create(@event), messages.ToImmutableList());

    /// <summary>Nothing to persist; the messages say why (for example INFO_NOOP).</summary>
    public static Decision<TEvent> Nothing(params ApiCallRc[] messages) =>
        new Accepted(ImmutableList<TEvent>.Empty, messages.ToImmutableList());

    public static Decision<TEvent> Reject(ApiCallRc error) => new Rejected(error);
}

/// <summary>Everything a decision may need from outside: time and fresh identifiers, supplied by the shell.</summary>
public sealed record DecideContext(long NowMs, Guid NewUuid);
