using System.Collections.Immutable;
using Akka.Actor;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Naming;
using Fabric.Core.Protocol;
using Fabric.Node.Agent.Drbd;
using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Config;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Planning;
using Fabric.Node.Drbd.Quorum;
using Fabric.Node.Drbd.State;
using Fabric.Node.Reconcile;

namespace Fabric.Node.Agent;

/// <summary>The DRBD layer of a resource: planned from the driver's last reported state, run after the storage layer builds up and before it tears down.</summary>
internal sealed partial class ResourceAgentActor
{
    /// <summary>A DRBD step after which the storage layer may remove the backing device.</summary>
    private static bool ReleasesBackingDevice(DrbdStep step) => step is DetachStep or DeleteMinorStep;

    private static readonly TimeSpan DrbdSettleTime = TimeSpan.FromSeconds(1);

    private DrbdDriver? _drbd;
    private string? _drbdUnavailable;
    private DrbdObservedResource? _kernel;
    private bool _drbdReady;
    private DrbdAppliedOptions _drbdApplied = DrbdAppliedOptions.None;
    private bool _drbdSettling;

    private void OnDrbdUpdate(DrbdUpdate update)
    {
        var wasReady = _drbdReady && _drbd is not null;
        _drbd = update.Driver;
        _drbdUnavailable = update.Unavailable;
        _kernel = update.Observed;
        _drbdReady = update.HasInitialState;
        if (!wasReady && _drbd is not null)
        {
            // A (re)opened driver: options are not visible in events, so set them once more.
            _drbdApplied = DrbdAppliedOptions.None;
        }
        if (_desired is not { HasDrbd: true } && _kernel is null)
        {
            return;
        }
        _drbdSettling = false;
        Timers.Cancel("drbd-settle");
        if (_running)
        {
            _dirty = true;
            return;
        }
        if (Timers.IsTimerActive("retry"))
        {
            // A failed step waits for its back-off, but what REST shows follows the driver at once.
            Report();
            return;
        }
        Run();
    }

    /// <summary>The DRBD steps this resource needs now, or why none can run; with the configuration they were planned from (none when the replica goes).</summary>
    private (IReadOnlyList<DrbdStep> Steps, Failure? Failure, DrbdResourceConfig? Config) PlanDrbd()
    {
        if (_desired is not { HasDrbd: true } desired)
        {
            return _kernel is not null && _drbd is not null ? ([new DownStep(_kernel.Name)], null, null) : ([], null, null);
        }
        if (_drbd is null)
        {
            return ([], new Failure(
                $"Resource '{desired.Name}' needs DRBD, which is not available on node '{_nodeName}': {_drbdUnavailable ?? "the driver is not open yet"}",
                "The node's DRBD driver could not be opened.",
                "Load the DRBD kernel module (modprobe drbd) or place the resource on a node with DRBD; the agent tries to open the driver again every 30 s.",
                null,
                null), null);
        }
        if (!_drbdReady || _drbdSettling)
        {
            return ([], null, null);
        }
        var backing = new Dictionary<int, string?>();
        var poolKey = Names.Key(desired.StoragePool);
        foreach (var volume in desired.Volumes)
        {
            backing[volume.VolumeNumber] = _observed.TryGetValue((poolKey, volume.VolumeNumber), out var found) ? found.Volume.DevicePath : null;
        }
        if (!desired.Diskless && backing.Values.Any(b => b is null))
        {
            return ([], null, null); // the storage layer has not made every backing device yet
        }
        var built = DrbdConfigBuilder.Build(desired, _nodeName, backing);
        if (!built.Succeeded)
        {
            return ([], new Failure(built.Error!.Message, built.Error.Cause, built.Error.Correction, null, null), null);
        }
        var plan = DrbdPlanner.Plan(built.Value, DrbdKernelViews.Of(_kernel), new DrbdPlanContext(_drbd.Kernel.Info.Api, _drbdApplied, IsThin(desired)));
        if (plan.Problem is { } problem)
        {
            return ([], new Failure(problem.Message, problem.Cause, problem.Correction, null, null), null);
        }
        return (plan.Steps, null, built.Value);
    }

    private bool IsThin(DesiredResource desired) =>
        _pools.TryGetValue(Names.Key(desired.StoragePool), out var pool) && pool.Kind is ProviderKind.LvmThin or ProviderKind.ZfsThin or ProviderKind.FileThin;

    private void StartDrbd(IReadOnlyList<DrbdStep> steps, DrbdResourceConfig? config)
    {
        _running = true;
        ExecuteDrbd(steps, _drbd!, config, _drbdApplied, _stopping.Token).PipeTo(Self);
    }

