using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Node.Process;
using Fabric.Node.Storage;
using Fabric.Node.Storage.Lvm;
using Fabric.Node.Tests.Infrastructure;

namespace Fabric.Node.Tests.Storage;

public sealed class LvmThinProviderTests : IDisposable
{
    private const string LvsPool = "lvs --noheadings --units k --nosuffix --separator ; -o lv_name,lv_size,lv_attr,data_percent";
    private const string Lvs = "lvs --noheadings --units k --nosuffix --separator ; -o lv_name,lv_size,lv_attr,data_percent,pool_lv";
    private const string MissingThin = "  Failed to find logical volume \"vg0/thin\"\n";

    private static readonly PoolSpec Pool = PoolFor("vg0/thin");
    private static readonly VolumeId Rsc = new("rsc", 0);

    private readonly ScriptedCommandRunner _runner = new();
    private readonly LvmThinProvider _provider;

    public LvmThinProviderTests() => _provider = new LvmThinProvider(_runner);

    public void Dispose() => _runner.Dispose();

    private static PoolSpec PoolFor(string backingStore) => PoolSpec.From("thinpool", ProviderKind.LvmThin,
        ImmutableDictionary<string, string>.Empty.Add(ProviderKinds.BackingStoreProp, backingStore));

    [Fact]
    public async Task Inspect_derives_free_space_from_the_thin_pools_data_percent()
    {
        _runner.On($"{LvsPool} vg0/thin", stdout: "  thin;10485760.00;twi-aotz--;25.00\n");

        var usage = await _provider.InspectPoolAsync(Pool, CancellationToken.None);

        Assert.Equal(new PoolUsage(10485760, 7864320), usage);
    }

    [Fact]
    public async Task Inspect_of_a_missing_thin_pool_names_it_in_a_storage_exception()
    {
        _runner.On($"{LvsPool} vg0/thin", exitCode: 5, stderr: MissingThin);

        var error = await Assert.ThrowsAsync<StorageException>(() => _provider.InspectPoolAsync(Pool, CancellationToken.None));

        Assert.Contains("thin pool 'vg0/thin'", error.Message);
    }

    [Fact]
    public async Task Inspect_of_a_missing_volume_group_names_the_thin_pool()
    {
        _runner.On($"{LvsPool} vg0/thin", exitCode: 5, stderr: "  Volume group \"vg0\" not found\n  Cannot process volume group vg0\n");

        var error = await Assert.ThrowsAsync<StorageException>(() => _provider.InspectPoolAsync(Pool, CancellationToken.None));

        Assert.Contains("thin pool 'vg0/thin'", error.Message);
    }

    [Fact]
    public async Task Inspect_of_an_lv_that_is_not_a_thin_pool_says_so()
    {
        _runner.On($"{LvsPool} vg0/thin", stdout: "  thin;10485760.00;-wi-a-----;\n");

        var error = await Assert.ThrowsAsync<StorageException>(() => _provider.InspectPoolAsync(Pool, CancellationToken.None));

        Assert.Contains("is not a thin pool", error.Message);
    }

    [Fact]
    public async Task A_backing_store_without_a_thin_pool_name_is_rejected_before_any_command()
    {
        var error = await Assert.ThrowsAsync<StorageException>(() => _provider.InspectPoolAsync(PoolFor("vg0"), CancellationToken.None));

        Assert.Contains("does not name a thin pool", error.Message);
        Assert.Empty(_runner.Ran);
    }

