using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Fabric.Core.Entities;

namespace Fabric.Core.Views;

/// <summary>
/// Keeps the local read model current: on start it loads the latest read-model snapshot, folds in
/// the journal tail after it (then the store counts as caught up), and follows new events live.
/// It saves a snapshot every <c>snapshotEvery</c> events so a cold start replays only the tail.
/// </summary>
public sealed class ProjectionActor : ReceiveActor, IWithTimers
{
    public const string SnapshotPersistenceId = "fabric-read-model";

    private sealed record StreamInit;
    private sealed record StreamAck;
    private sealed record StreamCompleted(bool Live);
    private sealed record StreamFailed(bool Live, Exception Cause);
    private sealed record RestartLive;
    private sealed record SnapshotTick;

    private readonly ReadModelStore _store;
    private readonly string _readJournalPluginId;
    private readonly int _snapshotEvery;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _snapshotStore;
    private long _eventsSinceSnapshot;
    private long _savedOffset;
    private long _confirmedOffset;
    private UniqueKillSwitch? _liveSwitch;

    public ProjectionActor(ReadModelStore store, string readJournalPluginId, int snapshotEvery, TimeSpan snapshotInterval)
    {
        _store = store;
        _readJournalPluginId = readJournalPluginId;
        _snapshotEvery = snapshotEvery;
        _snapshotStore = Persistence.Instance.Apply(Context.System).SnapshotStoreFor(null);

        Receive<LoadSnapshotResult>(result =>
        {
            if (result.Snapshot?.Snapshot is ReadModel model)
            {
                _store.Update(_ => model);
                _store.Changes.Reset();
                _savedOffset = model.Offset;
                _confirmedOffset = model.Offset;
                _log.Info("Read model snapshot loaded at journal offset {0}", model.Offset);
            }
            RunStream(live: false);
        });
        Receive<LoadSnapshotFailed>(failed =>
        {
            _log.Warning(failed.Cause, "Read model snapshot could not be loaded; rebuilding from the whole journal");
            RunStream(live: false);
        });
        Receive<StreamInit>(_ => Sender.Tell(new StreamAck()));
        Receive<EventEnvelope>(envelope =>
        {
            Fold(envelope);
            Sender.Tell(new StreamAck());
        });
        Receive<StreamCompleted>(c =>
        {
            if (!c.Live)
            {
                _store.MarkCaughtUp();
                _log.Info("Read model caught up at journal offset {0}", _store.Current.Offset);
                MaybeSnapshot(force: _eventsSinceSnapshot > 0);
                RunStream(live: true);
            }
        });
        Receive<StreamFailed>(f =>
        {
            _log.Warning(f.Cause, "Journal {0} stream failed; retrying in 1 s", f.Live ? "live" : "catch-up");
            Timers.StartSingleTimer("restart", new RestartLive(), TimeSpan.FromSeconds(1));
        });
        Receive<RestartLive>(_ => RunStream(live: _store.CaughtUp));
        Receive<SnapshotTick>(_ => MaybeSnapshot(force: _eventsSinceSnapshot > 0));
        Receive<SaveSnapshotSuccess>(s =>
        {
            _confirmedOffset = Math.Max(_confirmedOffset, s.Metadata.SequenceNr);
            _snapshotStore.Tell(new DeleteSnapshots(SnapshotPersistenceId, new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        });
        Receive<SaveSnapshotFailure>(f =>
        {
            // Forget the failed save: the next event or tick tries again from the confirmed offset.
            _log.Warning(f.Cause, "Read model snapshot at offset {0} failed; retrying", f.Metadata.SequenceNr);
            _savedOffset = _confirmedOffset;
            _eventsSinceSnapshot = _snapshotEvery;
        });
        Receive<DeleteSnapshotsSuccess>(_ => { });
        Receive<DeleteSnapshotsFailure>(_ => { });

        Timers!.StartPeriodicTimer("snapshot", new SnapshotTick(), snapshotInterval);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props PropsFor(ReadModelStore store, string readJournalPluginId, int snapshotEvery, TimeSpan snapshotInterval) =>
        Props.Create(() => new ProjectionActor(store, readJournalPluginId, snapshotEvery, snapshotInterval));

    protected override void PreStart() =>
        _snapshotStore.Tell(new LoadSnapshot(SnapshotPersistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue));

    protected override void PostStop() => _liveSwitch?.Shutdown();

    private void Fold(EventEnvelope envelope)
    {
        var offset = envelope.Offset is Sequence s ? s.Value : 0;
        _store.Update(m => m.ApplyEvent(envelope.PersistenceId, envelope.SequenceNr, envelope.Event).AtOffset(offset));
        _store.Changes.Record(envelope.PersistenceId);
        _eventsSinceSnapshot++;
        MaybeSnapshot(force: false);
    }

    private void MaybeSnapshot(bool force)
    {
        var model = _store.Current;
        if ((force || _eventsSinceSnapshot >= _snapshotEvery) && model.Offset > _savedOffset)
        {
            _snapshotStore.Tell(new SaveSnapshot(new SnapshotMetadata(SnapshotPersistenceId, model.Offset, DateTime.UtcNow), model));
            _savedOffset = model.Offset;
            _eventsSinceSnapshot = 0;
        }
    }

    private void RunStream(bool live)
    {
        var journal = PersistenceQuery.Get(Context.System).ReadJournalFor<SqlReadJournal>(_readJournalPluginId);
        var from = Offset.Sequence(_store.Current.Offset);
        // All events in journal order: every one belongs to an entity the read model folds. (Tag queries
        // were quadratic on this plugin version: linq2db emits an uncorrelated tag subquery.)
        var source = live ? journal.AllEvents(from) : journal.CurrentAllEvents(from);
        var sink = Sink.ActorRefWithAck<EventEnvelope>(
            Self,
            new StreamInit(),
            new StreamAck(),
            new StreamCompleted(live),
            ex => new StreamFailed(live, ex));
        _liveSwitch?.Shutdown();
        _liveSwitch = source.ViaMaterialized(KillSwitches.Single<EventEnvelope>(), Keep.Right).To(sink).Run(Context.System.Materializer());
    }
}
