using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Naming;
using Fabric.Core.Protocol;
using Fabric.Node.Reconcile;
using Fabric.Node.Storage;

namespace Fabric.Node.Agent;

/// <summary>
/// The node agent of one node. Registers with its node's sync entity (a ping every heartbeat),
/// takes desired state as numbered generations (a full one per session, deltas after), lists each
/// pool once per full generation and hands every resource to its own <see cref="ResourceAgentActor"/>.
/// Publishes heartbeats (capacities, sync state) and observed resources to every controller. Holds
/// no durable state: a restart starts a new incarnation and converges from a full generation.
/// </summary>
public sealed partial class NodeAgentActor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private readonly NodeAgentSettings _settings;
    private readonly INodeAgentLink _link;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SemaphoreSlim _gate;
    private readonly ErrorReportIds _errorIds;
    private readonly Guid _incarnation = Guid.NewGuid();
    private readonly Dictionary<string, IActorRef> _children = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ObservedResource> _observed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly List<AgentErrorReport> _newErrorReports = [];
    private readonly List<ResourceOutcome> _outcomes = [];
    private readonly HashSet<string> _awaitingFirstSync = new(StringComparer.Ordinal);
    private readonly Dictionary<int, DesiredFullPart> _parts = [];
    private readonly HashSet<string> _unlistedPools = new(StringComparer.Ordinal);
    private ImmutableSortedDictionary<string, PoolCapacity> _capacities = ImmutableSortedDictionary<string, PoolCapacity>.Empty.WithComparers(StringComparer.Ordinal);
    private NodeDesiredState _desired;
    private Guid _session;
    private long _generation;
    private long _maxOffset;
    private long _sequence;
    private long _observedVersion;
    private bool _synced;
    private IActorRef _syncEntity = ActorRefs.Nobody;

    public NodeAgentActor(NodeAgentSettings settings, INodeAgentLink link)
    {
        _settings = settings;
        _link = link;
        _desired = NodeDesiredState.Empty(settings.NodeName);
        _gate = new SemaphoreSlim(settings.MaxParallel, settings.MaxParallel);
        _errorIds = new ErrorReportIds(settings.NodeName, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Become(Ready);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    public static Props PropsFor(NodeAgentSettings settings, INodeAgentLink link) =>
        Props.Create(() => new NodeAgentActor(settings, link));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("heartbeat", Heartbeat.Instance, TimeSpan.Zero, _settings.Heartbeat);
        Timers.StartPeriodicTimer("capacity", RefreshCapacity.Instance, _settings.EffectiveCapacityRefresh);
        Timers.StartPeriodicTimer("flush", Flush.Instance, _settings.EffectiveObservationFlush);
        _log.Info("Node agent of {0} started (incarnation {1})", _settings.NodeName, _incarnation);
        OpenDrbd();
    }

    protected override void PostStop()
    {
        _link.Publish(new NodeAgentGoodbye(_settings.NodeName, _incarnation));
        CloseDrbd();
        _gate.Dispose();
    }

    /// <summary>Takes desired state and reports; the normal behaviour.</summary>
    private void Ready()
    {
        Common();
        Receive<DesiredFullPart>(OnFullPart);
        Receive<DesiredDelta>(OnDelta);
        Receive<ResourceReport>(OnResourceReport);
    }

    /// <summary>Lists the pools for a full generation; desired-state messages wait until it is done.</summary>
    private void Observing()
    {
        Common();
        Receive<PoolsListed>(OnPoolsListed);
        Receive<DesiredFullPart>(_ => Stash.Stash());
        Receive<DesiredDelta>(_ => Stash.Stash());
        Receive<ResourceReport>(OnResourceReport);
    }

    private void Common()
    {
        DrbdMessages();
        Receive<Heartbeat>(_ => SendHeartbeat());
        Receive<Terminated>(t =>
        {
            // A resource actor stops after reporting its removal; drop it if that report raced its end.
            foreach (var (key, child) in _children.Where(c => c.Value.Equals(t.ActorRef)).ToList())
            {
                _children.Remove(key);
            }
        });
        Receive<Flush>(_ => FlushObservations());
        Receive<RefreshCapacity>(_ => InspectPools(_desired.Pools.Values.ToList()));
        Receive<CapacitiesRead>(read =>
        {
            _capacities = _capacities.SetItems(read.Capacities.Select(c => KeyValuePair.Create(Names.Key(c.PoolName), c))).RemoveRange(read.Failed);
            _capacities = _capacities.RemoveRange(_capacities.Keys.Where(k => !_desired.Pools.ContainsKey(k)).ToList());
            if (read.Capacities.Any(c => _unlistedPools.Contains(Names.Key(c.PoolName))) && !_syncEntity.IsNobody())
            {
                // A pool that could not be listed is usable again: list everything again in a new full generation.
                _unlistedPools.Clear();
                _syncEntity.Tell(new ResyncRequest(_settings.NodeName, _incarnation, _session, _generation, _maxOffset, "a storage pool that could not be listed is usable again"), Self);
            }
        });
        Receive<ObservationsRequest>(request => request.ReplyTo.Tell(new NodeObservations(
            _settings.NodeName, _incarnation, _observedVersion, 0, true, [.. _observed.Values], [], []), Self));
        Receive<PoolCheck>(check =>
        {
            var replyTo = Sender;
            CheckPool(check.Pool).PipeTo(replyTo);
        });
    }

    private void SendHeartbeat()
    {
        _link.SendToSync(_settings.NodeName, new AgentSyncPing(_settings.NodeName, _incarnation, Self, _session, _generation, _maxOffset), Self);
        _link.Publish(new NodeAgentReport(
            _settings.NodeName,
            _incarnation,
            ++_sequence,
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            [.. _capacities.Values],
            SupportedLayers(),
            [.. Enum.GetValues<ProviderKind>().Select(k => k.ToApi())],
            _synced,
            _observedVersion,
            Self));
    }

    private void OnFullPart(DesiredFullPart part)
    {
        if (part.Part == 1)
        {
            _parts.Clear();
        }
        _parts[part.Part] = part;
        if (_parts.Count < part.Parts || _parts.Values.Any(p => p.Session != part.Session || p.Generation != part.Generation))
        {
            return;
        }
        var all = _parts.Values.OrderBy(p => p.Part).ToList();
        _parts.Clear();
        if (part.JournalOffset < _maxOffset)
        {
            Sender.Tell(new ResyncRequest(_settings.NodeName, _incarnation, part.Session, part.Generation, _maxOffset, $"the full generation was built at journal offset {part.JournalOffset}, before offset {_maxOffset} that this agent already applied"));
            return;
        }
        _syncEntity = Sender;
        _session = part.Session;
        _generation = part.Generation;
        _maxOffset = part.JournalOffset;
        _desired = new NodeDesiredState(
            part.NodeName,
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, all.SelectMany(p => p.Pools).Select(p => KeyValuePair.Create(Names.Key(p.Name), p))),
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, all.SelectMany(p => p.Resources).Select(r => KeyValuePair.Create(Names.Key(r.Name), r))));
        _log.Info("Node {0}: full generation {1} with {2} resource(s); listing {3} pool(s)", _settings.NodeName, _generation, _desired.Resources.Count, _desired.Pools.Count);
        Become(Observing);
        ListPools(_desired, _session, _generation).PipeTo(Self);
    }

    private async Task<PoolsListed> ListPools(NodeDesiredState desired, Guid session, long generation)
    {
        var pools = desired.Pools.Values.Where(p => p.Kind != ProviderKind.Diskless).ToList();
        var listings = await Task.WhenAll(pools.Select(async pool =>
        {
            var spec = AgentPools.SpecOf(pool);
            var provider = _settings.Providers(pool.Kind);
            try
            {
                using var timeout = new CancellationTokenSource(_settings.EffectiveStepTimeout);
                var usage = await provider.InspectPoolAsync(spec, timeout.Token).ConfigureAwait(false);
                var volumes = await provider.ListVolumesAsync(spec, timeout.Token).ConfigureAwait(false);
                return (Key: Names.Key(pool.Name), Pool: pool, Usage: (PoolUsage?)usage, Volumes: volumes, Error: (string?)null);
            }
            catch (Exception ex)
            {
                return (Key: Names.Key(pool.Name), Pool: pool, Usage: null, Volumes: (IReadOnlyList<ProvidedVolume>)[], Error: ex.Message);
            }
        })).ConfigureAwait(false);
        return new PoolsListed(session, generation, listings.Select(l => new PoolListing(l.Key, l.Pool, l.Usage, l.Volumes, l.Error)).ToList());
    }

    private void OnPoolsListed(PoolsListed listed)
    {
        Become(Ready);
        if (listed.Session == _session && listed.Generation == _generation)
        {
            ApplyFull(listed);
        }
        Stash.UnstashAll();
    }

    private void ApplyFull(PoolsListed listed)
    {
        var capacities = new List<PoolCapacity>();
        var failedPools = new HashSet<string>(StringComparer.Ordinal);
        var byResource = new Dictionary<string, List<VolumeObservation>>(StringComparer.Ordinal);
        foreach (var listing in listed.Pools)
        {
            if (listing.Error is not null || listing.Usage is null)
            {
                failedPools.Add(listing.Key);
                _unlistedPools.Add(listing.Key);
                _log.Warning("Node {0}: storage pool {1} could not be listed: {2}", _settings.NodeName, listing.Pool.Name, listing.Error);
                continue;
            }
            capacities.Add(new PoolCapacity(listing.Pool.Name, listing.Pool.Kind.ToApi(), listing.Usage.FreeKiB, listing.Usage.TotalKiB));
            foreach (var volume in listing.Volumes)
            {
                var key = Names.Key(volume.Id.ResourceName);
                if (!byResource.TryGetValue(key, out var list))
                {
                    byResource[key] = list = [];
                }
                list.Add(new VolumeObservation(listing.Key, volume));
            }
        }
        _capacities = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, capacities.Select(c => KeyValuePair.Create(Names.Key(c.PoolName), c)));
        _awaitingFirstSync.Clear();
        var keys = _desired.Resources.Keys.Concat(byResource.Keys).Concat(_children.Keys).Distinct(StringComparer.Ordinal).ToList();
        foreach (var key in keys)
        {
            _desired.Resources.TryGetValue(key, out var desired);
            var knowsPool = desired is null || desired.Diskless || !failedPools.Contains(Names.Key(desired.StoragePool));
            var observed = byResource.TryGetValue(key, out var list) ? list : [];
            // Volumes in a pool that could not be listed are unknown: never plan creations blindly there.
            if (!knowsPool)
            {
                var pool = _desired.Pools[Names.Key(desired!.StoragePool)];
                observed = [];
                ReportUnlistedPool(key, desired, pool, listed.Pools.First(p => p.Key == Names.Key(pool.Name)).Error!);
                continue;
            }
            if (desired is null && observed.Count == 0 && !_children.ContainsKey(key))
            {
                continue;
            }
            _awaitingFirstSync.Add(key);
            ChildFor(key).Tell(new Desire(desired, _desired.Pools, _session, _generation, observed));
        }
        CompleteFirstSyncIfDone();
    }

    private void ReportUnlistedPool(string key, DesiredResource desired, DesiredPool pool, string error)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var id = _errorIds.Next();
        var message = $"Storage pool '{pool.Name}' could not be inspected, so resource '{desired.Name}' was not reconciled: {error}";
        var failure = new ObservedError(message, "The pool's backing store is missing or its tool failed.", "Fix the backing store; the agent lists the pool again on the next full generation or capacity refresh.", id, 1, now, null);
        _observed[key] = new ObservedResource(desired.Name, desired.DefinitionUuid, _session, _generation, false,
            [.. desired.Volumes.Select(v => new ObservedVolume(v.VolumeNumber, null, 0, 0, "Unknown", failure))], failure, now);
        _dirty.Add(key);
        _newErrorReports.Add(new AgentErrorReport(id, _settings.NodeName, now, message, failure.Cause, failure.Correction, error));
        _outcomes.Add(new ResourceOutcome(desired.Name, false, message));
    }

    private void OnDelta(DesiredDelta delta)
    {
        if (delta.Session != _session || delta.Generation != _generation + 1)
        {
            Sender.Tell(new ResyncRequest(_settings.NodeName, _incarnation, _session, _generation, _maxOffset,
                delta.Session != _session ? "a delta of another session" : $"generation {delta.Generation} after {_generation}"));
            return;
        }
        _syncEntity = Sender;
        _generation = delta.Generation;
        _maxOffset = Math.Max(_maxOffset, delta.JournalOffset);
        _desired = DesiredStateRules.Apply(_desired, delta.Change);
        var touched = delta.Change.ResourceUpserts.Select(r => Names.Key(r.Name)).Concat(delta.Change.ResourceRemovals).ToHashSet(StringComparer.Ordinal);
        if (!delta.Change.PoolUpserts.IsEmpty || !delta.Change.PoolRemovals.IsEmpty)
        {
            // Pool props or kinds changed: every resource re-plans against the new pools.
            touched.UnionWith(_children.Keys);
            InspectPools(delta.Change.PoolUpserts.ToList());
        }
        foreach (var key in touched)
        {
            _desired.Resources.TryGetValue(key, out var desired);
            if (desired is null && !_children.ContainsKey(key))
            {
                if (_observed.Remove(key))
                {
                    _dirty.Add(key);
                }
                continue;
            }
            // A resource new to this agent has no volumes yet: every volume found at the last full
            // listing went to a resource actor, and only resource actors create volumes.
            var fresh = !_children.ContainsKey(key);
            ChildFor(key).Tell(new Desire(desired, _desired.Pools, _session, _generation, fresh ? [] : null));
        }
    }

    private IActorRef ChildFor(string key)
    {
        if (!_children.TryGetValue(key, out var child))
        {
            child = Context.ActorOf(ResourceAgentActor.PropsFor(key, _settings.NodeName, _settings, _gate, _errorIds));
            Context.Watch(child);
            _children[key] = child;
            TellDrbd(key, child);
        }
        return child;
    }

    private void OnResourceReport(ResourceReport report)
    {
        if (report.Observed is null)
        {
            _children.Remove(report.Key);
            if (_observed.Remove(report.Key))
            {
                _dirty.Add(report.Key);
            }
            if (_desired.Resources.TryGetValue(report.Key, out var again))
            {
                // Desired again while its actor was finishing the removal: that actor stopped and
                // dropped the new desire, so a fresh one takes it (with nothing left on disk).
                ChildFor(report.Key).Tell(new Desire(again, _desired.Pools, _session, _generation, []));
            }
        }
        else
        {
            _observed[report.Key] = report.Observed;
            _dirty.Add(report.Key);
        }
        if (report.NewErrorReport is not null)
        {
            _newErrorReports.Add(report.NewErrorReport);
        }
        _outcomes.Add(report.Outcome);
        if (report.Mutated)
        {
            Timers.StartSingleTimer("capacity-after-change", RefreshCapacity.Instance, TimeSpan.FromMilliseconds(500));
        }
        if (report.Session == _session && _awaitingFirstSync.Remove(report.Key))
        {
            CompleteFirstSyncIfDone();
        }
    }

    private void CompleteFirstSyncIfDone()
    {
        if (_awaitingFirstSync.Count > 0 || _synced)
        {
            return;
        }
        _synced = true;
        FlushObservations();
        _log.Info("Node {0}: first sync complete ({1} resource(s))", _settings.NodeName, _observed.Count);
        SendHeartbeat();
    }

    private void FlushObservations()
    {
        if (_outcomes.Count > 0 && !_syncEntity.IsNobody())
        {
            _syncEntity.Tell(new ResourcesApplied(_settings.NodeName, _incarnation, _session, _generation, [.. _outcomes]), Self);
        }
        _outcomes.Clear();
        if (_dirty.Count == 0 && _newErrorReports.Count == 0)
        {
            return;
        }
        var upserts = _dirty.Where(_observed.ContainsKey).Select(k => _observed[k]).ToImmutableList();
        var removals = _dirty.Where(k => !_observed.ContainsKey(k)).ToImmutableList();
        var baseVersion = _observedVersion;
        _observedVersion++;
        _link.Publish(new NodeObservations(_settings.NodeName, _incarnation, _observedVersion, baseVersion, false, upserts, removals, [.. _newErrorReports]));
        _dirty.Clear();
        _newErrorReports.Clear();
    }

    private void InspectPools(IReadOnlyList<DesiredPool> pools)
    {
        if (pools.Count == 0)
        {
            return;
        }
        ReadCapacities(pools).PipeTo(Self);
    }

    private async Task<CapacitiesRead> ReadCapacities(IReadOnlyList<DesiredPool> pools)
    {
        var read = new List<PoolCapacity>();
        var failed = new List<string>();
        foreach (var pool in pools)
        {
            try
            {
                using var timeout = new CancellationTokenSource(_settings.EffectiveStepTimeout);
                var usage = await _settings.Providers(pool.Kind).InspectPoolAsync(AgentPools.SpecOf(pool), timeout.Token).ConfigureAwait(false);
                read.Add(new PoolCapacity(pool.Name, pool.Kind.ToApi(), usage.FreeKiB, usage.TotalKiB));
            }
            catch (Exception ex)
            {
                failed.Add(Names.Key(pool.Name));
                _log.Warning("Node {0}: storage pool {1} could not be inspected: {2}", _settings.NodeName, pool.Name, ex.Message);
            }
        }
        return new CapacitiesRead(read, failed);
    }

    private async Task<PoolCheckResult> CheckPool(DesiredPool pool)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var usage = await _settings.Providers(pool.Kind).InspectPoolAsync(AgentPools.SpecOf(pool), timeout.Token).ConfigureAwait(false);
            return new PoolCheckResult(true, new PoolCapacity(pool.Name, pool.Kind.ToApi(), usage.FreeKiB, usage.TotalKiB), null, null, null);
        }
        catch (StorageException ex)
        {
            return new PoolCheckResult(false, null, ex.Message, ex.Cause, ex.Correction);
        }
        catch (Exception ex)
        {
            return new PoolCheckResult(false, null, $"Node '{_settings.NodeName}' cannot use storage pool '{pool.Name}': {ex.Message}", "The check of the backing store failed.", "Fix the backing store on the node and create the pool again.");
        }
    }

    private sealed record PoolListing(string Key, DesiredPool Pool, PoolUsage? Usage, IReadOnlyList<ProvidedVolume> Volumes, string? Error);

    private sealed record PoolsListed(Guid Session, long Generation, IReadOnlyList<PoolListing> Pools);

    private sealed record CapacitiesRead(IReadOnlyList<PoolCapacity> Capacities, IReadOnlyList<string> Failed);

    private sealed class Heartbeat
    {
        public static readonly Heartbeat Instance = new();
    }

    private sealed class Flush
    {
        public static readonly Flush Instance = new();
    }

    private sealed class RefreshCapacity
    {
        public static readonly RefreshCapacity Instance = new();
    }
}