    private async Task<RunDone> ExecuteDrbd(IReadOnlyList<DrbdStep> steps, DrbdDriver driver, DrbdResourceConfig? config, DrbdAppliedOptions known, CancellationToken stopping)
    {
        var applied = false;
        var options = new DrbdOptionsRun(driver, known);
        if (config is not null && driver.ResFiles is { } files)
        {
            try
            {
                // Before the driver acts: its user-mode helper (drbdadm) looks the resource up there.
                files.Write(config, driver.Kernel.Info.Api);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                return new RunDone(null, new Failure(
                    $"Could not write the DRBD configuration of resource '{config.Name}' on node '{_nodeName}' ({files.PathOf(config.Name)}): {ex.Message}",
                    "DRBD's user-mode helper (drbdadm, called by the kernel before a resync and on fencing) needs the resource's .res file; without it DRBD 8.4 drops the connection before every resync.",
                    "Make the directory writable for the agent (--drbd-res-dir), or fix what the message names; the agent retries with back-off.",
                    null,
                    ex.ToString(),
                    Retry: true), false, Drbd: true);
            }
        }
        foreach (var step in steps)
        {
            try
            {
                await _gate.WaitAsync(stopping).ConfigureAwait(false);
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    timeout.CancelAfter(_settings.EffectiveStepTimeout);
                    await DrbdStepRunner.RunAsync(step, driver, timeout.Token).ConfigureAwait(false);
                    if (step is DownStep down)
                    {
                        driver.ResFiles?.Delete(down.Resource);
                    }
                    applied = true;
                    options = options with { Applied = options.Applied.After(step) };
                }
                finally
                {
                    _gate.Release();
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return new RunDone(null, null, applied, Drbd: true, Options: options);
            }
            catch (Exception ex)
            {
                return new RunDone(null, DrbdFailureOf(step, ex), applied, Drbd: true, Options: options);
            }
        }
        return new RunDone(null, null, applied, Drbd: true, Options: options);
    }

    /// <summary>Tells the parent what this resource looks like now, without a new attempt.</summary>
    private void Report()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var outcome = new ResourceOutcome(_name, _error is null, _error?.Message);
        Context.Parent.Tell(new ResourceReport(_key, Observe(now), outcome, null, false, _session, _generation));
    }

    private Failure DrbdFailureOf(DrbdStep step, Exception ex) => ex switch
    {
        DrbdKernelException k => new Failure(
            $"Could not {step.Describe()} on node '{_nodeName}': {k.Message}",
            k.IsNoQuorum ? "The resource has no quorum on this node." : "The DRBD driver refused the request.",
            "Check the DRBD state of the resource on the node (drbd-config, the kernel log); the agent retries with back-off.",
            null,
            ex.ToString(),
            Retry: true),
        OperationCanceledException => new Failure(
            $"Could not {step.Describe()} on node '{_nodeName}': it did not finish within {_settings.EffectiveStepTimeout.TotalSeconds:0} s.",
            "The DRBD driver or drbdmeta hung.",
            "Check the node's DRBD and its backing devices; the agent retries with back-off.",
            null,
            ex.ToString(),
            Retry: true),
        _ => new Failure($"Could not {step.Describe()} on node '{_nodeName}': {ex.Message}", ex.GetType().Name, "See the error report; the agent retries with back-off.", null, ex.ToString(), Retry: true),
    };

    private ObservedResource ObserveDrbd(long now)
    {
        var desired = _desired!;
        var status = _kernel is null ? null : DrbdStatusRules.Status(_kernel);
        var poolKey = Names.Key(desired.StoragePool);
        var volumes = ImmutableList.CreateBuilder<ObservedVolume>();
        foreach (var volume in desired.Volumes)
        {
            // A replica toggled into diskless still has its backing volume (in its former pool) until the
            // storage layer deletes it: report it until then.
            VolumeObservation? backing = _observed.TryGetValue((poolKey, volume.VolumeNumber), out var o) ? o
                : desired.Diskless ? _observed.Values.FirstOrDefault(v => v.Volume.Id.VolumeNumber == volume.VolumeNumber)
                : null;
            var failing = _error is not null && (_failedVolume is null || _failedVolume == (poolKey, volume.VolumeNumber) || _failedVolume == (backing?.PoolKey ?? poolKey, volume.VolumeNumber));
            volumes.Add(DrbdObservations.Volume(desired, volume, backing, status, failing ? _error : null));
        }
        var quorum = QuorumOf(desired);
        var drbd = DrbdObservations.Resource(desired, _kernel, status, quorum, _drbd?.Kernel.Info.Version ?? "unavailable");
        var inPlace = _error is null && Reconciler.Plan(_name, _desired, _pools, _observed.Values).InPlace && _drbd is not null && _drbdReady && PlanDrbd().Steps.Count == 0;
        return new ObservedResource(_name, desired.DefinitionUuid, _session, _generation, inPlace, volumes.ToImmutable(), _error, now, drbd);
    }

    private static DrbdQuorumSettings QuorumOf(DesiredResource desired)
    {
        var options = desired.Drbd?.Options;
        var quorum = options is not null && options.TryGetValue("DrbdOptions/Resource/quorum", out var q) && DrbdQuorum.TryParse(q, out var parsed) ? parsed : DrbdQuorum.Off;
        var redundancy = options is not null && options.TryGetValue("DrbdOptions/Resource/quorum-minimum-redundancy", out var r) && DrbdQuorum.TryParse(r, out var red) ? red : DrbdQuorum.Off;
        return new DrbdQuorumSettings(quorum, redundancy);
    }

    private sealed class DrbdSettled
    {
        public static readonly DrbdSettled Instance = new();
    }
}
