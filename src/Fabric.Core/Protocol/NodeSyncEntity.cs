using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Fabric.Core.Entities;
using Fabric.Core.Views;

namespace Fabric.Core.Protocol;

/// <summary>
/// One node's desired-state session with its agent (sharded by node key on the controllers,
/// transient: nothing is persisted). Builds the node's desired state from this controller's read
/// model, sends it as a full generation when a session starts and as deltas when entities change
/// (it follows the read model's change log, so it looks only at what changed). Thin shell: the
/// rules are in <see cref="DesiredStateRules"/>.
/// </summary>
public sealed class NodeSyncEntity : ReceiveActor, IWithTimers
{
    public const string RegionName = "node-sync";

    /// <summary>Resources per <see cref="DesiredFullPart"/>, to keep every remote message small.</summary>
    public const int ResourcesPerPart = 500;

    private readonly string _nodeKey;
    private readonly ReadModelStore _views;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<string> _changed = [];
    private IActorRef? _agent;
    private Guid _agentIncarnation;
    private Guid _session;
    private long _generation;
    private long _logPosition;
    private NodeDesiredState? _sent;
    private long? _pendingMinOffset;
    private int _laggingPings;
    private DateTime _sessionStartedAt;

    /// <summary>Pings within this time after a session started may predate it; they never restart it.</summary>
    private static readonly TimeSpan SessionGrace = TimeSpan.FromSeconds(3);

    public NodeSyncEntity(string nodeKey, ReadModelStore views, TimeSpan pushInterval)
    {
        _nodeKey = nodeKey;
        _views = views;
        Receive<AgentSyncPing>(OnPing);
        Receive<ResyncRequest>(request =>
        {
            if (request.Incarnation == _agentIncarnation)
            {
                _log.Info("Agent of {0} asked for a full generation: {1}", _nodeKey, request.Reason);
                StartSession(request.MinOffset);
            }
        });
        Receive<ResourcesApplied>(applied =>
        {
            var failed = applied.Outcomes.Count(o => !o.Success);
            if (failed > 0)
            {
                _log.Debug("Agent of {0}: {1} resource(s) failed in generation {2}", _nodeKey, failed, applied.Generation);
            }
        });
        Receive<Push>(_ => OnPush());
        Receive<Terminated>(t =>
        {
            if (t.ActorRef.Equals(_agent))
            {
                _log.Info("Agent of {0} stopped; its sync session ends", _nodeKey);
                _agent = null;
                _sent = null;
                _pendingMinOffset = null;
                Context.Parent.Tell(new Passivate(PoisonPill.Instance));
            }
        });
        Timers!.StartPeriodicTimer("push", Push.Instance, pushInterval);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props PropsFor(string nodeKey, ReadModelStore views, TimeSpan pushInterval) =>
        Props.Create(() => new NodeSyncEntity(nodeKey, views, pushInterval));

    private void OnPing(AgentSyncPing ping)
    {
        if (_agent is null || !_agent.Equals(ping.Agent) || ping.Incarnation != _agentIncarnation)
        {
            if (_agent is not null)
            {
                Context.Unwatch(_agent);
            }
            _agent = ping.Agent;
            _agentIncarnation = ping.Incarnation;
            Context.Watch(_agent);
            _log.Info("Agent of {0} registered (incarnation {1})", _nodeKey, ping.Incarnation);
            StartSession(ping.MinOffset);
            return;
        }
        if (_pendingMinOffset is not null)
        {
            return;
        }
        // A full generation or a delta may be in flight when the ping left (pings queued while the
        // shard was being located arrive together); only a mismatch that persists is a loss.
        if (DateTime.UtcNow - _sessionStartedAt < SessionGrace)
        {
            return;
        }
        _laggingPings = ping.Session != _session || ping.Generation < _generation ? _laggingPings + 1 : 0;
        if (_laggingPings >= 3)
        {
            _log.Warning("Agent of {0} stays at session {1} generation {2}, not {3}/{4}; sending a full generation", _nodeKey, ping.Session, ping.Generation, _session, _generation);
            StartSession(ping.MinOffset);
        }
    }

    private void StartSession(long minOffset)
    {
        _laggingPings = 0;
        if (!_views.CaughtUp || _views.Current.Offset < minOffset)
        {
            // This controller's read model is behind what the agent already applied: wait for it.
            _pendingMinOffset = minOffset;
            return;
        }
        _pendingMinOffset = null;
        _sessionStartedAt = DateTime.UtcNow;
        _logPosition = _views.Changes.Head;
        var model = _views.Current;
        var state = DesiredStateRules.ForNode(model, _nodeKey) ?? NodeDesiredState.Empty(_nodeKey);
        _session = Guid.NewGuid();
        _generation = 1;
        _sent = state;
        var resources = state.Resources.Values.ToList();
        var parts = Math.Max(1, (resources.Count + ResourcesPerPart - 1) / ResourcesPerPart);
        for (var part = 0; part < parts; part++)
        {
            var slice = resources.Skip(part * ResourcesPerPart).Take(ResourcesPerPart);
            _agent!.Tell(new DesiredFullPart(state.NodeName, _session, _generation, model.Offset, part + 1, parts, part == 0 ? [.. state.Pools.Values] : [], [.. slice]));
        }
        _log.Info("Sent node {0} a full generation: {1} pool(s), {2} resource(s) at journal offset {3}", _nodeKey, state.Pools.Count, resources.Count, model.Offset);
    }

    private void OnPush()
    {
        if (_agent is null)
        {
            return;
        }
        if (_pendingMinOffset is { } minOffset)
        {
            StartSession(minOffset);
            return;
        }
        if (_sent is null || _views.Changes.Head == _logPosition)
        {
            return;
        }
        _changed.Clear();
        var model = _views.Current;
        NodeDesiredState next;
        DesiredChange change;
        if (_views.Changes.TryReadSince(_logPosition, _changed, out var head))
        {
            var touched = _changed.Distinct(StringComparer.Ordinal).Select(PersistenceIds.Parse);
            (next, change) = DesiredStateRules.Refresh(_sent, model, _nodeKey, touched);
        }
        else
        {
            next = DesiredStateRules.ForNode(model, _nodeKey) ?? NodeDesiredState.Empty(_nodeKey);
            change = DesiredStateRules.Diff(_sent, next);
        }
        _logPosition = head;
        if (change.IsEmpty)
        {
            return;
        }
        _sent = next;
        _generation++;
        _agent.Tell(new DesiredDelta(next.NodeName, _session, _generation, model.Offset, change));
    }

    private sealed class Push
    {
        public static readonly Push Instance = new();
    }
}
