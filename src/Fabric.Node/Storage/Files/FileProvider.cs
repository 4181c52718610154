using Fabric.Core.Aggregates.Nodes;
using Fabric.Node.Process;

namespace Fabric.Node.Storage.Files;

/// <summary>
/// FILE and FILE_THIN: the backing store is a directory; each volume is <c>{dir}/{StorageName}.img</c>
/// attached to a loop device. FILE_THIN files are sparse (ftruncate via <see cref="FileStream.SetLength"/>);
/// FILE files are fully allocated with <c>fallocate --length &lt;n&gt;KiB</c>. Loop devices are
/// found by backing file in one <c>losetup --list</c> call and adopted, never attached twice.
/// Operations on one volume are expected to be serialised by the caller (one actor per resource).
/// </summary>
public sealed class FileProvider(ICommandRunner runner, bool thin) : IStorageProvider
{
    private const string Extension = ".img";

    public ProviderKind Kind => thin ? ProviderKind.FileThin : ProviderKind.File;

    public Task<PoolUsage> InspectPoolAsync(PoolSpec pool, CancellationToken cancellationToken)
    {
        var dir = DirectoryOf(pool);
        var drive = new DriveInfo(dir);
        return Task.FromResult(new PoolUsage(drive.TotalSize / 1024, drive.AvailableFreeSpace / 1024));
    }

    public async Task<IReadOnlyList<ProvidedVolume>> ListVolumesAsync(PoolSpec pool, CancellationToken cancellationToken)
    {
        var dir = DirectoryOf(pool);
        var files = new List<(VolumeId Id, string Path, long SizeKiB)>();
        foreach (var info in new DirectoryInfo(dir).EnumerateFiles("*" + Extension))
        {
            if (VolumeId.TryParse(Path.GetFileNameWithoutExtension(info.Name)) is { } id)
            {
                files.Add((id, info.FullName, info.Length / 1024));
            }
        }
        if (files.Count == 0)
        {
            return [];
        }
        var loops = await LoopDevices.ListAsync(runner, cancellationToken).ConfigureAwait(false);
        var allocated = thin
            ? await AllocatedBlocks.ReadAsync(runner, [.. files.Select(f => f.Path)], cancellationToken).ConfigureAwait(false)
            : null;
        return [.. files.Select(f => new ProvidedVolume(
            f.Id,
            AttachedTo(loops, f.Path).FirstOrDefault(),
            f.SizeKiB,
            allocated is null ? f.SizeKiB : allocated.GetValueOrDefault(f.Path, f.SizeKiB)))];
    }

