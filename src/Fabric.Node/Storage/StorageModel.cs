using System.Collections.Immutable;
using System.Globalization;
using Fabric.Core.Aggregates.Nodes;

namespace Fabric.Node.Storage;

/// <summary>
/// A storage pool as the agent receives it from the desired state. <see cref="BackingStore"/> is
/// the pool's <c>StorDriver/StorPoolName</c>: the volume group (LVM), "vg/thinpool" (LVM_THIN),
/// the zpool or parent dataset (ZFS, ZFS_THIN), or the directory (FILE, FILE_THIN).
/// </summary>
public sealed record PoolSpec(string Name, ProviderKind Kind, string BackingStore, ImmutableSortedDictionary<string, string> Props)
{
    /// <summary>
    /// A pool from its name, kind and props; the backing store is the prop
    /// <see cref="ProviderKinds.BackingStoreProp"/> (trimmed), empty when unset. Providers that
    /// need a backing store reject an empty one when they use the pool.
    /// </summary>
    public static PoolSpec From(string name, ProviderKind kind, IEnumerable<KeyValuePair<string, string>> props)
    {
        var sorted = props.ToImmutableSortedDictionary(StringComparer.Ordinal);
        var backingStore = sorted.TryGetValue(ProviderKinds.BackingStoreProp, out var value) ? value.Trim() : "";
        return new PoolSpec(name, kind, backingStore, sorted);
    }
}

/// <summary>A pool's capacity in KiB, as LINSTOR's REST API reports it.</summary>
public sealed record PoolUsage(long TotalKiB, long FreeKiB);

/// <summary>One volume of one resource: the storage object is named "{resource}_{volume:D5}" as LINSTOR names its LVs.</summary>
public sealed record VolumeId(string ResourceName, int VolumeNumber)
{
    public string StorageName => $"{ResourceName}_{VolumeNumber.ToString("D5", CultureInfo.InvariantCulture)}";

    /// <summary>Parses a storage object name back into a volume id; null for names Fabric did not create.</summary>
    public static VolumeId? TryParse(string storageName)
    {
        var cut = storageName.LastIndexOf('_');
        if (cut <= 0 || storageName.Length - cut - 1 != 5)
        {
            return null;
        }
        var digits = storageName.AsSpan(cut + 1);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return null;
            }
        }
        return new VolumeId(storageName[..cut], int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// A volume as the host shows it. <see cref="DevicePath"/> is null when the volume exists but its
/// block device is not available (a file not attached to a loop device, an inactive LV).
/// </summary>
/// <param name="UsableKiB">The size the block device offers (at least the requested size; LVM rounds up to extents).</param>
/// <param name="AllocatedKiB">Space actually used in the pool (less than usable on thin pools).</param>
public sealed record ProvidedVolume(VolumeId Id, string? DevicePath, long UsableKiB, long AllocatedKiB);

/// <summary>A storage operation that failed for a reason the user can act on; carries LINSTOR-style texts.</summary>
public sealed class StorageException(string message, string cause, string correction, Exception? inner = null) : Exception(message, inner)
{
    public string Cause { get; } = cause;

    public string Correction { get; } = correction;
}
