using Fabric.Core.Aggregates.Nodes;

namespace Fabric.Node.Storage;

/// <summary>
/// One kind of storage backend on this host (LVM, LVM_THIN, ZFS, ZFS_THIN, FILE, FILE_THIN,
/// DISKLESS, or the simulated provider). Every external tool runs through the command runner.
/// Providers hold no state of their own: the host's tools are the truth, listed in bulk.
/// Failures raise <see cref="StorageException"/> (or <c>CommandFailedException</c> from the runner).
/// </summary>
public interface IStorageProvider
{
    ProviderKind Kind { get; }

    /// <summary>
    /// Checks that the pool's backing store exists and is usable (directory, volume group, thin
    /// pool, zpool) and returns its capacity. Throws <see cref="StorageException"/> with a
    /// LINSTOR-style cause and correction when it is missing.
    /// </summary>
    Task<PoolUsage> InspectPoolAsync(PoolSpec pool, CancellationToken cancellationToken);

    /// <summary>Every volume Fabric manages in the pool (names matching <see cref="VolumeId.StorageName"/>), in one bulk call.</summary>
    Task<IReadOnlyList<ProvidedVolume>> ListVolumesAsync(PoolSpec pool, CancellationToken cancellationToken);

    /// <summary>Creates a volume of at least <paramref name="sizeKiB"/> and makes its block device available.</summary>
    Task<ProvidedVolume> CreateVolumeAsync(PoolSpec pool, VolumeId volume, long sizeKiB, CancellationToken cancellationToken);

    /// <summary>Makes an existing volume's block device available (loop attach, lvchange -ay) without changing data.</summary>
    Task<ProvidedVolume> ActivateVolumeAsync(PoolSpec pool, VolumeId volume, CancellationToken cancellationToken);

    /// <summary>Grows a volume to at least <paramref name="sizeKiB"/>; the block device shows the new size when this returns.</summary>
    Task<ProvidedVolume> ResizeVolumeAsync(PoolSpec pool, VolumeId volume, long sizeKiB, CancellationToken cancellationToken);

    /// <summary>Removes the volume and its block device. Deleting a volume that does not exist succeeds.</summary>
    Task DeleteVolumeAsync(PoolSpec pool, VolumeId volume, CancellationToken cancellationToken);
}