    public async Task<ProvidedVolume> CreateVolumeAsync(PoolSpec pool, VolumeId volume, long sizeKiB, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeKiB);
        var file = FileOf(pool, volume);
        FileStream created;
        try
        {
            created = new FileStream(file, FileMode.CreateNew, FileAccess.Write);
        }
        catch (IOException) when (System.IO.File.Exists(file))
        {
            throw StorageErrors.VolumeExists(pool, volume, $"The file '{file}'");
        }
        try
        {
            using (created)
            {
                if (thin)
                {
                    created.SetLength(sizeKiB * 1024);
                }
            }
            if (!thin)
            {
                await AllocateAsync(file, sizeKiB, cancellationToken).ConfigureAwait(false);
            }
            var device = await LoopDevices.AttachAsync(runner, file, cancellationToken).ConfigureAwait(false);
            return new ProvidedVolume(volume, device, sizeKiB, thin ? 0 : sizeKiB);
        }
        catch
        {
            // The file is ours and half made: remove it so a retried create starts from scratch.
            TryDelete(file);
            throw;
        }
    }

    public async Task<ProvidedVolume> ActivateVolumeAsync(PoolSpec pool, VolumeId volume, CancellationToken cancellationToken)
    {
        var (file, sizeKiB) = RequireFile(pool, volume);
        var loops = await LoopDevices.ListAsync(runner, cancellationToken).ConfigureAwait(false);
        var device = AttachedTo(loops, file).FirstOrDefault()
            ?? await LoopDevices.AttachAsync(runner, file, cancellationToken).ConfigureAwait(false);
        return new ProvidedVolume(volume, device, sizeKiB, await AllocatedKiBAsync(file, sizeKiB, cancellationToken).ConfigureAwait(false));
    }

    public async Task<ProvidedVolume> ResizeVolumeAsync(PoolSpec pool, VolumeId volume, long sizeKiB, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeKiB);
        var (file, currentKiB) = RequireFile(pool, volume);
        var grow = currentKiB < sizeKiB;
        if (grow)
        {
            if (thin)
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
                stream.SetLength(sizeKiB * 1024);
            }
            else
            {
                await AllocateAsync(file, sizeKiB, cancellationToken).ConfigureAwait(false);
            }
        }
        var loops = await LoopDevices.ListAsync(runner, cancellationToken).ConfigureAwait(false);
        var devices = AttachedTo(loops, file).ToList();
        if (devices.Count == 0)
        {
            devices.Add(await LoopDevices.AttachAsync(runner, file, cancellationToken).ConfigureAwait(false));
        }
        else if (grow)
        {
            foreach (var device in devices)
            {
                await LoopDevices.SetCapacityAsync(runner, device, cancellationToken).ConfigureAwait(false);
            }
        }
        var usable = Math.Max(currentKiB, sizeKiB);
        return new ProvidedVolume(volume, devices[0], usable, await AllocatedKiBAsync(file, usable, cancellationToken).ConfigureAwait(false));
    }

    public async Task DeleteVolumeAsync(PoolSpec pool, VolumeId volume, CancellationToken cancellationToken)
    {
        // Without its directory the file cannot exist; loop devices still on its path are detached all the same.
        var dirExists = Directory.Exists(StorageErrors.RequireBackingStore(pool));
        var file = dirExists ? FileOf(pool, volume) : Path.Join(Path.GetFullPath(pool.BackingStore.Trim()), volume.StorageName + Extension);
        var loops = await LoopDevices.ListAsync(runner, cancellationToken).ConfigureAwait(false);
        // Every loop on this path goes, including ones left on an earlier file of the same name that was deleted.
        foreach (var loop in loops.Where(l => l.BackingFile == file))
        {
            await LoopDevices.DetachAsync(runner, loop.Device, cancellationToken).ConfigureAwait(false);
        }
        if (dirExists)
        {
            System.IO.File.Delete(file);
        }
    }

    /// <summary>Loop devices attached to the current file at <paramref name="file"/> (not to a deleted predecessor).</summary>
    private static IEnumerable<string> AttachedTo(IReadOnlyList<LoopDevice> loops, string file) =>
        loops.Where(l => !l.Deleted && l.BackingFile == file).Select(l => l.Device);

    /// <summary>FILE: the file size; FILE_THIN: the blocks the file occupies (one stat call).</summary>
    private async Task<long> AllocatedKiBAsync(string file, long sizeKiB, CancellationToken cancellationToken)
    {
        if (!thin)
        {
            return sizeKiB;
        }
        var allocated = await AllocatedBlocks.ReadAsync(runner, [file], cancellationToken).ConfigureAwait(false);
        return allocated.GetValueOrDefault(file, sizeKiB);
    }

    /// <summary><c>fallocate --length &lt;n&gt;KiB &lt;file&gt;</c>: allocates (and extends) the file to the full size.</summary>
    private Task AllocateAsync(string file, long sizeKiB, CancellationToken cancellationToken) =>
        runner.RunCheckedAsync(CommandSpec.Of("fallocate", "--length", $"{SizeText.Format(sizeKiB)}KiB", file), cancellationToken);

    private (string File, long SizeKiB) RequireFile(PoolSpec pool, VolumeId volume)
    {
        var file = FileOf(pool, volume);
        var info = new FileInfo(file);
        return info.Exists ? (file, info.Length / 1024) : throw StorageErrors.VolumeMissing(pool, volume, $"The file '{file}'");
    }

    private static string FileOf(PoolSpec pool, VolumeId volume) => Path.Join(DirectoryOf(pool), volume.StorageName + Extension);

    /// <summary>The pool's directory with symbolic links resolved; a StorageException when it does not exist.</summary>
    private static string DirectoryOf(PoolSpec pool)
    {
        var dir = StorageErrors.RequireBackingStore(pool);
        if (!Path.IsPathFullyQualified(dir))
        {
            throw new StorageException(
                $"Storage pool '{pool.Name}' on this node: directory '{dir}' is not an absolute path",
                $"{ProviderKinds.BackingStoreProp} of a {pool.Kind.ToApi()} pool must be an absolute directory path.",
                $"Set {ProviderKinds.BackingStoreProp} to {pool.Kind.BackingStoreExample()}.");
        }
        if (!Directory.Exists(dir))
        {
            throw StorageErrors.BackingStoreMissing(pool, $"directory '{dir}'", $"The directory '{dir}' is not there (or is not a directory).");
        }
        return CanonicalPath.Resolve(dir);
    }

    private static void TryDelete(string file)
    {
        try
        {
            System.IO.File.Delete(file);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
