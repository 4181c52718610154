using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Node.Process;
using Fabric.Node.Storage;
using Fabric.Node.Storage.Lvm;
using Fabric.Node.Tests.Infrastructure;

namespace Fabric.Node.Tests.Storage;

public sealed class LvmProviderTests : IDisposable
{
    private const string Lvs = "lvs --noheadings --units k --nosuffix --separator ; -o lv_name,lv_size,lv_attr";
    private const string Vgs = "vgs --noheadings --units k --nosuffix --separator ; -o vg_name,vg_size,vg_free";

    private static readonly PoolSpec Pool = PoolSpec.From("pool1", ProviderKind.Lvm,
        ImmutableDictionary<string, string>.Empty.Add(ProviderKinds.BackingStoreProp, "vg0"));

    private static readonly VolumeId Rsc = new("rsc", 0);

    private readonly ScriptedCommandRunner _runner = new();
    private readonly LvmProvider _provider;

    public LvmProviderTests() => _provider = new LvmProvider(_runner);

    public void Dispose() => _runner.Dispose();

    [Fact]
    public async Task Inspect_reports_the_volume_group_size_and_free_space()
    {
        _runner.On($"{Vgs} vg0", stdout: "  vg0;20963328.00;16765952.00\n");

        var usage = await _provider.InspectPoolAsync(Pool, CancellationToken.None);

        Assert.Equal(new PoolUsage(20963328, 16765952), usage);
    }

    [Fact]
    public async Task Inspect_of_a_missing_volume_group_names_it_in_a_storage_exception()
    {
        _runner.On($"{Vgs} vg0", exitCode: 5, stderr: "  Volume group \"vg0\" not found\n  Cannot process volume group vg0\n");

        var error = await Assert.ThrowsAsync<StorageException>(() => _provider.InspectPoolAsync(Pool, CancellationToken.None));

        Assert.Contains("volume group 'vg0'", error.Message);
        Assert.Contains("pool1", error.Message);
        Assert.Contains("Volume group \"vg0\" not found", error.Cause);
        Assert.Contains(ProviderKinds.BackingStoreProp, error.Correction);
    }

    [Fact]
    public async Task Inspect_of_a_pool_without_backing_store_says_which_property_to_set()
    {
        var pool = PoolSpec.From("pool1", ProviderKind.Lvm, ImmutableDictionary<string, string>.Empty);

        var error = await Assert.ThrowsAsync<StorageException>(() => _provider.InspectPoolAsync(pool, CancellationToken.None));

        Assert.Contains(ProviderKinds.BackingStoreProp, error.Cause);
    }

    [Fact]
    public async Task List_returns_only_fabric_volumes_with_inactive_ones_lacking_a_device()
    {
        _runner.On($"{Lvs} vg0", stdout: """
              root;31457280.00;-wi-ao----
              swap_1;2097152.00;-wi-ao----
              rsc_00000;1052672.00;-wi-ao----
              rsc_00001;4096.00;-wi-------
              other_00000;8192.00;-wi-a-----
              thin;10485760.00;twi-aotz--
              thinvol_00000;1048576.00;Vwi-a-tz--
              data_0;4096.00;-wi-a-----

            """);

        var volumes = await _provider.ListVolumesAsync(Pool, CancellationToken.None);

        ProvidedVolume[] expected =
        [
            new(new VolumeId("rsc", 0), "/dev/vg0/rsc_00000", 1052672, 1052672),
            new(new VolumeId("rsc", 1), null, 4096, 4096),
            new(new VolumeId("other", 0), "/dev/vg0/other_00000", 8192, 8192),
        ];
        Assert.Equal(expected, volumes);
    }

    [Fact]
    public async Task List_of_a_missing_volume_group_is_a_storage_exception()
    {
        _runner.On($"{Lvs} vg0", exitCode: 5, stderr: "  Volume group \"vg0\" not found\n  Cannot process volume group vg0\n");

        var error = await Assert.ThrowsAsync<StorageException>(() => _provider.ListVolumesAsync(Pool, CancellationToken.None));

        Assert.Contains("volume group 'vg0'", error.Message);
    }

    [Fact]
    public async Task Create_runs_lvcreate_then_reports_the_size_lvm_rounded_to()
    {
        _runner
            .On("lvcreate --size 1000k --name rsc_00000 --yes --wipesignatures y --zero y vg0", stdout: "  Logical volume \"rsc_00000\" created.\n")
            .On($"{Lvs} vg0/rsc_00000", stdout: "  rsc_00000;4096.00;-wi-a-----\n");

        var volume = await _provider.CreateVolumeAsync(Pool, Rsc, 1000, CancellationToken.None);

        Assert.Equal(new ProvidedVolume(Rsc, "/dev/vg0/rsc_00000", 4096, 4096), volume);
    }

    [Fact]
    public async Task Create_activates_a_volume_lvm_left_inactive()
    {
        _runner
            .On("lvcreate --size 4096k --name rsc_00000 --yes --wipesignatures y --zero y vg0")
            .On($"{Lvs} vg0/rsc_00000", stdout: "  rsc_00000;4096.00;-wi-------\n")
            .On("lvchange --activate y vg0/rsc_00000");

        var volume = await _provider.CreateVolumeAsync(Pool, Rsc, 4096, CancellationToken.None);

        Assert.Equal("/dev/vg0/rsc_00000", volume.DevicePath);
    }

