using Fabric.Core.Aggregates.Nodes;

namespace Fabric.Node.Storage;

/// <summary>The <see cref="StorageException"/>s several providers raise, worded once.</summary>
public static class StorageErrors
{
    /// <summary>The pool's backing store, or a StorageException when the pool names none.</summary>
    public static string RequireBackingStore(PoolSpec pool) =>
        string.IsNullOrWhiteSpace(pool.BackingStore)
            ? throw new StorageException(
                $"Storage pool '{pool.Name}' on this node: no backing store configured",
                $"The pool's property {ProviderKinds.BackingStoreProp} is not set, so {pool.Kind.ToApi()} does not know where to put volumes.",
                $"Set {ProviderKinds.BackingStoreProp} to {pool.Kind.BackingStoreExample()}.")
            : pool.BackingStore.Trim();

    /// <summary>The backing store (directory, volume group, thin pool, zpool) does not exist on this host.</summary>
    public static StorageException BackingStoreMissing(PoolSpec pool, string what, string detail) => new(
        $"Storage pool '{pool.Name}' on this node: {what} does not exist",
        string.IsNullOrWhiteSpace(detail) ? $"The {what} that {ProviderKinds.BackingStoreProp} names was not found on this node." : detail.Trim(),
        $"Create the {what} on this node, or point {ProviderKinds.BackingStoreProp} of pool '{pool.Name}' at an existing one ({pool.Kind.BackingStoreExample()}).");

    /// <summary>The volume is expected to exist (activate, resize) but the host does not have it.</summary>
    public static StorageException VolumeMissing(PoolSpec pool, VolumeId volume, string where) => new(
        $"Storage pool '{pool.Name}' on this node: volume '{volume.StorageName}' does not exist",
        $"{where} does not exist on this node.",
        "Recreate the resource's volume (delete and re-create the replica) or restore the storage object.");

    /// <summary>Create was asked for a volume the host already has.</summary>
    public static StorageException VolumeExists(PoolSpec pool, VolumeId volume, string where) => new(
        $"Storage pool '{pool.Name}' on this node: volume '{volume.StorageName}' already exists",
        $"{where} already exists, so it was not created again.",
        "Delete the stale storage object if it is not in use, or activate the existing volume instead.");
}
