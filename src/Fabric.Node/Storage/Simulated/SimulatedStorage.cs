using System.Collections.Concurrent;

namespace Fabric.Node.Storage.Simulated;

/// <summary>
/// The in-memory storage of one simulated node: pools (created on first use, so a simulated
/// backing store is never missing) holding volumes with device paths <c>/dev/sim/&lt;pool&gt;/&lt;name&gt;</c>.
/// Thread-safe; shared by every <see cref="SimulatedProvider"/> of the node. Tests and benchmarks
/// inject failures and hangs here, and read how many operations ran and how many changed something.
/// </summary>
public sealed class SimulatedStorage
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Dictionary<string, SimulatedVolume>> _pools = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Injection> _injections = [];
    private readonly ConcurrentDictionary<SimulatedOperation, int> _calls = new();
    private int _mutations;

    /// <summary>
    /// Makes <paramref name="operation"/> fail with a StorageException carrying <paramref name="message"/>,
    /// for <paramref name="resourceName"/> only (case-insensitive; null for any, and for pool-level
    /// inspect/list), <paramref name="count"/> times (null for always).
    /// </summary>
    public void InjectFailure(SimulatedOperation operation, string? resourceName, int? count, string message)
    {
        if (count is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "count must be positive, or null for always");
        }
        lock (_gate)
        {
            _injections.Add(new Injection(operation, resourceName, count, message, Hang: false));
        }
    }

    /// <summary>Makes <paramref name="operation"/> (for <paramref name="resourceName"/>, or any) wait until its caller cancels; other operations are unaffected.</summary>
    public void InjectHang(SimulatedOperation operation, string? resourceName)
    {
        lock (_gate)
        {
            _injections.Add(new Injection(operation, resourceName, null, "", Hang: true));
        }
    }

    /// <summary>Removes every injected failure and hang.</summary>
    public void ClearInjections()
    {
        lock (_gate)
        {
            _injections.Clear();
        }
    }

    /// <summary>
    /// Who holds a device open (e.g. "DRBD minor 1000"), or null when nobody does: a held volume
    /// cannot be deleted, as lvremove refuses an open logical volume. Called without this storage's lock.
    /// </summary>
    public Func<string, string?>? HeldBy { get; set; }

    /// <summary>Told the device path of every deleted volume (what was on it is gone). Called without this storage's lock.</summary>
    public Action<string>? Deleted { get; set; }

    /// <summary>How many times <paramref name="operation"/> was called (including failed calls).</summary>
    public int Calls(SimulatedOperation operation) => _calls.GetValueOrDefault(operation);

    /// <summary>Operations that changed something: a volume created, grown, deleted or activated.</summary>
    public int Mutations => Volatile.Read(ref _mutations);

    /// <summary>The volumes of <paramref name="poolName"/> as the provider would list them.</summary>
    public IReadOnlyList<ProvidedVolume> Volumes(string poolName)
    {
        lock (_gate)
        {
            return _pools.TryGetValue(poolName, out var volumes) ? [.. volumes.Values.Select(v => v.ToProvided(poolName))] : [];
        }
    }

    /// <summary>Takes every block device away as a reboot would; volumes and their data stay.</summary>
    public void DeactivateAll()
    {
        lock (_gate)
        {
            foreach (var volume in _pools.Values.SelectMany(p => p.Values))
            {
                volume.Active = false;
            }
        }
    }

    /// <summary>Sets how much of a thin volume is written (its allocation); the volume must exist.</summary>
    public void SetAllocated(string poolName, VolumeId volume, long allocatedKiB)
    {
        lock (_gate)
        {
            Pool(poolName)[volume.StorageName].AllocatedKiB = allocatedKiB;
        }
    }

    /// <summary>Counts the call, waits the pool's latency, then applies prop-driven and injected failures and hangs.</summary>
    internal async Task BeforeAsync(PoolSpec pool, SimulatedOperation operation, string? resourceName, CancellationToken cancellationToken)
    {
        _calls.AddOrUpdate(operation, 1, (_, n) => n + 1);
        cancellationToken.ThrowIfCancellationRequested();
        var latency = SimulationProps.Latency(pool);
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
        }
        var failing = SimulationProps.Failing(pool);
        if (failing.Contains(operation) || (operation == SimulatedOperation.List && failing.Contains(SimulatedOperation.Inspect)))
        {
            throw new StorageException(
                $"Storage pool '{pool.Name}' (simulated): {operation.ToString().ToLowerInvariant()} failed because the property {SimulationProps.Fail} = '{pool.Props[SimulationProps.Fail]}' says so",
                $"The pool's property {SimulationProps.Fail} asks the simulated provider to fail these operations.",
                $"Delete the property {SimulationProps.Fail} of storage pool '{pool.Name}' (or remove '{operation.ToString().ToLowerInvariant()}' from it).");
        }
        var injection = TakeInjection(operation, resourceName);
        if (injection is { Hang: true })
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        else if (injection is not null)
        {
            throw new StorageException(
                injection.Message,
                $"A failure of {operation.ToString().ToLowerInvariant()} was injected into the simulated storage.",
                "Clear the injected failures (SimulatedStorage.ClearInjections).");
        }
    }

    /// <summary>Runs <paramref name="change"/> on the pool's volumes under the storage's lock.</summary>
    internal T Locked<T>(string poolName, Func<Dictionary<string, SimulatedVolume>, T> change)
    {
        lock (_gate)
        {
            return change(Pool(poolName));
        }
    }

    internal void CountMutation() => Interlocked.Increment(ref _mutations);

    private Injection? TakeInjection(SimulatedOperation operation, string? resourceName)
    {
        lock (_gate)
        {
            var index = _injections.FindIndex(i => i.Operation == operation
                && (i.ResourceName is null || string.Equals(i.ResourceName, resourceName, StringComparison.OrdinalIgnoreCase)));
            if (index < 0)
            {
                return null;
            }
            var injection = _injections[index];
            if (injection.Remaining is { } remaining)
            {
                if (remaining <= 1)
                {
                    _injections.RemoveAt(index);
                }
                else
                {
                    _injections[index] = injection with { Remaining = remaining - 1 };
                }
            }
            return injection;
        }
    }

    private Dictionary<string, SimulatedVolume> Pool(string poolName)
    {
        if (!_pools.TryGetValue(poolName, out var volumes))
        {
            volumes = new Dictionary<string, SimulatedVolume>(StringComparer.Ordinal);
            _pools[poolName] = volumes;
        }
        return volumes;
    }

    private sealed record Injection(SimulatedOperation Operation, string? ResourceName, int? Remaining, string Message, bool Hang);
}

/// <summary>One simulated volume; mutable, guarded by its <see cref="SimulatedStorage"/>'s lock.</summary>
internal sealed class SimulatedVolume(VolumeId id, long sizeKiB, long allocatedKiB)
{
    public VolumeId Id { get; } = id;

    public long SizeKiB { get; set; } = sizeKiB;

    public long AllocatedKiB { get; set; } = allocatedKiB;

    public bool Active { get; set; } = true;

    public ProvidedVolume ToProvided(string poolName) =>
        new(Id, Active ? DevicePath(poolName, Id) : null, SizeKiB, AllocatedKiB);

    public static string DevicePath(string poolName, VolumeId id) => $"/dev/sim/{poolName}/{id.StorageName}";
}
