using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Fabric.Core.Aggregates;
using Fabric.Core.Aggregates.Allocators;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Api;
using Fabric.Core.Serialization;

namespace Fabric.Core.Entities;

/// <summary>Wakes a resource so it finishes (or undoes) an operation left open, e.g. by a crash.</summary>
public sealed record WakeResource : IWireMessage;

/// <summary>
/// The shell around <see cref="ResourceAggregate"/>: Decide, persist, Apply, like every entity, plus
/// the operation loop. While the state has outstanding allocation steps, it asks the allocators
/// (keyed, idempotent requests), records their answers as events and only then answers the client.
/// Other commands wait (stashed) meanwhile. After a restart, recovery alone resumes open work.
/// </summary>
public sealed class ResourceEntity : ReceivePersistentActor, IWithTimers
{
    private sealed record StepsDone(ImmutableList<(AllocationStep Step, CommandReply? Reply)> Results);
    private sealed record Retry;

    private static readonly TimeSpan AllocatorTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly ResourceAggregate _aggregate = ResourceAggregate.Instance;
    private readonly int _snapshotEvery;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<Guid, (IActorRef ReplyTo, ImmutableList<ApiCallRc> Messages)> _waiting = [];
    private ResourceDefinitionState _state;
    private bool _stepsInFlight;
    private IActorRef? _allocators;

