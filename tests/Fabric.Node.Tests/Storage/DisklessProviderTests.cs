using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Node.Storage;

namespace Fabric.Node.Tests.Storage;

public sealed class DisklessProviderTests
{
    private static readonly PoolSpec Pool = PoolSpec.From("DfltDisklessStorPool", ProviderKind.Diskless, ImmutableDictionary<string, string>.Empty);
    private static readonly VolumeId Rsc = new("rsc", 0);

    private readonly DisklessProvider _provider = new();

    [Fact]
    public async Task Reports_unlimited_capacity_and_no_volumes()
    {
        Assert.Equal(new PoolUsage(long.MaxValue, long.MaxValue), await _provider.InspectPoolAsync(Pool, CancellationToken.None));
        Assert.Empty(await _provider.ListVolumesAsync(Pool, CancellationToken.None));
    }

    [Fact]
    public async Task Refuses_to_create_resize_or_activate_a_volume()
    {
        var create = await Assert.ThrowsAsync<StorageException>(() => _provider.CreateVolumeAsync(Pool, Rsc, 1024, CancellationToken.None));
        var resize = await Assert.ThrowsAsync<StorageException>(() => _provider.ResizeVolumeAsync(Pool, Rsc, 1024, CancellationToken.None));
        var activate = await Assert.ThrowsAsync<StorageException>(() => _provider.ActivateVolumeAsync(Pool, Rsc, CancellationToken.None));

        Assert.Contains("diskless", create.Message);
        Assert.Contains("rsc_00000", resize.Message);
        Assert.Contains("activate", activate.Message);
    }

    [Fact]
    public async Task Delete_has_nothing_to_do_and_succeeds()
    {
        await _provider.DeleteVolumeAsync(Pool, Rsc, CancellationToken.None);

        Assert.Empty(await _provider.ListVolumesAsync(Pool, CancellationToken.None));
    }
}
