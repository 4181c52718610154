using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Node.Storage;
using Fabric.Node.Storage.Simulated;

namespace Fabric.Node.Tests.Storage;

public sealed class SimulatedProviderTests
{
    private static readonly VolumeId R1 = new("r1", 0);
    private static readonly VolumeId R2 = new("r2", 0);

    private readonly SimulatedStorage _storage = new();

    private static PoolSpec Pool(ProviderKind kind, params (string Key, string Value)[] props) =>
        PoolSpec.From("sim", kind, props.ToImmutableDictionary(p => p.Key, p => p.Value));

    private SimulatedProvider Provider(ProviderKind kind) => new(kind, _storage);

    [Fact]
    public async Task A_pool_defaults_to_ten_tebibytes_and_needs_no_backing_store()
    {
        var usage = await Provider(ProviderKind.Lvm).InspectPoolAsync(Pool(ProviderKind.Lvm), CancellationToken.None);

        Assert.Equal(new PoolUsage(10L << 30, 10L << 30), usage);
    }

    [Fact]
    public async Task Fat_volumes_reserve_their_full_size_and_refuse_what_does_not_fit()
    {
        var pool = Pool(ProviderKind.Lvm, (SimulationProps.CapacityKiB, "1000"));
        var provider = Provider(ProviderKind.Lvm);

        var created = await provider.CreateVolumeAsync(pool, R1, 600, CancellationToken.None);
        var error = await Assert.ThrowsAsync<StorageException>(() => provider.CreateVolumeAsync(pool, R2, 500, CancellationToken.None));

        Assert.Equal(new ProvidedVolume(R1, "/dev/sim/sim/r1_00000", 600, 600), created);
        Assert.Contains("not enough free space", error.Message);
        Assert.Equal(new PoolUsage(1000, 400), await provider.InspectPoolAsync(pool, CancellationToken.None));
        await Assert.ThrowsAsync<StorageException>(() => provider.ResizeVolumeAsync(pool, R1, 1001, CancellationToken.None));
        Assert.Equal(1000, (await provider.ResizeVolumeAsync(pool, R1, 1000, CancellationToken.None)).AllocatedKiB);
        Assert.Equal(new PoolUsage(1000, 0), await provider.InspectPoolAsync(pool, CancellationToken.None));
    }

    [Fact]
    public async Task Thin_volumes_allocate_nothing_at_create_and_may_overcommit()
    {
        var pool = Pool(ProviderKind.LvmThin, (SimulationProps.CapacityKiB, "1000"));
        var provider = Provider(ProviderKind.LvmThin);

        await provider.CreateVolumeAsync(pool, R1, 600, CancellationToken.None);
        var second = await provider.CreateVolumeAsync(pool, R2, 5000, CancellationToken.None);
        await provider.ResizeVolumeAsync(pool, R2, 8000, CancellationToken.None);

        Assert.Equal(0, second.AllocatedKiB);
        Assert.Equal(new PoolUsage(1000, 1000), await provider.InspectPoolAsync(pool, CancellationToken.None));
        _storage.SetAllocated("sim", R1, 300);
        Assert.Equal(new PoolUsage(1000, 700), await provider.InspectPoolAsync(pool, CancellationToken.None));
        Assert.Equal([600L, 8000L], (await provider.ListVolumesAsync(pool, CancellationToken.None)).Select(v => v.UsableKiB).Order());
    }

    [Fact]
    public async Task Resize_never_shrinks_and_delete_of_an_absent_volume_succeeds()
    {
        var pool = Pool(ProviderKind.ZfsThin);
        var provider = Provider(ProviderKind.ZfsThin);
        await provider.CreateVolumeAsync(pool, R1, 4096, CancellationToken.None);
        var mutations = _storage.Mutations;

        var resized = await provider.ResizeVolumeAsync(pool, R1, 1024, CancellationToken.None);
        await provider.DeleteVolumeAsync(pool, R2, CancellationToken.None);

        Assert.Equal(4096, resized.UsableKiB);
        Assert.Equal(mutations, _storage.Mutations);
    }

