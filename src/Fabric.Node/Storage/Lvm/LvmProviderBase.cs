using Fabric.Core.Aggregates.Nodes;
using Fabric.Node.Process;

namespace Fabric.Node.Storage.Lvm;

/// <summary>
/// What thick and thin LVM share: one logical volume per Fabric volume, named by
/// <see cref="VolumeId.StorageName"/>, device <c>/dev/&lt;vg&gt;/&lt;lv&gt;</c>. Activate, resize and
/// delete read the one LV first and run a mutating command only when something must change.
/// </summary>
public abstract class LvmProviderBase(ICommandRunner runner) : IStorageProvider
{
    private protected ICommandRunner Runner { get; } = runner;

    public abstract ProviderKind Kind { get; }

    /// <summary>The lvs columns this provider reads (lv_name, lv_size, lv_attr first).</summary>
    private protected abstract string LvsColumns { get; }

    public abstract Task<PoolUsage> InspectPoolAsync(PoolSpec pool, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<ProvidedVolume>> ListVolumesAsync(PoolSpec pool, CancellationToken cancellationToken);

    /// <summary>The volume group volumes live in, from the pool's backing store.</summary>
    private protected abstract string VolumeGroupOf(PoolSpec pool);

    /// <summary>The error for a backing store (volume group or thin pool) that does not exist.</summary>
    private protected abstract StorageException BackingStoreMissing(PoolSpec pool, string detail);

    /// <summary>The lvcreate command for a new volume of <paramref name="sizeKiB"/>.</summary>
    private protected abstract CommandSpec CreateCommand(PoolSpec pool, string lvName, long sizeKiB);

    /// <summary>The lvchange command that activates the LV <paramref name="target"/> ("vg/lv").</summary>
    private protected abstract CommandSpec ActivateCommand(string target);

    /// <summary>The space an LV takes in the pool.</summary>
    private protected abstract long AllocatedKiB(LvRow row);

    public async Task<ProvidedVolume> CreateVolumeAsync(PoolSpec pool, VolumeId volume, long sizeKiB, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeKiB);
        var vg = VolumeGroupOf(pool);
        var create = CreateCommand(pool, volume.StorageName, sizeKiB);
        var result = await Runner.RunAsync(create, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw LvmTools.VgNotFound(result.Stderr, vg) ? BackingStoreMissing(pool, result.Stderr)
                : LvmTools.LvExists(result.Stderr) ? StorageErrors.VolumeExists(pool, volume, $"Logical volume '{vg}/{volume.StorageName}'")
                : CommandFailedException.ForResult(create, result);
        }
        var row = await QueryAsync(pool, volume, cancellationToken).ConfigureAwait(false)
            ?? throw StorageErrors.VolumeMissing(pool, volume, $"Logical volume '{vg}/{volume.StorageName}' (just created)");
        return await EnsureActiveAsync(vg, volume, row, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ProvidedVolume> ActivateVolumeAsync(PoolSpec pool, VolumeId volume, CancellationToken cancellationToken)
    {
        var row = await RequireAsync(pool, volume, cancellationToken).ConfigureAwait(false);
        return await EnsureActiveAsync(VolumeGroupOf(pool), volume, row, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ProvidedVolume> ResizeVolumeAsync(PoolSpec pool, VolumeId volume, long sizeKiB, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeKiB);
        var vg = VolumeGroupOf(pool);
        var row = await RequireAsync(pool, volume, cancellationToken).ConfigureAwait(false);
        if (row.SizeKiB < sizeKiB)
        {
            await Runner.RunCheckedAsync(
                CommandSpec.Of("lvresize", "--size", $"{SizeText.Format(sizeKiB)}k", $"{vg}/{volume.StorageName}"),
                cancellationToken).ConfigureAwait(false);
            row = await RequireAsync(pool, volume, cancellationToken).ConfigureAwait(false);
        }
        return await EnsureActiveAsync(vg, volume, row, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteVolumeAsync(PoolSpec pool, VolumeId volume, CancellationToken cancellationToken)
    {
        var vg = VolumeGroupOf(pool);
        var remove = CommandSpec.Of("lvremove", "-f", $"{vg}/{volume.StorageName}");
        var result = await Runner.RunAsync(remove, cancellationToken).ConfigureAwait(false);
        // An LV that is not there (or whose whole volume group is gone) is already deleted.
        if (result.ExitCode != 0 && !LvmTools.LvNotFound(result.Stderr) && !LvmTools.VgNotFound(result.Stderr, vg))
        {
            throw CommandFailedException.ForResult(remove, result);
        }
    }

    /// <summary>Maps an LV row to the volume it holds.</summary>
    private protected ProvidedVolume ToVolume(string vg, VolumeId id, LvRow row) =>
        new(id, row.IsActive ? LvmTools.DevicePath(vg, row.Name) : null, row.SizeKiB, AllocatedKiB(row));

    /// <summary>Runs lvs on the whole volume group; a missing volume group is <see cref="BackingStoreMissing"/>.</summary>
    private protected async Task<IReadOnlyList<LvRow>> ListRowsAsync(PoolSpec pool, CancellationToken cancellationToken)
    {
        var vg = VolumeGroupOf(pool);
        var lvs = LvmTools.Lvs(LvsColumns, vg);
        var result = await Runner.RunAsync(lvs, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw LvmTools.VgNotFound(result.Stderr, vg) ? BackingStoreMissing(pool, result.Stderr) : CommandFailedException.ForResult(lvs, result);
        }
        return LvRow.Parse(result.Stdout);
    }

    /// <summary>The one LV of <paramref name="volume"/>, or null when it does not exist.</summary>
    private async Task<LvRow?> QueryAsync(PoolSpec pool, VolumeId volume, CancellationToken cancellationToken)
    {
        var vg = VolumeGroupOf(pool);
        var lvs = LvmTools.Lvs(LvsColumns, $"{vg}/{volume.StorageName}");
        var result = await Runner.RunAsync(lvs, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            return LvmTools.LvNotFound(result.Stderr) ? null
                : LvmTools.VgNotFound(result.Stderr, vg) ? throw BackingStoreMissing(pool, result.Stderr)
                : throw CommandFailedException.ForResult(lvs, result);
        }
        return LvRow.Parse(result.Stdout).FirstOrDefault(r => r.Name == volume.StorageName);
    }

    private async Task<LvRow> RequireAsync(PoolSpec pool, VolumeId volume, CancellationToken cancellationToken) =>
        await QueryAsync(pool, volume, cancellationToken).ConfigureAwait(false)
            ?? throw StorageErrors.VolumeMissing(pool, volume, $"Logical volume '{VolumeGroupOf(pool)}/{volume.StorageName}'");

    private async Task<ProvidedVolume> EnsureActiveAsync(string vg, VolumeId volume, LvRow row, CancellationToken cancellationToken)
    {
        if (!row.IsActive)
        {
            await Runner.RunCheckedAsync(ActivateCommand($"{vg}/{row.Name}"), cancellationToken).ConfigureAwait(false);
        }
        return new ProvidedVolume(volume, LvmTools.DevicePath(vg, row.Name), row.SizeKiB, AllocatedKiB(row));
    }
}
