using Fabric.Core.Aggregates.Nodes;
using Fabric.Node.Process;

namespace Fabric.Node.Storage.Lvm;

/// <summary>
/// LVM_THIN: the backing store is "vg/thinpool"; each volume is a thin LV in that pool. Created
/// with <c>lvcreate --virtualsize &lt;n&gt;k --thinpool &lt;pool&gt; --name &lt;lv&gt; --yes --setactivationskip n &lt;vg&gt;</c>
/// (never flagged activation-skip, whatever lvm.conf says) and activated with
/// <c>lvchange --activate y --ignoreactivationskip vg/lv</c> so LVs flagged elsewhere come up too.
/// Capacity is the thin pool's size and data use; a volume's allocation is its size × data_percent.
/// </summary>
public sealed class LvmThinProvider(ICommandRunner runner) : LvmProviderBase(runner)
{
    public override ProviderKind Kind => ProviderKind.LvmThin;

    private protected override string LvsColumns => "lv_name,lv_size,lv_attr,data_percent,pool_lv";

    public override async Task<PoolUsage> InspectPoolAsync(PoolSpec pool, CancellationToken cancellationToken)
    {
        var (vg, thinPool) = Split(pool);
        var lvs = LvmTools.Lvs("lv_name,lv_size,lv_attr,data_percent", $"{vg}/{thinPool}");
        var result = await Runner.RunAsync(lvs, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw LvmTools.VgNotFound(result.Stderr, vg) || LvmTools.LvNotFound(result.Stderr)
                ? BackingStoreMissing(pool, result.Stderr)
                : CommandFailedException.ForResult(lvs, result);
        }
        var row = LvRow.Parse(result.Stdout).FirstOrDefault(r => r.Name == thinPool) ?? throw BackingStoreMissing(pool, result.Stderr);
        if (!row.IsThinPool)
        {
            throw new StorageException(
                $"Storage pool '{pool.Name}' on this node: '{vg}/{thinPool}' is not a thin pool",
                $"The logical volume '{vg}/{thinPool}' exists but its type (lv_attr '{row.Attr}') is not a thin pool.",
                $"Create a thin pool (lvcreate --type thin-pool) or point {ProviderKinds.BackingStoreProp} of pool '{pool.Name}' at one ({Kind.BackingStoreExample()}).");
        }
        var free = (long)decimal.Floor(row.SizeKiB * (100m - row.DataPercent) / 100m);
        return new PoolUsage(row.SizeKiB, Math.Max(0, free));
    }

    public override async Task<IReadOnlyList<ProvidedVolume>> ListVolumesAsync(PoolSpec pool, CancellationToken cancellationToken)
    {
        var (vg, thinPool) = Split(pool);
        var rows = await ListRowsAsync(pool, cancellationToken).ConfigureAwait(false);
        return [.. rows
            .Where(r => r.PoolLv == thinPool && !r.IsThinPool)
            .Select(r => (Row: r, Id: VolumeId.TryParse(r.Name)))
            .Where(x => x.Id is not null)
            .Select(x => ToVolume(vg, x.Id!, x.Row))];
    }

    private protected override string VolumeGroupOf(PoolSpec pool) => Split(pool).Vg;

    private protected override StorageException BackingStoreMissing(PoolSpec pool, string detail)
    {
        var (vg, thinPool) = Split(pool);
        return StorageErrors.BackingStoreMissing(pool, $"thin pool '{vg}/{thinPool}'", detail);
    }

    private protected override CommandSpec CreateCommand(PoolSpec pool, string lvName, long sizeKiB)
    {
        var (vg, thinPool) = Split(pool);
        return CommandSpec.Of("lvcreate", "--virtualsize", $"{SizeText.Format(sizeKiB)}k", "--thinpool", thinPool, "--name", lvName, "--yes", "--setactivationskip", "n", vg);
    }

    private protected override CommandSpec ActivateCommand(string target) => CommandSpec.Of("lvchange", "--activate", "y", "--ignoreactivationskip", target);

    private protected override long AllocatedKiB(LvRow row) => (long)decimal.Ceiling(row.SizeKiB * row.DataPercent / 100m);

    /// <summary>"vg/thinpool" into its two names; anything else is a configuration error.</summary>
    private (string Vg, string ThinPool) Split(PoolSpec pool)
    {
        var store = StorageErrors.RequireBackingStore(pool);
        var parts = store.Split('/');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new StorageException(
                $"Storage pool '{pool.Name}' on this node: '{store}' does not name a thin pool",
                $"{ProviderKinds.BackingStoreProp} of an LVM_THIN pool must be 'volume-group/thin-pool'.",
                $"Set {ProviderKinds.BackingStoreProp} to {Kind.BackingStoreExample()}.");
        }
        return (parts[0], parts[1]);
    }
}
