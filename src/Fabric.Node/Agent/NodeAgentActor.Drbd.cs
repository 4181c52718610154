using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Fabric.Core.Naming;
using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.State;

namespace Fabric.Node.Agent;

/// <summary>
/// The node's DRBD driver: opened at start, its state followed through one event subscription and
/// folded by <see cref="DrbdStateMachine"/>; every resource actor gets its resource's part. If the
/// driver cannot be opened (no module), DRBD resources report why and the agent tries again.
/// While a resync runs, the driver's state is dumped every <see cref="ResyncPollInterval"/> for the
/// resync's counters (<see cref="DrbdResyncProgress"/>): DRBD 8.4 sends no progress events.
/// </summary>
public sealed partial class NodeAgentActor
{
    private static readonly TimeSpan DrbdReopenInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ResyncPollInterval = TimeSpan.FromSeconds(2);
    private const string ResyncPollTimer = "drbd-resync-poll";

    private DrbdDriver? _drbd;
    private string? _drbdUnavailable;
    private IAsyncDisposable? _drbdSubscription;
    private DrbdHostState _drbdState = DrbdHostState.Empty;
    private bool _resyncPollRunning;

    private void DrbdMessages()
    {
        Receive<DrbdOpened>(opened =>
        {
            _drbd = opened.Driver;
            _drbdSubscription = opened.Subscription;
            _drbdUnavailable = null;
            _log.Info("Node {0}: DRBD driver {1} (API {2}) open", _settings.NodeName, opened.Driver.Kernel.Info.Version, (int)opened.Driver.Kernel.Info.Api);
        });
        Receive<DrbdOpenFailed>(failed =>
        {
            _drbdUnavailable = failed.Reason;
            _log.Warning("Node {0}: DRBD is not available: {1}", _settings.NodeName, failed.Reason);
            TellDrbdAll();
            Timers.StartSingleTimer("drbd-reopen", DrbdReopen.Instance, DrbdReopenInterval);
        });
        Receive<DrbdReopen>(_ => OpenDrbd());
        Receive<DrbdBatchArrived>(arrived =>
        {
            var before = _drbdState;
            _drbdState = DrbdStateMachine.Apply(_drbdState, arrived.Batch);
            var touched = arrived.Batch.IsInitialState
                ? before.Resources.Keys.Concat(_drbdState.Resources.Keys).Select(Names.Key).Concat(_children.Keys).ToHashSet(StringComparer.Ordinal)
                : DrbdStateMachine.TouchedResources(before, arrived.Batch).Select(Names.Key).ToHashSet(StringComparer.Ordinal);
            TellDrbdTouched(touched);
            ScheduleResyncPoll();
        });
        Receive<DrbdResyncPoll>(_ => PollResync());
        Receive<DrbdResyncPolled>(polled =>
        {
            _resyncPollRunning = false;
            if (polled.Driver == _drbd && polled.Dump is { } dump)
            {
                var (merged, changed) = DrbdResyncProgress.Merge(_drbdState, dump);
                _drbdState = merged;
                TellDrbdTouched(changed.Select(Names.Key).ToHashSet(StringComparer.Ordinal));
            }
            else if (polled.Failure is { } failure)
            {
                _log.Debug("Node {0}: polling DRBD for resync progress failed: {1}", _settings.NodeName, failure);
            }
            ScheduleResyncPoll();
        });
        Receive<DrbdStreamFailed>(failed =>
        {
            _log.Warning("Node {0}: the DRBD event stream ended: {1}; opening the driver again", _settings.NodeName, failed.Reason);
            CloseDrbd();
            _drbdUnavailable = "the DRBD event stream ended: " + failed.Reason;
            _drbdState = DrbdHostState.Empty;
            TellDrbdAll();
            Timers.StartSingleTimer("drbd-reopen", DrbdReopen.Instance, TimeSpan.FromSeconds(1));
        });
    }