    [Fact]
    public async Task A_failed_lvcreate_raises_command_failed_carrying_stderr()
    {
        const string stderr = "  Volume group \"vg0\" has insufficient free space (255 extents): 2560 required.\n";
        _runner.On("lvcreate --size 10485760k --name rsc_00000 --yes --wipesignatures y --zero y vg0", exitCode: 5, stderr: stderr);

        var error = await Assert.ThrowsAsync<CommandFailedException>(() => _provider.CreateVolumeAsync(Pool, Rsc, 10485760, CancellationToken.None));

        Assert.Equal(5, error.ExitCode);
        Assert.Equal(stderr, error.Stderr);
        Assert.Contains("lvcreate --size 10485760k", error.Message);
        Assert.Contains("exit code 5", error.Message);
        Assert.EndsWith("insufficient free space (255 extents): 2560 required.", error.Message);
    }

    [Fact]
    public async Task Create_in_a_missing_volume_group_is_a_storage_exception_naming_it()
    {
        _runner.On("lvcreate --size 4096k --name rsc_00000 --yes --wipesignatures y --zero y vg0", exitCode: 5,
            stderr: "  Volume group \"vg0\" not found\n  Cannot process volume group vg0\n");

        var error = await Assert.ThrowsAsync<StorageException>(() => _provider.CreateVolumeAsync(Pool, Rsc, 4096, CancellationToken.None));

        Assert.Contains("volume group 'vg0'", error.Message);
    }

    [Fact]
    public async Task Create_of_an_existing_volume_is_a_storage_exception()
    {
        _runner.On("lvcreate --size 4096k --name rsc_00000 --yes --wipesignatures y --zero y vg0", exitCode: 5,
            stderr: "  Logical Volume \"rsc_00000\" already exists in volume group \"vg0\"\n");

        var error = await Assert.ThrowsAsync<StorageException>(() => _provider.CreateVolumeAsync(Pool, Rsc, 4096, CancellationToken.None));

        Assert.Contains("already exists", error.Message);
    }

    [Fact]
    public async Task Resize_grows_with_lvresize_and_reports_the_new_size()
    {
        _runner
            .On($"{Lvs} vg0/rsc_00000", stdout: "  rsc_00000;4096.00;-wi-ao----\n")
            .On("lvresize --size 8192k vg0/rsc_00000")
            .On($"{Lvs} vg0/rsc_00000", stdout: "  rsc_00000;8192.00;-wi-ao----\n");

        var volume = await _provider.ResizeVolumeAsync(Pool, Rsc, 8192, CancellationToken.None);

        Assert.Equal(new ProvidedVolume(Rsc, "/dev/vg0/rsc_00000", 8192, 8192), volume);
    }

    [Fact]
    public async Task Resize_never_shrinks_a_volume_already_large_enough()
    {
        _runner.On($"{Lvs} vg0/rsc_00000", stdout: "  rsc_00000;8192.00;-wi-ao----\n");

        var volume = await _provider.ResizeVolumeAsync(Pool, Rsc, 4096, CancellationToken.None);

        Assert.Equal(8192, volume.UsableKiB);
    }

    [Fact]
    public async Task Resize_of_a_missing_volume_is_a_storage_exception()
    {
        _runner.On($"{Lvs} vg0/rsc_00000", exitCode: 5, stderr: "  Failed to find logical volume \"vg0/rsc_00000\"\n");

        var error = await Assert.ThrowsAsync<StorageException>(() => _provider.ResizeVolumeAsync(Pool, Rsc, 4096, CancellationToken.None));

        Assert.Contains("rsc_00000", error.Message);
    }

    [Fact]
    public async Task Activate_of_an_active_volume_runs_no_mutating_command()
    {
        _runner.On($"{Lvs} vg0/rsc_00000", stdout: "  rsc_00000;4096.00;-wi-ao----\n");

        var volume = await _provider.ActivateVolumeAsync(Pool, Rsc, CancellationToken.None);

        Assert.Equal("/dev/vg0/rsc_00000", volume.DevicePath);
        Assert.All(_runner.Ran, c => Assert.True(QueryCommands.IsQuery(c), c.ToString()));
    }

    [Fact]
    public async Task Activate_of_an_inactive_volume_runs_lvchange()
    {
        _runner
            .On($"{Lvs} vg0/rsc_00000", stdout: "  rsc_00000;4096.00;-wi-------\n")
            .On("lvchange --activate y vg0/rsc_00000");

        var volume = await _provider.ActivateVolumeAsync(Pool, Rsc, CancellationToken.None);

        Assert.Equal("/dev/vg0/rsc_00000", volume.DevicePath);
    }

    [Fact]
    public async Task Delete_removes_the_logical_volume()
    {
        _runner.On("lvremove -f vg0/rsc_00000", stdout: "  Logical volume \"rsc_00000\" successfully removed.\n");

        await _provider.DeleteVolumeAsync(Pool, Rsc, CancellationToken.None);

        Assert.Single(_runner.Ran);
    }

    [Fact]
    public async Task Delete_of_an_absent_volume_succeeds()
    {
        _runner.On("lvremove -f vg0/rsc_00000", exitCode: 5, stderr: "  Failed to find logical volume \"vg0/rsc_00000\"\n");

        await _provider.DeleteVolumeAsync(Pool, Rsc, CancellationToken.None);

        Assert.Single(_runner.Ran);
    }

    [Fact]
    public async Task Delete_of_a_volume_in_use_raises_command_failed()
    {
        _runner.On("lvremove -f vg0/rsc_00000", exitCode: 5, stderr: "  Logical volume vg0/rsc_00000 in use.\n");

        var error = await Assert.ThrowsAsync<CommandFailedException>(() => _provider.DeleteVolumeAsync(Pool, Rsc, CancellationToken.None));

        Assert.Contains("in use", error.Message);
    }
}
