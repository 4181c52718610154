using System.Collections.Immutable;
using Fabric.Core.Protocol;
using Fabric.Core.Runtime;

namespace Fabric.Bench.Hosting;

/// <summary>
/// Stand-ins for the node agents of many nodes: one timer publishes a <see cref="NodeAgentReport"/>
/// for every node through <see cref="FabricSystem.PublishNodeReport"/> each heartbeat, so the nodes
/// count as online for placement. Every node reports the same pool with fixed capacity.
/// </summary>
public sealed class SimulatedAgents : IAsyncDisposable
{
    private readonly FabricSystem _fabric;
    private readonly IReadOnlyList<string> _nodes;
    private readonly ImmutableList<PoolCapacity> _pools;
    private readonly Guid[] _incarnations;
    private readonly CancellationTokenSource _cts = new();
    private readonly Task _loop;
    private long _sequence;
    private int _disposed;

    public SimulatedAgents(FabricSystem fabric, IReadOnlyList<string> nodes, string poolName, string providerKind, long freeKiB, long totalKiB, TimeSpan? heartbeat = null)
    {
        _fabric = fabric;
        _nodes = nodes;
        _pools = [new PoolCapacity(poolName, providerKind, freeKiB, totalKiB)];
        _incarnations = nodes.Select(_ => Guid.NewGuid()).ToArray();
        var interval = heartbeat ?? fabric.Settings.NodeHeartbeatInterval;
        _loop = Task.Run(() => LoopAsync(interval));
    }

    public long ReportsSent => Interlocked.Read(ref _sequence) * _nodes.Count;

    /// <summary>Waits until the host's node-status board shows every node online.</summary>
    public async Task WaitAllOnlineAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var offline = _nodes.Where(n => !_fabric.NodeStatus.IsOnline(n)).ToList();
            if (offline.Count == 0)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{offline.Count} simulated nodes not online within {timeout}, e.g. {string.Join(", ", offline.Take(5))}.");
            }
            await Task.Delay(50);
        }
    }

    private async Task LoopAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            var sequence = Interlocked.Increment(ref _sequence);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            for (var i = 0; i < _nodes.Count; i++)
            {
                _fabric.PublishNodeReport(new NodeAgentReport(_nodes[i], _incarnations[i], sequence, now, _pools, ["DRBD", "STORAGE"], ["DISKLESS", "FILE", "FILE_THIN", "LVM", "LVM_THIN", "ZFS", "ZFS_THIN"]));
            }
        }
        while (await timer.WaitForNextTickAsync(_cts.Token).ConfigureAwait(false));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
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
