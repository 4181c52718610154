namespace Fabric.Node.Storage;

/// <summary>Waiting for block device nodes that udev creates after the tool that made the device returned.</summary>
public static class DeviceNodes
{
    /// <summary>How long <see cref="WaitUntilPresentAsync"/> waits by default.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    /// <summary>Polls until <paramref name="devicePath"/> exists; a StorageException after <see cref="DefaultWait"/>.</summary>
    public static async Task WaitUntilPresentAsync(string devicePath, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + DefaultWait;
        while (!System.IO.File.Exists(devicePath))
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new StorageException(
                    $"Block device '{devicePath}' did not appear",
                    $"The storage tool reported success but '{devicePath}' was still missing after {DefaultWait.TotalSeconds:0} s.",
                    "Check that udev is running on this node (udevadm settle) and that the volume is not hidden (e.g. ZFS volmode=none).");
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }
}