    public ResourceEntity(string entityId, int snapshotEvery)
    {
        _snapshotEvery = snapshotEvery;
        _state = _aggregate.Initial(entityId);
        PersistenceId = PersistenceIds.Of(_aggregate.Kind, entityId);

        Recover<SnapshotOffer>(offer => _state = (ResourceDefinitionState)offer.Snapshot);
        Recover<IResourceEvent>(e => _state = _aggregate.Apply(_state, e));
        Recover<RecoveryCompleted>(_ => Self.Tell(new WakeResource()));

        Command<WakeResource>(_ => RunSteps());
        Command<Retry>(_ => RunSteps());
        Command<StepsDone>(OnStepsDone);
        Command<IResourceCommand>(command =>
        {
            if (_stepsInFlight)
            {
                Stash.Stash();
                return;
            }
            Handle(command, Sender);
        });
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "Snapshot of {0} failed", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props PropsFor(string entityId, int snapshotEvery) => Props.Create(() => new ResourceEntity(entityId, snapshotEvery));

    private IActorRef Allocators => _allocators ??= ClusterSharding.Get(Context.System).ShardRegion(AllocatorAggregate.Instance.Kind);

    private void Handle(IResourceCommand command, IActorRef replyTo)
    {
        Decision<IResourceEvent> decision;
        try
        {
            decision = _aggregate.Decide(_state, command, new DecideContext(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Guid.NewGuid()));
        }
        catch (Exception ex)
        {
            _log.Error(ex, "Decide failed for {0} on {1}", command.GetType().Name, PersistenceId);
            Reply(replyTo, false, [EntityErrors.DecideFailed(command, ex)]);
            return;
        }
        switch (decision)
        {
            case Decision<IResourceEvent>.Rejected rejected:
                Reply(replyTo, false, [rejected.Error]);
                break;
            case Decision<IResourceEvent>.Accepted { Events.IsEmpty: true } nothing:
                Reply(replyTo, true, nothing.Messages);
                break;
            case Decision<IResourceEvent>.Accepted accepted:
                var operationBefore = _state.Operation?.Id;
                Persist(accepted, () =>
                {
                    AnswerFinished(operationBefore, null);
                    var started = accepted.Events.OfType<OperationStarted>().LastOrDefault();
                    if (started is not null && _state.Operation?.Id == started.Operation.Id)
                    {
                        _waiting[started.Operation.Id] = (replyTo, accepted.Messages);
                    }
                    else
                    {
                        Reply(replyTo, true, accepted.Messages);
                    }
                    RunSteps();
                });
                break;
        }
    }

    private void Persist(Decision<IResourceEvent>.Accepted accepted, Action then)
    {
        var snapshotDue = false;
        PersistAll(accepted.Events, e =>
        {
            _state = _aggregate.Apply(_state, e);
            snapshotDue |= LastSequenceNr % _snapshotEvery == 0;
        });
        DeferAsync(accepted, _ =>
        {
            then();
            if (snapshotDue)
            {
                SaveSnapshot(_state);
            }
        });
    }

    /// <summary>Asks the allocators for everything the state still needs, all at once.</summary>
    private void RunSteps()
    {
        if (_stepsInFlight)
        {
            return;
        }
        var steps = ResourceProcess.Outstanding(_state);
        if (steps.IsEmpty)
        {
            if (_state.Operation is { } op && ResourceProcess.NumbersComplete(_state))
            {
                Handle(new RecordAllocations(op.Id, [], [], [], [], []), ActorRefs.Nobody);
                return;
            }
            Stash.UnstashAll();
            return;
        }
        _stepsInFlight = true;
        var allocators = Allocators;
        var asks = steps.Select(async step =>
        {
            object command = step switch
            {
                AllocationStep.MinorFor m => m.Request,
                AllocationStep.PortFor p => p.Request,
                AllocationStep.GiveBack g => new Release(g.Release.Owner),
                _ => throw new InvalidOperationException(step.GetType().Name),
            };
            try
            {
                return (step, (CommandReply?)await allocators.Ask<CommandReply>(new EntityEnvelope(step.Allocator, command), AllocatorTimeout));
            }
            catch (Exception)
            {
                return (step, (CommandReply?)null);
            }
        }).ToList();
        Task.WhenAll(asks).ContinueWith(t => new StepsDone(t.Result.ToImmutableList()), TaskContinuationOptions.ExecuteSynchronously).PipeTo(Self);
    }

    private void OnStepsDone(StepsDone done)
    {
        _stepsInFlight = false;
        var opId = _state.Operation?.Id;
        var minorsFor = ImmutableList.CreateBuilder<int>();
        var minors = ImmutableList.CreateBuilder<int>();
        var portsFor = ImmutableList.CreateBuilder<string>();
        var ports = ImmutableList.CreateBuilder<int>();
        var released = ImmutableList.CreateBuilder<PendingRelease>();
        ApiCallRc? refusal = null;
        var unanswered = 0;
        foreach (var (step, reply) in done.Results)
        {
            if (reply is null)
            {
                unanswered++;
                continue;
            }
            if (!reply.Accepted)
            {
                refusal ??= reply.Messages.FirstOrDefault();
                continue;
            }
            switch (step)
            {
                case AllocationStep.MinorFor m when reply.State is Reservation r:
                    minorsFor.Add(m.VolumeNumber);
                    minors.Add(r.Number);
                    break;
                case AllocationStep.PortFor p when reply.State is Reservation r:
                    portsFor.Add(p.NodeKey);
                    ports.Add(r.Number);
                    break;
                case AllocationStep.GiveBack g:
                    released.Add(g.Release);
                    break;
            }
        }
        var record = new RecordAllocations(opId, minorsFor.ToImmutable(), minors.ToImmutable(), portsFor.ToImmutable(), ports.ToImmutable(), released.ToImmutable());
        var decision = _aggregate.Decide(_state, record, new DecideContext(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Guid.NewGuid()));
        var events = decision is Decision<IResourceEvent>.Accepted a ? a.Events : [];
        if (refusal is not null && opId is { } failedOp)
        {
            // Record what was handed out first, so the undo gives it back.
            var after = events.Aggregate(_state, _aggregate.Apply);
            if (_aggregate.Decide(after, new FailOperation(failedOp, refusal), new DecideContext(0, Guid.Empty)) is Decision<IResourceEvent>.Accepted undo)
            {
                events = events.AddRange(undo.Events);
            }
        }
        var combined = new Decision<IResourceEvent>.Accepted(events, []);
        Persist(combined, () =>
        {
            AnswerFinished(opId, refusal);
            if (unanswered > 0)
            {
                _log.Warning("{0}: {1} allocator request(s) unanswered; retrying in {2}", PersistenceId, unanswered, RetryAfter);
                Timers.StartSingleTimer("retry", new Retry(), RetryAfter);
            }
            else
            {
                RunSteps();
            }
        });
    }

    private void AnswerFinished(Guid? opId, ApiCallRc? refusal)
    {
        if (opId is not { } id || _state.Operation?.Id == id || !_waiting.Remove(id, out var waiting))
        {
            return;
        }
        if (refusal is not null)
        {
            Reply(waiting.ReplyTo, false, [refusal]);
        }
        else
        {
            Reply(waiting.ReplyTo, true, waiting.Messages);
        }
    }

    private void Reply(IActorRef replyTo, bool accepted, IEnumerable<ApiCallRc> messages)
    {
        if (!replyTo.IsNobody())
        {
            replyTo.Tell(new CommandReply(accepted, messages.ToImmutableList(), PersistenceId, LastSequenceNr, _state));
        }
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        var error = EntityErrors.JournalFailed(cause);
        foreach (var (replyTo, _) in _waiting.Values)
        {
            Reply(replyTo, false, [error]);
        }
        _waiting.Clear();
        base.OnPersistFailure(cause, @event, sequenceNr);
    }
}
