using System.Collections.Immutable;
using Fabric.Core.Naming;
using Fabric.Core.Protocol;
using Fabric.Core.Runtime;

namespace Fabric.Core.Tests.Infrastructure;

/// <summary>
/// A stand-in for the node agent: publishes <see cref="NodeAgentReport"/>s for one node through
/// <see cref="FabricSystem.PublishNodeReport"/> (the real protocol, never the board directly) every
/// heartbeat, from any role's FabricSystem. Pools are mutable between heartbeats.
/// </summary>
public sealed class FakeNodeAgent : IAsyncDisposable
{
    private readonly FabricSystem _fabric;
    private readonly TimeSpan _interval;
    private readonly Lock _gate = new();
    private ImmutableSortedDictionary<string, PoolCapacity> _pools = ImmutableSortedDictionary.Create<string, PoolCapacity>(StringComparer.Ordinal);
    private long _sequence;
    private bool _paused;
    private bool _stopped;
    private readonly CancellationTokenSource _cts = new();
    private readonly Task _loop;

    public FakeNodeAgent(FabricSystem fabric, string nodeName, TimeSpan? heartbeat = null)
    {
        _fabric = fabric;
        NodeName = nodeName;
        _interval = heartbeat ?? fabric.Settings.NodeHeartbeatInterval;
        _loop = Task.Run(LoopAsync);
    }

    public string NodeName { get; }

    public Guid Incarnation { get; private set; } = Guid.NewGuid();

    public long Sequence => Interlocked.Read(ref _sequence);

    public ImmutableList<string> SupportedLayers { get; set; } = ["DRBD", "STORAGE"];

    public ImmutableList<string> SupportedProviders { get; set; } = ["DISKLESS", "FILE", "FILE_THIN", "LVM", "LVM_THIN", "ZFS", "ZFS_THIN"];

    public FakeNodeAgent SetPool(string poolName, string providerKind, long freeKiB, long totalKiB)
    {
        lock (_gate)
        {
            _pools = _pools.SetItem(Names.Key(poolName), new PoolCapacity(poolName, providerKind, freeKiB, totalKiB));
        }
        return this;
    }

    public FakeNodeAgent RemovePool(string poolName)
    {
        lock (_gate)
        {
            _pools = _pools.Remove(Names.Key(poolName));
        }
        return this;
    }

    /// <summary>Stops heartbeats without a goodbye, as a crashed or partitioned agent would.</summary>
    public void Pause()
    {
        lock (_gate)
        {
            _paused = true;
        }
    }

    public void Resume()
    {
        lock (_gate)
        {
            _paused = false;
        }
    }

    /// <summary>Simulates an agent restart: a fresh incarnation whose sequence starts again at 1.</summary>
    public void Restart()
    {
        lock (_gate)
        {
            Incarnation = Guid.NewGuid();
            Interlocked.Exchange(ref _sequence, 0);
            _paused = false;
            _stopped = false;
        }
    }

    /// <summary>Publishes one report now (in addition to the heartbeat).</summary>
    public NodeAgentReport ReportNow()
    {
        lock (_gate)
        {
            return PublishLocked();
        }
    }

    // Publishing under the lock keeps reports and the goodbye in the order they were decided.
    private NodeAgentReport PublishLocked()
    {
        var report = new NodeAgentReport(
            NodeName,
            Incarnation,
            Interlocked.Increment(ref _sequence),
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            [.. _pools.Values],
            SupportedLayers,
            SupportedProviders);
        _fabric.PublishNodeReport(report);
        return report;
    }

    /// <summary>A clean stop: heartbeats end and a goodbye takes the node offline at once.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            _fabric.PublishNodeGoodbye(new NodeAgentGoodbye(NodeName, Incarnation));
        }
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        do
        {
            lock (_gate)
            {
                if (!_paused && !_stopped)
                {
                    PublishLocked();
                }
            }
        }
        while (await timer.WaitForNextTickAsync(_cts.Token).ConfigureAwait(false));
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _cts.Dispose();
    }
}

/// <summary>Waits for what a controller's <see cref="NodeStatusBoard"/> shows.</summary>
public static class NodeStatusWait
{
    public static Task<NodeLiveStatus> UntilOnlineAsync(FabricSystem controller, string nodeName, TimeSpan timeout) =>
        UntilAsync(controller, nodeName, s => s is { Online: true }, "online", timeout);

    public static Task<NodeLiveStatus> UntilOfflineAsync(FabricSystem controller, string nodeName, TimeSpan timeout) =>
        UntilAsync(controller, nodeName, s => s is { Online: false }, "offline", timeout);

    public static async Task<NodeLiveStatus> UntilAsync(FabricSystem controller, string nodeName, Func<NodeLiveStatus?, bool> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = controller.NodeStatus.Get(nodeName);
            if (condition(status))
            {
                return status!;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Node '{nodeName}' was not {what} on the board of {controller.System.Name}@{controller.Settings.ClusterPort} within {timeout}; last status: {status?.ToString() ?? "none"}.");
            }
            await Task.Delay(25);
        }
    }
}
