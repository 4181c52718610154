using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Simulated;

/// <summary>
/// The simulated node's DRBD meta-data, keyed by device path (the backing device for internal
/// meta-data): what <c>drbdmeta create-md</c> writes and what survives a power cycle — the data
/// generation, the persisted disk state and one bitmap slot per peer. Also knows the sizes of the
/// backing devices: set with <see cref="SetDeviceSize"/>, else asked of <see cref="DeviceSizeResolver"/>
/// (e.g. the simulated storage provider's volumes), else the network's default size.
/// Thread-safe; shares the network's lock.
/// </summary>
public sealed class SimulatedDrbdMetadata : IDrbdMetadata
{
    private readonly object _gate;
    private readonly long _defaultSizeKiB;
    private readonly Dictionary<string, SimulatedMetadataRecord> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _sizes = new(StringComparer.Ordinal);

    internal SimulatedDrbdMetadata(object gate, long defaultSizeKiB)
    {
        _gate = gate;
        _defaultSizeKiB = defaultSizeKiB;
    }

    /// <summary>
    /// Looks up the size in KiB of a backing device the store was not told about; null when unknown.
    /// Called under the network's lock: it must not call back into the network.
    /// </summary>
    public Func<string, long?>? DeviceSizeResolver { get; set; }

    /// <summary>Tells the store how big a backing device is (what the storage layer created).</summary>
    public void SetDeviceSize(string device, long sizeKiB)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeKiB);
        lock (_gate)
        {
            _sizes[device] = sizeKiB;
        }
    }

    public long DeviceSize(string device)
    {
        lock (_gate)
        {
            return SizeOf(device);
        }
    }

    /// <summary>The simulation has no activity log: nothing to replay.</summary>
    public Task ApplyActivityLogAsync(int minor, string device, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> HasMetadataAsync(int minor, string device, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_records.ContainsKey(device));
        }
    }

    public Task CreateMetadataAsync(int minor, string device, int peerSlots, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(peerSlots);
        lock (_gate)
        {
            if (_records.TryGetValue(device, out var existing) && existing.AttachedMinor is { } attached)
            {
                throw new InvalidOperationException(
                    $"Cannot create DRBD meta-data on {device}: it is attached to minor {attached} (drbdmeta: device is configured). Detach the minor first.");
            }
            _records[device] = new SimulatedMetadataRecord(device, peerSlots);
        }
        return Task.CompletedTask;
    }

    /// <summary>Test hook: destroys the meta-data on <paramref name="device"/> (as wiping the device would).</summary>
    public void Wipe(string device)
    {
        lock (_gate)
        {
            _records.Remove(device);
        }
    }

    /// <summary>The minor whose disk <paramref name="device"/> is (DRBD holds it open), or null.</summary>
    public int? AttachedMinor(string device)
    {
        lock (_gate)
        {
            return _records.GetValueOrDefault(device)?.AttachedMinor;
        }
    }

    internal SimulatedMetadataRecord? Find(string device) => _records.GetValueOrDefault(device);

    internal long SizeOf(string device) =>
        _sizes.TryGetValue(device, out var size) ? size : DeviceSizeResolver?.Invoke(device) ?? _defaultSizeKiB;
}

/// <summary>One device's meta-data. Generation 0 is DRBD's UUID_JUST_CREATED: fresh meta-data that knows no data.</summary>
internal sealed class SimulatedMetadataRecord(string device, int peerSlots)
{
    public string Device { get; } = device;

    public int PeerSlots { get; } = peerSlots;

    /// <summary>The current data generation (DRBD's current UUID).</summary>
    public ulong Current { get; set; }

    /// <summary>Every earlier generation of this data (DRBD's history UUIDs, unbounded here).</summary>
    public HashSet<ulong> History { get; set; } = [];

    /// <summary>The disk state to come back with: Inconsistent, Outdated, Consistent or UpToDate.</summary>
    public DrbdDiskState Disk { get; set; } = DrbdDiskState.Inconsistent;

    /// <summary>While Inconsistent with a known generation: how much still has to be resynced.</summary>
    public long NeedsKiB { get; set; }

    public SortedDictionary<int, SimulatedPeerSlot> Slots { get; } = [];

    /// <summary>The minor this meta-data is attached to, if any.</summary>
    public int? AttachedMinor { get; set; }

    public bool Fresh => Current == 0;

    public SimulatedPeerSlot Slot(int peerNodeId)
    {
        if (!Slots.TryGetValue(peerNodeId, out var slot))
        {
            slot = new SimulatedPeerSlot();
            Slots[peerNodeId] = slot;
        }
        return slot;
    }

    /// <summary>True when <paramref name="other"/> is an older state of this data (or fresh meta-data).</summary>
    public bool IsNewerThan(SimulatedMetadataRecord other) => Current != other.Current && (other.Fresh || History.Contains(other.Current));

    public void Adopt(SimulatedMetadataRecord source)
    {
        Current = source.Current;
        History = [.. source.History];
    }

    public void StartGeneration(ulong generation)
    {
        if (!Fresh)
        {
            History.Add(Current);
        }
        Current = generation;
    }
}

/// <summary>What one node's meta-data remembers about a peer (DRBD's per-peer md flags and bitmap).</summary>
internal sealed class SimulatedPeerSlot
{
    /// <summary>MDF_PEER_DEVICE_SEEN: the peer was connected at least once.</summary>
    public bool Seen { get; set; }

    /// <summary>MDF_PEER_OUTDATED: the peer is known to be outdated.</summary>
    public bool Outdated { get; set; }

    /// <summary>The bitmap UUID: the generation both had when they were last in sync.</summary>
    public ulong BaseGeneration { get; set; }

    /// <summary>What was written since then and the peer lacks.</summary>
    public long OutOfSyncKiB { get; set; }
}