    private void TellDrbdTouched(IReadOnlySet<string> keys)
    {
        foreach (var key in keys)
        {
            if (_children.TryGetValue(key, out var child))
            {
                TellDrbd(key, child);
            }
        }
    }

    private void ScheduleResyncPoll()
    {
        if (_drbd is not null && !_resyncPollRunning && !Timers.IsTimerActive(ResyncPollTimer) && DrbdResyncProgress.AnyRunning(_drbdState))
        {
            Timers.StartSingleTimer(ResyncPollTimer, DrbdResyncPoll.Instance, ResyncPollInterval);
        }
    }

    private void PollResync()
    {
        if (_drbd is not { } driver || _resyncPollRunning || !DrbdResyncProgress.AnyRunning(_drbdState))
        {
            return;
        }
        _resyncPollRunning = true;
        DumpForProgress(driver).PipeTo(Self);
    }

    private static async Task<DrbdResyncPolled> DumpForProgress(DrbdDriver driver)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            return new DrbdResyncPolled(driver, await driver.Kernel.DumpStateAsync(timeout.Token).ConfigureAwait(false), null);
        }
        catch (Exception ex)
        {
            return new DrbdResyncPolled(driver, null, ex.Message);
        }
    }

    private ImmutableList<string> SupportedLayers() => _drbd is null ? ["STORAGE"] : ["DRBD", "STORAGE"];

    private void OpenDrbd()
    {
        if (_settings.Drbd is not { } factory)
        {
            _drbdUnavailable = "this node agent runs without a DRBD driver";
            return;
        }
        var self = Self;
        OpenAndSubscribe(factory, self).PipeTo(self);
    }

    private static async Task<object> OpenAndSubscribe(DrbdDriverFactory factory, IActorRef self)
    {
        DrbdDriver driver;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            driver = await factory(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return new DrbdOpenFailed(ex.Message);
        }
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var subscription = await driver.Kernel.SubscribeAsync(
                batch => self.Tell(new DrbdBatchArrived(batch)),
                error => self.Tell(new DrbdStreamFailed(error.Message)),
                timeout.Token).ConfigureAwait(false);
            return new DrbdOpened(driver, subscription);
        }
        catch (Exception ex)
        {
            await driver.Kernel.DisposeAsync().ConfigureAwait(false);
            return new DrbdOpenFailed("following the DRBD driver's state failed: " + ex.Message);
        }
    }

    private void CloseDrbd()
    {
        var subscription = _drbdSubscription;
        var driver = _drbd;
        _drbdSubscription = null;
        _drbd = null;
        if (subscription is not null || driver is not null)
        {
            _ = Task.Run(async () =>
            {
                if (subscription is not null)
                {
                    await subscription.DisposeAsync().ConfigureAwait(false);
                }
                if (driver is not null)
                {
                    await driver.Kernel.DisposeAsync().ConfigureAwait(false);
                }
            });
        }
    }

    private void TellDrbd(string key, IActorRef child)
    {
        var observed = _drbdState.Resources.Values.FirstOrDefault(r => Names.Key(r.Name) == key);
        child.Tell(new DrbdUpdate(_drbd, _drbdUnavailable, observed, _drbd is not null && _drbdState.HasInitialState));
    }

    private void TellDrbdAll()
    {
        foreach (var (key, child) in _children)
        {
            TellDrbd(key, child);
        }
    }

    private sealed record DrbdOpened(DrbdDriver Driver, IAsyncDisposable Subscription);

    private sealed record DrbdOpenFailed(string Reason);

    private sealed record DrbdBatchArrived(DrbdEventBatch Batch);

    private sealed record DrbdStreamFailed(string Reason);

    private sealed class DrbdReopen
    {
        public static readonly DrbdReopen Instance = new();
    }

    private sealed record DrbdResyncPolled(DrbdDriver Driver, DrbdEventBatch? Dump, string? Failure);

    private sealed class DrbdResyncPoll
    {
        public static readonly DrbdResyncPoll Instance = new();
    }
}
