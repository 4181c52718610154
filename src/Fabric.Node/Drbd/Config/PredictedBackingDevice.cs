using Fabric.Core.Aggregates.Nodes;
using Fabric.Node.Storage;
using Fabric.Node.Storage.Lvm;

namespace Fabric.Node.Drbd.Config;

/// <summary>
/// Pure: the block device a storage provider gives a volume when it follows from names alone,
/// for showing a replica's DRBD configuration before (or without) its node reporting the device.
/// LVM and LVM_THIN: <c>/dev/&lt;vg&gt;/&lt;rsc&gt;_&lt;vnr:D5&gt;</c>; ZFS and ZFS_THIN:
/// <c>/dev/zvol/&lt;dataset&gt;/&lt;rsc&gt;_&lt;vnr:D5&gt;</c>. FILE and FILE_THIN have none (the loop
/// device is chosen when the file is attached), nor has DISKLESS.
/// </summary>
public static class PredictedBackingDevice
{
    /// <param name="backingStore">The pool's <c>StorDriver/StorPoolName</c>: vg, vg/thinpool, zpool or dataset.</param>
    public static string? Of(ProviderKind kind, string backingStore, VolumeId volume)
    {
        var store = backingStore.Trim().Trim('/');
        if (store.Length == 0)
        {
            return null;
        }
        return kind switch
        {
            ProviderKind.Lvm => LvmTools.DevicePath(store, volume.StorageName),
            ProviderKind.LvmThin => LvmTools.DevicePath(store.Split('/')[0], volume.StorageName),
            ProviderKind.Zfs or ProviderKind.ZfsThin => $"/dev/zvol/{store}/{volume.StorageName}",
            _ => null,
        };
    }
}