    [Fact]
    public async Task Pools_of_one_node_share_the_storage_but_not_their_volumes()
    {
        var a = PoolSpec.From("a", ProviderKind.FileThin, ImmutableDictionary<string, string>.Empty);
        var b = PoolSpec.From("b", ProviderKind.Lvm, ImmutableDictionary<string, string>.Empty);

        await Provider(ProviderKind.FileThin).CreateVolumeAsync(a, R1, 100, CancellationToken.None);
        await Provider(ProviderKind.Lvm).CreateVolumeAsync(b, R1, 100, CancellationToken.None);

        Assert.Single(await Provider(ProviderKind.FileThin).ListVolumesAsync(a, CancellationToken.None));
        Assert.Equal("/dev/sim/b/r1_00000", Assert.Single(await new SimulatedProvider(ProviderKind.Lvm, _storage).ListVolumesAsync(b, CancellationToken.None)).DevicePath);
        await Assert.ThrowsAsync<StorageException>(() => Provider(ProviderKind.Lvm).CreateVolumeAsync(b, R1, 100, CancellationToken.None));
    }

    [Fact]
    public async Task A_reboot_takes_devices_away_and_activate_brings_them_back_once()
    {
        var pool = Pool(ProviderKind.Lvm);
        var provider = Provider(ProviderKind.Lvm);
        await provider.CreateVolumeAsync(pool, R1, 100, CancellationToken.None);
        _storage.DeactivateAll();
        var before = _storage.Mutations;

        Assert.Null(Assert.Single(await provider.ListVolumesAsync(pool, CancellationToken.None)).DevicePath);
        var first = await provider.ActivateVolumeAsync(pool, R1, CancellationToken.None);
        var second = await provider.ActivateVolumeAsync(pool, R1, CancellationToken.None);

        Assert.Equal("/dev/sim/sim/r1_00000", first.DevicePath);
        Assert.Equal(first, second);
        Assert.Equal(before + 1, _storage.Mutations);
        Assert.Equal(2, _storage.Calls(SimulatedOperation.Activate));
        await Assert.ThrowsAsync<StorageException>(() => provider.ActivateVolumeAsync(pool, R2, CancellationToken.None));
    }

