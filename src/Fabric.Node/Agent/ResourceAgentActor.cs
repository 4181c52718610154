using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Fabric.Core.Protocol;
using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Planning;
using Fabric.Node.Process;
using Fabric.Node.Reconcile;
using Fabric.Node.Storage;

namespace Fabric.Node.Agent;

/// <summary>
/// Owns one resource on this node: plans with <see cref="Reconciler"/>, runs the steps off the actor
/// thread (bounded by the node's shared gate), retries failures with back-off, reports every
/// outcome to its parent. A hung or failing resource never holds up another one.
/// </summary>
internal sealed partial class ResourceAgentActor : ReceiveActor, IWithTimers
{
    private readonly string _key;
    private readonly string _nodeName;
    private readonly NodeAgentSettings _settings;
    private readonly SemaphoreSlim _gate;
    private readonly ErrorReportIds _errorIds;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stopping = new();
    private Dictionary<(string Pool, int Volume), VolumeObservation> _observed = [];
    private DesiredResource? _desired;
    private string _name;
    private ImmutableSortedDictionary<string, DesiredPool> _pools = ImmutableSortedDictionary<string, DesiredPool>.Empty;
    private Guid _session;
    private long _generation;
    private bool _running;
    private bool _dirty;
    private int _attempts;
    private ObservedError? _error;
    private (string Pool, int Volume)? _failedVolume;
    private long _errorSinceMs;