    [Fact]
    public async Task List_returns_fabric_volumes_of_this_thin_pool_only_with_their_allocation()
    {
        _runner.On($"{Lvs} vg0", stdout: """
              thin;10485760.00;twi-aotz--;12.50;
              other;1048576.00;twi-aotz--;0.00;
              rsc_00000;1048576.00;Vwi-aotz--;50.00;thin
              rsc_00001;2048.00;Vwi---tz--;0.00;thin
              vm-disk;1048576.00;Vwi-a-tz--;10.00;thin
              elsewhere_00000;1048576.00;Vwi-a-tz--;10.00;other
              thick_00000;4096.00;-wi-a-----;;

            """);

        var volumes = await _provider.ListVolumesAsync(Pool, CancellationToken.None);

        ProvidedVolume[] expected =
        [
            new(new VolumeId("rsc", 0), "/dev/vg0/rsc_00000", 1048576, 524288),
            new(new VolumeId("rsc", 1), null, 2048, 0),
        ];
        Assert.Equal(expected, volumes);
    }

    [Fact]
    public async Task Create_makes_a_thin_volume_that_is_never_flagged_activation_skip()
    {
        _runner
            .On("lvcreate --virtualsize 1048576k --thinpool thin --name rsc_00000 --yes --setactivationskip n vg0")
            .On($"{Lvs} vg0/rsc_00000", stdout: "  rsc_00000;1048576.00;Vwi-a-tz--;0.00;thin\n");

        var volume = await _provider.CreateVolumeAsync(Pool, Rsc, 1048576, CancellationToken.None);

        Assert.Equal(new ProvidedVolume(Rsc, "/dev/vg0/rsc_00000", 1048576, 0), volume);
    }

    [Fact]
    public async Task Activate_ignores_the_activation_skip_flag()
    {
        _runner
            .On($"{Lvs} vg0/rsc_00000", stdout: "  rsc_00000;1048576.00;Vwi---tz-k;0.00;thin\n")
            .On("lvchange --activate y --ignoreactivationskip vg0/rsc_00000");

        var volume = await _provider.ActivateVolumeAsync(Pool, Rsc, CancellationToken.None);

        Assert.Equal("/dev/vg0/rsc_00000", volume.DevicePath);
    }

    [Fact]
    public async Task Resize_grows_the_virtual_size()
    {
        _runner
            .On($"{Lvs} vg0/rsc_00000", stdout: "  rsc_00000;1048576.00;Vwi-aotz--;10.00;thin\n")
            .On("lvresize --size 2097152k vg0/rsc_00000")
            .On($"{Lvs} vg0/rsc_00000", stdout: "  rsc_00000;2097152.00;Vwi-aotz--;5.00;thin\n");

        var volume = await _provider.ResizeVolumeAsync(Pool, Rsc, 2097152, CancellationToken.None);

        Assert.Equal(new ProvidedVolume(Rsc, "/dev/vg0/rsc_00000", 2097152, 104858), volume);
    }

    [Fact]
    public async Task Resize_never_shrinks()
    {
        _runner.On($"{Lvs} vg0/rsc_00000", stdout: "  rsc_00000;2097152.00;Vwi-aotz--;5.00;thin\n");

        var volume = await _provider.ResizeVolumeAsync(Pool, Rsc, 1048576, CancellationToken.None);

        Assert.Equal(2097152, volume.UsableKiB);
    }

    [Fact]
    public async Task Delete_of_an_absent_volume_succeeds()
    {
        _runner.On("lvremove -f vg0/rsc_00000", exitCode: 5, stderr: "  Failed to find logical volume \"vg0/rsc_00000\"\n");

        await _provider.DeleteVolumeAsync(Pool, Rsc, CancellationToken.None);

        Assert.Single(_runner.Ran);
    }

    [Fact]
    public async Task A_failed_thin_lvcreate_carries_stderr()
    {
        const string stderr = "  Cannot create new thin volume, free space in thin pool vg0/thin reached threshold.\n";
        _runner.On("lvcreate --virtualsize 4096k --thinpool thin --name rsc_00000 --yes --setactivationskip n vg0", exitCode: 5, stderr: stderr);

        var error = await Assert.ThrowsAsync<CommandFailedException>(() => _provider.CreateVolumeAsync(Pool, Rsc, 4096, CancellationToken.None));

        Assert.Equal(stderr, error.Stderr);
        Assert.Contains("reached threshold", error.Message);
    }
}
