using Fabric.Core.Aggregates.Nodes;

namespace Fabric.Node.Storage;

/// <summary>
/// DISKLESS: a pool with no storage, used by diskless (client and tiebreaker) replicas. Like
/// LINSTOR's DisklessProvider it reports unlimited capacity and holds no volumes; create, resize
/// and activate are refused, delete has nothing to do.
/// </summary>
public sealed class DisklessProvider : IStorageProvider
{
    public ProviderKind Kind => ProviderKind.Diskless;

    public Task<PoolUsage> InspectPoolAsync(PoolSpec pool, CancellationToken cancellationToken) =>
        Task.FromResult(new PoolUsage(long.MaxValue, long.MaxValue));

    public Task<IReadOnlyList<ProvidedVolume>> ListVolumesAsync(PoolSpec pool, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProvidedVolume>>([]);

    public Task<ProvidedVolume> CreateVolumeAsync(PoolSpec pool, VolumeId volume, long sizeKiB, CancellationToken cancellationToken) =>
        Task.FromException<ProvidedVolume>(NoVolumes(pool, volume, "create"));

    public Task<ProvidedVolume> ActivateVolumeAsync(PoolSpec pool, VolumeId volume, CancellationToken cancellationToken) =>
        Task.FromException<ProvidedVolume>(NoVolumes(pool, volume, "activate"));

    public Task<ProvidedVolume> ResizeVolumeAsync(PoolSpec pool, VolumeId volume, long sizeKiB, CancellationToken cancellationToken) =>
        Task.FromException<ProvidedVolume>(NoVolumes(pool, volume, "resize"));

    public Task DeleteVolumeAsync(PoolSpec pool, VolumeId volume, CancellationToken cancellationToken) => Task.CompletedTask;

    private static StorageException NoVolumes(PoolSpec pool, VolumeId volume, string operation) => new(
        $"Storage pool '{pool.Name}' on this node is diskless: cannot {operation} volume '{volume.StorageName}'",
        "A DISKLESS pool holds no volumes; diskless replicas read and write over the network from their peers.",
        "Place diskful replicas in a pool with storage (LVM, LVM_THIN, ZFS, ZFS_THIN, FILE, FILE_THIN).");
}
