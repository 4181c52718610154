using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;

namespace Fabric.Core.Protocol;

/// <summary>
/// Runs on every controller: subscribes to <see cref="NodeStatusTopic.Name"/>, folds node agent
/// reports and goodbyes into the <see cref="NodeStatusBoard"/>, and takes silent nodes offline
/// after the status timeout (checked on a timer).
/// </summary>
public sealed class NodeStatusActor : ReceiveActor, IWithTimers
{
    private readonly NodeStatusBoard _board;
    private readonly long _timeoutMs;
    private readonly Func<long> _clock;
    private readonly TimeSpan _checkEvery;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public NodeStatusActor(NodeStatusBoard board, TimeSpan timeout, TimeSpan checkEvery, Func<long> clock)
    {
        _board = board;
        _timeoutMs = (long)timeout.TotalMilliseconds;
        _clock = clock;
        Receive<NodeAgentReport>(report =>
        {
            var wasOnline = _board.IsOnline(report.NodeName);
            _board.Update(b => NodeStatusRules.Apply(b, report, _clock()));
            if (!wasOnline && _board.IsOnline(report.NodeName))
            {
                _log.Info("Node agent of {0} is online (incarnation {1}, sequence {2}).", report.NodeName, report.AgentIncarnation, report.Sequence);
            }
            if (_board.Get(report.NodeName) is { MissesObservations: true })
            {
                RequestObservations(report.NodeName);
            }
        });
        Receive<NodeAgentGoodbye>(goodbye =>
        {
            var wasOnline = _board.IsOnline(goodbye.NodeName);
            _board.Update(b => NodeStatusRules.Goodbye(b, goodbye));
            if (wasOnline && !_board.IsOnline(goodbye.NodeName))
            {
                _log.Info("Node agent of {0} said goodbye; the node is offline.", goodbye.NodeName);
            }
        });
        Receive<Expire>(_ =>
        {
            var before = _board.Current;
            var after = _board.Update(b => NodeStatusRules.Expire(b, _clock(), _timeoutMs));
            foreach (var (key, status) in after)
            {
                if (!status.Online && before.TryGetValue(key, out var was) && was.Online)
                {
                    _log.Warning("Node agent of {0} sent no report for {1} ms; the node is offline.", key, _timeoutMs);
                }
            }
        });
        Receive<NodeObservations>(observations =>
        {
            var needsFull = false;
            _board.Update(b =>
            {
                var (next, gap) = NodeStatusRules.ApplyObservations(b, observations);
                needsFull = gap;
                return next;
            });
            if (needsFull)
            {
                RequestObservations(observations.NodeName);
            }
        });
        Receive<RetryObservations>(retry =>
        {
            if (_board.Get(retry.NodeName) is { MissesObservations: true })
            {
                RequestObservations(retry.NodeName);
            }
        });
        Receive<SubscribeAck>(_ => { });
        _checkEvery = checkEvery;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private readonly Dictionary<string, long> _lastRequestMs = new(StringComparer.Ordinal);

    /// <summary>
    /// Asks the node's agent for a full set of observations, at most once per second per node. A request
    /// within that second is not dropped but deferred to its end (and made only if still missing), so a gap
    /// found just after a request, e.g. a new incarnation's first delta overtaking the full set asked for,
    /// closes within a second instead of at the next heartbeat.
    /// </summary>
    private void RequestObservations(string nodeName)
    {
        var status = _board.Get(nodeName);
        if (status?.Agent is not { } agent)
        {
            return;
        }
        var key = Fabric.Core.Naming.Names.Key(nodeName);
        var now = _clock();
        if (_lastRequestMs.TryGetValue(key, out var last) && now - last < 1000)
        {
            Timers.StartSingleTimer("observations-" + key, new RetryObservations(nodeName), TimeSpan.FromMilliseconds(1000 - (now - last)));
            return;
        }
        _lastRequestMs[key] = now;
        agent.Tell(new ObservationsRequest(nodeName, Self));
    }

    public static Props PropsFor(NodeStatusBoard board, TimeSpan timeout, Func<long>? clock = null)
    {
        var checkEvery = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 4, 50, 1000));
        return Props.Create(() => new NodeStatusActor(board, timeout, checkEvery, clock ?? (() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())));
    }

    protected override void PreStart()
    {
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(NodeStatusTopic.Name, Self));
        Timers.StartPeriodicTimer("expire", Expire.Instance, _checkEvery);
    }

    private sealed class Expire
    {
        public static readonly Expire Instance = new();
    }

    private sealed record RetryObservations(string NodeName);
}