    public ResourceAgentActor(string key, string nodeName, NodeAgentSettings settings, SemaphoreSlim gate, ErrorReportIds errorIds)
    {
        _key = key;
        _name = key;
        _nodeName = nodeName;
        _settings = settings;
        _gate = gate;
        _errorIds = errorIds;
        Receive<Desire>(OnDesire);
        Receive<RunDone>(OnRunDone);
        Receive<DrbdUpdate>(OnDrbdUpdate);
        Receive<DrbdSettled>(_ =>
        {
            if (!_running && !Timers.IsTimerActive("retry"))
            {
                Run();
            }
        });
        Receive<Retry>(_ =>
        {
            if (!_running)
            {
                Run();
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props PropsFor(string key, string nodeName, NodeAgentSettings settings, SemaphoreSlim gate, ErrorReportIds errorIds) =>
        Props.Create(() => new ResourceAgentActor(key, nodeName, settings, gate, errorIds));

    protected override void PostStop()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void OnDesire(Desire desire)
    {
        _desired = desire.Desired;
        if (desire.Desired is not null)
        {
            _name = desire.Desired.Name;
        }
        _pools = desire.Pools;
        _session = desire.Session;
        _generation = desire.Generation;
        if (desire.Observed is not null)
        {
            _observed = desire.Observed.ToDictionary(o => (o.PoolKey, o.Volume.Id.VolumeNumber));
            if (desire.Observed.Count > 0 && desire.Desired is null)
            {
                _name = desire.Observed[0].Volume.Id.ResourceName;
            }
        }
        // A new desire is a new chance: retry at once instead of waiting for the back-off.
        _attempts = 0;
        Timers.Cancel("retry");
        if (_running)
        {
            _dirty = true;
        }
        else
        {
            Run();
        }
    }

    private void Run()
    {
        var storage = Reconciler.Plan(_name, _desired, _pools, _observed.Values);
        var drbd = PlanDrbd();
        // Tearing down (the resource, a volume, or its disk when it turns diskless), DRBD lets go of the
        // backing devices before the storage layer removes them; building up, the storage layer makes
        // them before DRBD attaches.
        var drbdFirst = _desired is null || !_desired.HasDrbd || drbd.Steps.Any(ReleasesBackingDevice);
        if (drbdFirst && drbd.Steps.Count > 0)
        {
            StartDrbd(drbd.Steps, drbd.Config);
            return;
        }
        if (storage.Steps.Count > 0)
        {
            _running = true;
            var pools = _pools;
            var observed = new Dictionary<(string, int), VolumeObservation>(_observed);
            Execute(storage.Steps, pools, observed, _stopping.Token).PipeTo(Self);
            return;
        }
        if (storage.Problem is { } p)
        {
            Finish(mutated: false, new Failure(p.Message, p.Cause, p.Correction, null, null));
            return;
        }
        if (drbd.Steps.Count > 0)
        {
            StartDrbd(drbd.Steps, drbd.Config);
            return;
        }
        Finish(mutated: false, drbd.Failure);
    }

    private async Task<RunDone> Execute(
        IReadOnlyList<ReconcileStep> steps,
        ImmutableSortedDictionary<string, DesiredPool> pools,
        Dictionary<(string, int), VolumeObservation> observed,
        CancellationToken stopping)
    {
        foreach (var step in steps)
        {
            var slot = (step.PoolKey, step.Volume.VolumeNumber);
            try
            {
                var pool = pools.TryGetValue(step.PoolKey, out var p)
                    ? AgentPools.SpecOf(p)
                    : observed.TryGetValue(slot, out var o) ? throw new StorageException(
                        $"Volume {step.Volume.StorageName} is in pool '{o.PoolKey}', which this node no longer serves.",
                        "The pool was deleted while it still held a Fabric volume.",
                        "Recreate the pool so the agent can delete the volume, or remove it by hand.")
                    : throw new InvalidOperationException($"No pool {step.PoolKey}");
                var provider = _settings.Providers(pool.Kind);
                await _gate.WaitAsync(stopping).ConfigureAwait(false);
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    timeout.CancelAfter(_settings.EffectiveStepTimeout);
                    try
                    {
                        switch (step)
                        {
                            case CreateVolumeStep create:
                                observed[slot] = new VolumeObservation(step.PoolKey, await provider.CreateVolumeAsync(pool, create.Volume, create.SizeKiB, timeout.Token).ConfigureAwait(false));
                                break;
                            case ActivateVolumeStep activate:
                                observed[slot] = new VolumeObservation(step.PoolKey, await provider.ActivateVolumeAsync(pool, activate.Volume, timeout.Token).ConfigureAwait(false));
                                break;
                            case ResizeVolumeStep resize:
                                observed[slot] = new VolumeObservation(step.PoolKey, await provider.ResizeVolumeAsync(pool, resize.Volume, resize.SizeKiB, timeout.Token).ConfigureAwait(false));
                                break;
                            case DeleteVolumeStep delete:
                                await provider.DeleteVolumeAsync(pool, delete.Volume, timeout.Token).ConfigureAwait(false);
                                observed.Remove(slot);
                                break;
                        }
                    }
                    catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                    {
                        throw new StorageException(
                            $"Could not {step.Describe(pools.TryGetValue(step.PoolKey, out var named) ? named.Name : step.PoolKey)}: it did not finish within {_settings.EffectiveStepTimeout.TotalSeconds:0} s and was cancelled.",
                            "A storage tool hung or the device is very slow.",
                            "Check the host's storage (locks, hung devices); the agent retries with back-off.");
                    }
                }
                finally
                {
                    _gate.Release();
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return new RunDone(observed, null, true);
            }
            catch (Exception ex)
            {
                return new RunDone(observed, FailureOf(step, pools.TryGetValue(step.PoolKey, out var named) ? named.Name : step.PoolKey, ex), true);
            }
        }
        return new RunDone(observed, null, true);
    }

    private static Failure FailureOf(ReconcileStep step, string poolName, Exception ex) => ex switch
    {
        StorageException s => new Failure($"Could not {step.Describe(poolName)}: {s.Message}", s.Cause, s.Correction, (step.PoolKey, step.Volume.VolumeNumber), ex.ToString()),
        CommandFailedException c => new Failure(
            $"Could not {step.Describe(poolName)}: {c.Message}",
            "An external storage tool failed.",
            "Check the tool's output above and the host's storage; the agent retries with back-off.",
            (step.PoolKey, step.Volume.VolumeNumber),
            ex.ToString()),
        _ => new Failure($"Could not {step.Describe(poolName)}: {ex.Message}", ex.GetType().Name, "See the error report; the agent retries with back-off.", (step.PoolKey, step.Volume.VolumeNumber), ex.ToString()),
    };

    private void OnRunDone(RunDone done)
    {
        _running = false;
        _observed = done.Observed ?? _observed;
        if (done.Options is { } options && options.Driver == _drbd)
        {
            _drbdApplied = options.Applied;
        }
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        if (_dirty)
        {
            _dirty = false;
            Run();
            return;
        }
        if (done.Failure is null && done.Drbd)
        {
            // The driver's notifications of what was just done arrive on their own: re-plan when they
            // come (DrbdUpdate), or after a moment if they do not.
            _drbdSettling = true;
            Timers.StartSingleTimer("drbd-settle", DrbdSettled.Instance, DrbdSettleTime);
            Finish(done.Mutated, null);
            return;
        }
        if (done.Failure is null && done.Mutated && _desired is { HasDrbd: true } && Reconciler.Plan(_name, _desired, _pools, _observed.Values).Steps.Count == 0)
        {
            // Storage is in place: the DRBD layer on top has its turn (or says why it cannot).
            Run();
            return;
        }
        Finish(done.Mutated, done.Failure);
    }

    private void Finish(bool mutated, Failure? failure)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        AgentErrorReport? report = null;
        if (failure is null)
        {
            _attempts = 0;
            _error = null;
            _failedVolume = null;
        }
        else
        {
            _attempts++;
            if (_error is null)
            {
                _errorSinceMs = now;
            }
            var retryable = failure.Volume is not null || failure.Retry;
            var backOff = _settings.BackOff(_attempts);
            var reportId = _errorIds.Next();
            _error = new ObservedError(failure.Message, failure.Cause, failure.Correction, reportId, _attempts, _errorSinceMs, retryable ? now + (long)backOff.TotalMilliseconds : null);
            _failedVolume = failure.Volume;
            report = new AgentErrorReport(reportId, _nodeName, now, failure.Message, failure.Cause, failure.Correction, failure.Details);
            if (retryable)
            {
                Timers.StartSingleTimer("retry", Retry.Instance, backOff);
            }
            _log.Warning("Resource {0} on {1}: {2} (attempt {3})", _name, _nodeName, failure.Message, _attempts);
        }
        var outcome = new ResourceOutcome(_name, failure is null, failure?.Message);
        if (_desired is null && _observed.Count == 0 && (_kernel is null || _drbd is null))
        {
            Context.Parent.Tell(new ResourceReport(_key, null, outcome, report, mutated, _session, _generation));
            Context.Stop(Self);
            return;
        }
        Context.Parent.Tell(new ResourceReport(_key, Observe(now), outcome, report, mutated, _session, _generation));
    }

    private ObservedResource Observe(long now)
    {
        if (_desired is { HasDrbd: true })
        {
            return ObserveDrbd(now);
        }
        var volumes = ImmutableList.CreateBuilder<ObservedVolume>();
        var poolKey = _desired is null ? null : Fabric.Core.Naming.Names.Key(_desired.StoragePool);
        foreach (var volume in _desired?.Volumes ?? [])
        {
            VolumeObservation? found = poolKey is not null && _observed.TryGetValue((poolKey, volume.VolumeNumber), out var o) ? o : null;
            var failing = _error is not null && (_failedVolume is null || _failedVolume == (poolKey!, volume.VolumeNumber));
            volumes.Add(new ObservedVolume(
                volume.VolumeNumber,
                found?.Volume.DevicePath,
                found?.Volume.UsableKiB ?? 0,
                found?.Volume.AllocatedKiB ?? 0,
                Reconciler.DiskState(_desired, volume, found, failing),
                failing ? _error : null));
        }
        var inPlace = _error is null && Reconciler.Plan(_name, _desired, _pools, _observed.Values).InPlace;
        return new ObservedResource(_name, _desired?.DefinitionUuid ?? Guid.Empty, _session, _generation, inPlace, volumes.ToImmutable(), _error, now);
    }

    /// <param name="Retry">Retried with back-off even without a failing volume (a DRBD step).</param>
    private sealed record Failure(string Message, string Cause, string Correction, (string Pool, int Volume)? Volume, string? Details, bool Retry = false);

    /// <param name="Observed">The storage volumes after the run; null when the run did not touch storage.</param>
    /// <param name="Drbd">The run called the DRBD driver.</param>
    /// <param name="Options">The DRBD options known to be set after the run's successful steps, and the driver they were set in.</param>
    private sealed record RunDone(Dictionary<(string Pool, int Volume), VolumeObservation>? Observed, Failure? Failure, bool Mutated, bool Drbd = false, DrbdOptionsRun? Options = null);

    private sealed record DrbdOptionsRun(DrbdDriver Driver, DrbdAppliedOptions Applied);

    private sealed class Retry
    {
        public static readonly Retry Instance = new();
    }
}
