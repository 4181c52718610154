using System.Globalization;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Node.Process;

namespace Fabric.Node.Storage.Zfs;

/// <summary>
/// ZFS and ZFS_THIN: the backing store is a zpool or a parent dataset; each volume is a zvol
/// directly below it (<c>zfs create [-s] -V &lt;n&gt;k &lt;ds&gt;/&lt;name&gt;</c>, <c>-s</c> = sparse, no
/// reservation, for ZFS_THIN), device <c>/dev/zvol/&lt;ds&gt;/&lt;name&gt;</c>. Sizes are rounded up to
/// <see cref="VolumeGranularityKiB"/> because a zvol's size must be a multiple of its volblocksize.
/// </summary>
public sealed class ZfsProvider : IStorageProvider
{
    /// <summary>16 KiB: a multiple of both the old (8 KiB) and the OpenZFS 2.2+ (16 KiB) default volblocksize.</summary>
    public const long VolumeGranularityKiB = 16;

    private readonly ICommandRunner _runner;
    private readonly bool _thin;
    private readonly Func<string, CancellationToken, Task>? _waitForDevice;

    /// <param name="thin">ZFS_THIN (sparse zvols) when true, ZFS otherwise.</param>
    /// <param name="waitForDevice">
    /// Awaited with the device path after create and activate: zvol device nodes appear
    /// asynchronously (udev), so the host passes <see cref="DeviceNodes.WaitUntilPresentAsync"/>;
    /// null skips waiting (tests).
    /// </param>
    public ZfsProvider(ICommandRunner runner, bool thin, Func<string, CancellationToken, Task>? waitForDevice = null)
    {
        _runner = runner;
        _thin = thin;
        _waitForDevice = waitForDevice;
    }

    public ProviderKind Kind => _thin ? ProviderKind.ZfsThin : ProviderKind.Zfs;

    public async Task<PoolUsage> InspectPoolAsync(PoolSpec pool, CancellationToken cancellationToken)
    {
        var ds = DatasetOf(pool);
        var list = CommandSpec.Of("zfs", "list", "-H", "-p", "-o", "name,used,available", ds);
        var result = await RunAsync(pool, list, cancellationToken).ConfigureAwait(false);
        foreach (var fields in Rows(result.Stdout))
        {
            if (fields.Length >= 3 && fields[0] == ds)
            {
                var used = Bytes(fields[1]) / 1024;
                var available = Bytes(fields[2]) / 1024;
                return new PoolUsage(used + available, available);
            }
        }
        throw BackingStoreMissing(pool, result.Stderr);
    }

    public async Task<IReadOnlyList<ProvidedVolume>> ListVolumesAsync(PoolSpec pool, CancellationToken cancellationToken)
    {
        var ds = DatasetOf(pool);
        var list = CommandSpec.Of("zfs", "list", "-H", "-p", "-d", "1", "-t", "volume", "-o", "name,volsize,used", ds);
        var result = await RunAsync(pool, list, cancellationToken).ConfigureAwait(false);
        var volumes = new List<ProvidedVolume>();
        foreach (var fields in Rows(result.Stdout))
        {
            if (ToVolume(ds, fields) is { } volume)
            {
                volumes.Add(volume);
            }
        }
        return volumes;
    }

