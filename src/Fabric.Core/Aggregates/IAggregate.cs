namespace Fabric.Core.Aggregates;

/// <summary>
/// The functional core of one kind of entity: pure Decide and Apply over an immutable state.
/// The entity actor only calls Decide, persists the events, applies them and replies.
/// </summary>
public interface IAggregate<TState, in TCommand, TEvent>
    where TState : class
{
    /// <summary>Entity kind, used in persistence ids and shard region names (e.g. "node").</summary>
    string Kind { get; }

    TState Initial(string entityId);

    Decision<TEvent> Decide(TState state, TCommand command, DecideContext context);

    TState Apply(TState state, TEvent @event);
}

/// <summary>
/// Optional: what an entity sends back as the state in its reply, when the whole state is too big to
/// travel with every answer (an allocator answers with the one number asked for).
/// </summary>
public interface IShapesReply<in TState, in TCommand>
{
    object? ReplyState(TState state, TCommand command);
}
