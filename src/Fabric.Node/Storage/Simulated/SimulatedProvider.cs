using Fabric.Core.Aggregates.Nodes;

namespace Fabric.Node.Storage.Simulated;

/// <summary>
/// A provider that runs no external tool: it impersonates <see cref="Kind"/> over a
/// <see cref="SimulatedStorage"/>. Pools are thin or fat per their own kind: a fat volume reserves
/// its full size (create and grow fail when the pool lacks the space), a thin one allocates
/// nothing at create. Capacity, failures and latency follow <see cref="SimulationProps"/>.
/// </summary>
public sealed class SimulatedProvider(ProviderKind kind, SimulatedStorage storage) : IStorageProvider
{
    public ProviderKind Kind => kind;

    public async Task<PoolUsage> InspectPoolAsync(PoolSpec pool, CancellationToken cancellationToken)
    {
        await storage.BeforeAsync(pool, SimulatedOperation.Inspect, null, cancellationToken).ConfigureAwait(false);
        var capacity = SimulationProps.Capacity(pool);
        return storage.Locked(pool.Name, volumes => new PoolUsage(capacity, Free(capacity, volumes)));
    }

    public async Task<IReadOnlyList<ProvidedVolume>> ListVolumesAsync(PoolSpec pool, CancellationToken cancellationToken)
    {
        await storage.BeforeAsync(pool, SimulatedOperation.List, null, cancellationToken).ConfigureAwait(false);
        return storage.Volumes(pool.Name);
    }

    public async Task<ProvidedVolume> CreateVolumeAsync(PoolSpec pool, VolumeId volume, long sizeKiB, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeKiB);
        await storage.BeforeAsync(pool, SimulatedOperation.Create, volume.ResourceName, cancellationToken).ConfigureAwait(false);
        var capacity = SimulationProps.Capacity(pool);
        var thin = pool.Kind.IsThin();
        var created = storage.Locked(pool.Name, volumes =>
        {
            if (volumes.ContainsKey(volume.StorageName))
            {
                throw StorageErrors.VolumeExists(pool, volume, $"The simulated volume '{volume.StorageName}'");
            }
            if (!thin)
            {
                RequireFree(pool, volume, sizeKiB, Free(capacity, volumes));
            }
            var simulated = new SimulatedVolume(volume, sizeKiB, thin ? 0 : sizeKiB);
            volumes[volume.StorageName] = simulated;
            return simulated.ToProvided(pool.Name);
        });
        storage.CountMutation();
        return created;
    }

    public async Task<ProvidedVolume> ActivateVolumeAsync(PoolSpec pool, VolumeId volume, CancellationToken cancellationToken)
    {
        await storage.BeforeAsync(pool, SimulatedOperation.Activate, volume.ResourceName, cancellationToken).ConfigureAwait(false);
        var (result, changed) = storage.Locked(pool.Name, volumes =>
        {
            var simulated = Require(pool, volume, volumes);
            var wasActive = simulated.Active;
            simulated.Active = true;
            return (simulated.ToProvided(pool.Name), !wasActive);
        });
        if (changed)
        {
            storage.CountMutation();
        }
        return result;
    }

    public async Task<ProvidedVolume> ResizeVolumeAsync(PoolSpec pool, VolumeId volume, long sizeKiB, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeKiB);
        await storage.BeforeAsync(pool, SimulatedOperation.Resize, volume.ResourceName, cancellationToken).ConfigureAwait(false);
        var capacity = SimulationProps.Capacity(pool);
        var thin = pool.Kind.IsThin();
        var (result, changed) = storage.Locked(pool.Name, volumes =>
        {
            var simulated = Require(pool, volume, volumes);
            var grow = simulated.SizeKiB < sizeKiB;
            if (grow)
            {
                if (!thin)
                {
                    RequireFree(pool, volume, sizeKiB - simulated.SizeKiB, Free(capacity, volumes));
                    simulated.AllocatedKiB = sizeKiB;
                }
                simulated.SizeKiB = sizeKiB;
            }
            simulated.Active = true;
            return (simulated.ToProvided(pool.Name), grow);
        });
        if (changed)
        {
            storage.CountMutation();
        }
        return result;
    }

    public async Task DeleteVolumeAsync(PoolSpec pool, VolumeId volume, CancellationToken cancellationToken)
    {
        await storage.BeforeAsync(pool, SimulatedOperation.Delete, volume.ResourceName, cancellationToken).ConfigureAwait(false);
        var device = SimulatedVolume.DevicePath(pool.Name, volume);
        if (storage.HeldBy?.Invoke(device) is { } holder)
        {
            throw new StorageException(
                $"Storage pool '{pool.Name}' (simulated): volume '{volume.StorageName}' is in use by {holder}",
                $"{device} is held open ({holder}); an open volume cannot be removed.",
                "Release the device first (detach the DRBD disk), then delete the volume.");
        }
        if (storage.Locked(pool.Name, volumes => volumes.Remove(volume.StorageName)))
        {
            storage.CountMutation();
            storage.Deleted?.Invoke(device);
        }
    }

    private static long Free(long capacity, Dictionary<string, SimulatedVolume> volumes) =>
        Math.Max(0, capacity - volumes.Values.Sum(v => v.AllocatedKiB));

    private static SimulatedVolume Require(PoolSpec pool, VolumeId volume, Dictionary<string, SimulatedVolume> volumes) =>
        volumes.TryGetValue(volume.StorageName, out var simulated)
            ? simulated
            : throw StorageErrors.VolumeMissing(pool, volume, $"The simulated volume '{volume.StorageName}'");

    private static void RequireFree(PoolSpec pool, VolumeId volume, long neededKiB, long freeKiB)
    {
        if (neededKiB > freeKiB)
        {
            throw new StorageException(
                $"Storage pool '{pool.Name}' (simulated): not enough free space for volume '{volume.StorageName}'",
                $"{neededKiB} KiB are needed but only {freeKiB} KiB are free.",
                $"Delete volumes, or raise the pool's {SimulationProps.CapacityKiB}.");
        }
    }
}
