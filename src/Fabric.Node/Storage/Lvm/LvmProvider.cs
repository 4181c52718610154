using Fabric.Core.Aggregates.Nodes;
using Fabric.Node.Process;

namespace Fabric.Node.Storage.Lvm;

/// <summary>
/// LVM (thick): the backing store is a volume group; each volume is a fully allocated LV.
/// Created with <c>lvcreate --size &lt;n&gt;k --name &lt;lv&gt; --yes --wipesignatures y --zero y &lt;vg&gt;</c>:
/// answer prompts with yes, wipe stale signatures (an old filesystem or DRBD metadata in the
/// reused extents) and zero the first 4 KiB, as LINSTOR does for new LVs.
/// </summary>
public sealed class LvmProvider(ICommandRunner runner) : LvmProviderBase(runner)
{
    public override ProviderKind Kind => ProviderKind.Lvm;

    private protected override string LvsColumns => "lv_name,lv_size,lv_attr";

    public override async Task<PoolUsage> InspectPoolAsync(PoolSpec pool, CancellationToken cancellationToken)
    {
        var vg = VolumeGroupOf(pool);
        var vgs = LvmTools.Vgs(vg);
        var result = await Runner.RunAsync(vgs, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 && !LvmTools.VgNotFound(result.Stderr, vg))
        {
            throw CommandFailedException.ForResult(vgs, result);
        }
        foreach (var line in SizeText.Lines(result.Stdout))
        {
            var fields = line.Split(LvmTools.Separator);
            if (fields.Length >= 3 && fields[0].Trim() == vg)
            {
                return new PoolUsage(SizeText.ParseKiB(fields[1]), SizeText.ParseKiB(fields[2]));
            }
        }
        throw BackingStoreMissing(pool, result.Stderr);
    }

    public override async Task<IReadOnlyList<ProvidedVolume>> ListVolumesAsync(PoolSpec pool, CancellationToken cancellationToken)
    {
        var vg = VolumeGroupOf(pool);
        var rows = await ListRowsAsync(pool, cancellationToken).ConfigureAwait(false);
        // Thin pools and thin volumes in the same VG belong to LVM_THIN pools, not to this one.
        return [.. rows
            .Where(r => !r.IsThinPool && !r.IsThinVolume)
            .Select(r => (Row: r, Id: VolumeId.TryParse(r.Name)))
            .Where(x => x.Id is not null)
            .Select(x => ToVolume(vg, x.Id!, x.Row))];
    }

    private protected override string VolumeGroupOf(PoolSpec pool) => StorageErrors.RequireBackingStore(pool);

    private protected override StorageException BackingStoreMissing(PoolSpec pool, string detail) =>
        StorageErrors.BackingStoreMissing(pool, $"volume group '{VolumeGroupOf(pool)}'", detail);

    private protected override CommandSpec CreateCommand(PoolSpec pool, string lvName, long sizeKiB) =>
        CommandSpec.Of("lvcreate", "--size", $"{SizeText.Format(sizeKiB)}k", "--name", lvName, "--yes", "--wipesignatures", "y", "--zero", "y", VolumeGroupOf(pool));

    private protected override CommandSpec ActivateCommand(string target) => CommandSpec.Of("lvchange", "--activate", "y", target);

    private protected override long AllocatedKiB(LvRow row) => row.SizeKiB;
}
