using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Fabric.Core.Aggregates;
using Fabric.Core.Api;

namespace Fabric.Core.Entities;

/// <summary>
/// The imperative shell around one aggregate instance: Decide, persist, Apply, reply. Nothing else.
/// The read model follows every entity through the journal's global order (AllEvents).
/// </summary>
public sealed class AggregateEntity<TState, TCommand, TEvent> : ReceivePersistentActor
    where TState : class
    where TCommand : class
    where TEvent : class
{
    private readonly IAggregate<TState, TCommand, TEvent> _aggregate;
    private readonly int _snapshotEvery;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private TState _state;
    private IActorRef? _pendingReplyTo;

    public AggregateEntity(IAggregate<TState, TCommand, TEvent> aggregate, string entityId, int snapshotEvery)
    {
        _aggregate = aggregate;
        _snapshotEvery = snapshotEvery;
        _state = aggregate.Initial(entityId);
        PersistenceId = PersistenceIds.Of(aggregate.Kind, entityId);

        Recover<SnapshotOffer>(offer => _state = (TState)offer.Snapshot);
        Recover<TEvent>(e => _state = _aggregate.Apply(_state, e));
        Command<TCommand>(Handle);
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "Snapshot of {0} failed; recovery replays more events until the next one", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning(f.Cause, "Deleting old snapshots of {0} failed", PersistenceId));
    }

    public override string PersistenceId { get; }

    public static Props PropsFor(IAggregate<TState, TCommand, TEvent> aggregate, string entityId, int snapshotEvery) =>
        Props.Create(() => new AggregateEntity<TState, TCommand, TEvent>(aggregate, entityId, snapshotEvery));

    private void Handle(TCommand command)
    {
        Decision<TEvent> decision;
        try
        {
            decision = _aggregate.Decide(_state, command, new DecideContext(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Guid.NewGuid()));
        }
        catch (Exception ex)
        {
            _log.Error(ex, "Decide failed for {0} on {1}", command.GetType().Name, PersistenceId);
            Reply(false, [EntityErrors.DecideFailed(command, ex)], command);
            return;
        }

        switch (decision)
        {
            case Decision<TEvent>.Rejected rejected:
                Reply(false, [rejected.Error], command);
                break;
            case Decision<TEvent>.Accepted { Events.IsEmpty: true } nothing:
                Reply(true, nothing.Messages, command);
                break;
            case Decision<TEvent>.Accepted accepted:
                var replyTo = Sender;
                _pendingReplyTo = replyTo;
                var snapshotDue = false;
                PersistAll(accepted.Events, e =>
                {
                    _state = _aggregate.Apply(_state, e);
                    snapshotDue |= LastSequenceNr % _snapshotEvery == 0;
                });
                DeferAsync(accepted, _ =>
                {
                    _pendingReplyTo = null;
                    replyTo.Tell(new CommandReply(true, accepted.Messages, PersistenceId, LastSequenceNr, ReplyState(command)));
                    if (snapshotDue)
                    {
                        SaveSnapshot(_state);
                    }
                });
                break;
        }
    }

    private void Reply(bool accepted, IEnumerable<ApiCallRc> messages, TCommand command) =>
        Sender.Tell(new CommandReply(accepted, messages.ToImmutableList(), PersistenceId, LastSequenceNr, ReplyState(command)));

    private object? ReplyState(TCommand command) =>
        _aggregate is IShapesReply<TState, TCommand> shaper ? shaper.ReplyState(_state, command) : _state;

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _pendingReplyTo?.Tell(new CommandReply(false, [EntityErrors.JournalFailed(cause)], PersistenceId, LastSequenceNr, null));
        _pendingReplyTo = null;
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _pendingReplyTo?.Tell(new CommandReply(false, [EntityErrors.JournalFailed(cause)], PersistenceId, LastSequenceNr, null));
        _pendingReplyTo = null;
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

}