    public async Task<ProvidedVolume> CreateVolumeAsync(PoolSpec pool, VolumeId volume, long sizeKiB, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeKiB);
        var name = NameOf(pool, volume);
        var size = $"{SizeText.Format(SizeText.RoundUp(sizeKiB, VolumeGranularityKiB))}k";
        var create = _thin ? CommandSpec.Of("zfs", "create", "-s", "-V", size, name) : CommandSpec.Of("zfs", "create", "-V", size, name);
        var result = await _runner.RunAsync(create, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw result.Stderr.Contains("dataset already exists", StringComparison.Ordinal) ? StorageErrors.VolumeExists(pool, volume, $"ZFS volume '{name}'")
                : result.Stderr.Contains("parent does not exist", StringComparison.Ordinal) || result.Stderr.Contains("no such pool", StringComparison.Ordinal)
                    ? BackingStoreMissing(pool, result.Stderr)
                : CommandFailedException.ForResult(create, result);
        }
        return await ReadyAsync(await RequireAsync(pool, volume, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    public async Task<ProvidedVolume> ActivateVolumeAsync(PoolSpec pool, VolumeId volume, CancellationToken cancellationToken) =>
        await ReadyAsync(await RequireAsync(pool, volume, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<ProvidedVolume> ResizeVolumeAsync(PoolSpec pool, VolumeId volume, long sizeKiB, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeKiB);
        var current = await RequireAsync(pool, volume, cancellationToken).ConfigureAwait(false);
        if (current.UsableKiB < sizeKiB)
        {
            var size = SizeText.Format(SizeText.RoundUp(sizeKiB, VolumeGranularityKiB));
            await _runner.RunCheckedAsync(CommandSpec.Of("zfs", "set", $"volsize={size}k", NameOf(pool, volume)), cancellationToken).ConfigureAwait(false);
            current = await RequireAsync(pool, volume, cancellationToken).ConfigureAwait(false);
        }
        return await ReadyAsync(current, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteVolumeAsync(PoolSpec pool, VolumeId volume, CancellationToken cancellationToken)
    {
        var destroy = CommandSpec.Of("zfs", "destroy", NameOf(pool, volume));
        var result = await _runner.RunAsync(destroy, cancellationToken).ConfigureAwait(false);
        // "dataset does not exist" covers a missing zvol and a missing pool: either way nothing is left to delete.
        if (result.ExitCode != 0 && !DatasetMissing(result.Stderr))
        {
            throw CommandFailedException.ForResult(destroy, result);
        }
    }

    private async Task<ProvidedVolume> RequireAsync(PoolSpec pool, VolumeId volume, CancellationToken cancellationToken)
    {
        var name = NameOf(pool, volume);
        var list = CommandSpec.Of("zfs", "list", "-H", "-p", "-t", "volume", "-o", "name,volsize,used", name);
        var result = await _runner.RunAsync(list, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 && !DatasetMissing(result.Stderr))
        {
            throw CommandFailedException.ForResult(list, result);
        }
        return Rows(result.Stdout).Select(fields => ToVolume(DatasetOf(pool), fields)).FirstOrDefault(v => v?.Id == volume)
            ?? throw StorageErrors.VolumeMissing(pool, volume, $"ZFS volume '{name}'");
    }

    private async Task<ProvidedVolume> ReadyAsync(ProvidedVolume volume, CancellationToken cancellationToken)
    {
        if (_waitForDevice is not null && volume.DevicePath is not null)
        {
            await _waitForDevice(volume.DevicePath, cancellationToken).ConfigureAwait(false);
        }
        return volume;
    }

    /// <summary>Runs a zfs query on the pool's dataset; a missing dataset or pool is <see cref="BackingStoreMissing"/>.</summary>
    private async Task<CommandResult> RunAsync(PoolSpec pool, CommandSpec command, CancellationToken cancellationToken)
    {
        var result = await _runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? result
            : DatasetMissing(result.Stderr) ? throw BackingStoreMissing(pool, result.Stderr)
            : throw CommandFailedException.ForResult(command, result);
    }

    /// <summary>A "name volsize used" row of a zvol directly below <paramref name="ds"/> with a Fabric name, else null.</summary>
    private static ProvidedVolume? ToVolume(string ds, string[] fields)
    {
        if (fields.Length < 3 || !fields[0].StartsWith(ds + "/", StringComparison.Ordinal))
        {
            return null;
        }
        var child = fields[0][(ds.Length + 1)..];
        if (child.Contains('/') || VolumeId.TryParse(child) is not { } id)
        {
            return null;
        }
        return new ProvidedVolume(id, $"/dev/zvol/{fields[0]}", Bytes(fields[1]) / 1024, Bytes(fields[2]) / 1024);
    }

    private static IEnumerable<string[]> Rows(string stdout) => SizeText.Lines(stdout).Select(line => line.Split('\t'));

    private static long Bytes(string text) => long.Parse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture);

    private static bool DatasetMissing(string stderr) =>
        stderr.Contains("dataset does not exist", StringComparison.Ordinal) || stderr.Contains("no such pool", StringComparison.Ordinal);

    private static string DatasetOf(PoolSpec pool) => StorageErrors.RequireBackingStore(pool).TrimEnd('/');

    private static string NameOf(PoolSpec pool, VolumeId volume) => $"{DatasetOf(pool)}/{volume.StorageName}";

    private StorageException BackingStoreMissing(PoolSpec pool, string detail) =>
        StorageErrors.BackingStoreMissing(pool, $"ZFS dataset '{DatasetOf(pool)}'", detail);
}