    [Fact]
    public async Task An_injected_failure_hits_only_its_resource_and_only_as_often_as_asked()
    {
        var pool = Pool(ProviderKind.Lvm);
        var provider = Provider(ProviderKind.Lvm);
        _storage.InjectFailure(SimulatedOperation.Create, "R1", count: 1, "disk on fire");

        var error = await Assert.ThrowsAsync<StorageException>(() => provider.CreateVolumeAsync(pool, R1, 100, CancellationToken.None));
        await provider.CreateVolumeAsync(pool, R2, 100, CancellationToken.None);
        await provider.CreateVolumeAsync(pool, R1, 100, CancellationToken.None);

        Assert.Equal("disk on fire", error.Message);
        Assert.Equal(2, (await provider.ListVolumesAsync(pool, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task An_always_failure_for_any_resource_lasts_until_cleared()
    {
        var pool = Pool(ProviderKind.Lvm);
        var provider = Provider(ProviderKind.Lvm);
        await provider.CreateVolumeAsync(pool, R1, 100, CancellationToken.None);
        _storage.InjectFailure(SimulatedOperation.Delete, null, count: null, "cannot delete");

        await Assert.ThrowsAsync<StorageException>(() => provider.DeleteVolumeAsync(pool, R1, CancellationToken.None));
        await Assert.ThrowsAsync<StorageException>(() => provider.DeleteVolumeAsync(pool, R2, CancellationToken.None));
        _storage.ClearInjections();
        await provider.DeleteVolumeAsync(pool, R1, CancellationToken.None);

        Assert.Empty(await provider.ListVolumesAsync(pool, CancellationToken.None));
        Assert.Equal(3, _storage.Calls(SimulatedOperation.Delete));
    }

    [Fact]
    public async Task The_fail_property_fails_the_operations_it_names_and_says_so()
    {
        var pool = Pool(ProviderKind.FileThin, (SimulationProps.Fail, "create, Resize"));
        var provider = Provider(ProviderKind.FileThin);

        var create = await Assert.ThrowsAsync<StorageException>(() => provider.CreateVolumeAsync(pool, R1, 100, CancellationToken.None));
        await provider.InspectPoolAsync(pool, CancellationToken.None);
        await provider.DeleteVolumeAsync(pool, R1, CancellationToken.None);

        Assert.Contains(SimulationProps.Fail, create.Message);
        Assert.Contains("create failed", create.Message);
        Assert.Contains(SimulationProps.Fail, create.Correction);
    }

    [Fact]
    public async Task Failing_inspect_by_property_also_fails_list_like_a_missing_backing_store()
    {
        var pool = Pool(ProviderKind.Zfs, (SimulationProps.Fail, "inspect"));
        var provider = Provider(ProviderKind.Zfs);

        await Assert.ThrowsAsync<StorageException>(() => provider.InspectPoolAsync(pool, CancellationToken.None));
        await Assert.ThrowsAsync<StorageException>(() => provider.ListVolumesAsync(pool, CancellationToken.None));
        await provider.CreateVolumeAsync(pool, R1, 100, CancellationToken.None);
    }

    [Theory]
    [InlineData(SimulationProps.Fail, "create,explode")]
    [InlineData(SimulationProps.Fail, "1")]
    [InlineData(SimulationProps.CapacityKiB, "lots")]
    [InlineData(SimulationProps.LatencyMs, "-5")]
    public async Task An_invalid_simulation_property_is_a_storage_exception_naming_it(string prop, string value)
    {
        var error = await Assert.ThrowsAsync<StorageException>(() =>
            Provider(ProviderKind.Lvm).InspectPoolAsync(Pool(ProviderKind.Lvm, (prop, value)), CancellationToken.None));

        Assert.Contains(prop, error.Message);
        Assert.Contains(value, error.Message);
    }

    [Fact]
    public async Task The_latency_property_delays_operations_until_cancelled()
    {
        var pool = Pool(ProviderKind.Lvm, (SimulationProps.LatencyMs, "600000"));
        using var cancel = new CancellationTokenSource();
        var inspect = Provider(ProviderKind.Lvm).InspectPoolAsync(pool, cancel.Token);

        await Task.Delay(50);
        Assert.False(inspect.IsCompleted);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => inspect);
    }

    [Fact]
    public async Task A_hung_operation_blocks_nothing_else_and_ends_when_cancelled()
    {
        var pool = Pool(ProviderKind.Lvm);
        var provider = Provider(ProviderKind.Lvm);
        _storage.InjectHang(SimulatedOperation.Create, "stuck");
        using var cancel = new CancellationTokenSource();

        var hung = provider.CreateVolumeAsync(pool, new VolumeId("stuck", 0), 100, cancel.Token);
        await provider.CreateVolumeAsync(pool, R1, 100, CancellationToken.None);
        await provider.InspectPoolAsync(pool, CancellationToken.None);
        await provider.DeleteVolumeAsync(pool, R1, CancellationToken.None);

        Assert.False(hung.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hung);
        Assert.Empty(await provider.ListVolumesAsync(pool, CancellationToken.None));
    }

    [Fact]
    public void Simulated_registry_serves_every_kind_but_diskless_from_the_simulation()
    {
        var providers = StorageProviders.Simulated(_storage);

        foreach (var kind in Enum.GetValues<ProviderKind>())
        {
            var provider = providers.For(kind);
            Assert.Equal(kind, provider.Kind);
            Assert.IsType(kind == ProviderKind.Diskless ? typeof(DisklessProvider) : typeof(SimulatedProvider), provider);
        }
    }
}
