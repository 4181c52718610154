using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Node.Process;
using Fabric.Node.Storage;
using Fabric.Node.Storage.Zfs;
using Fabric.Node.Tests.Infrastructure;

namespace Fabric.Node.Tests.Storage;

public sealed class ZfsProviderTests : IDisposable
{
    private const string Missing = "cannot open 'tank/fabric': dataset does not exist\n";
    private const string ListOne = "zfs list -H -p -t volume -o name,volsize,used";

    private static readonly VolumeId Rsc = new("rsc", 0);

    private readonly ScriptedCommandRunner _runner = new();

    public void Dispose() => _runner.Dispose();

    private static PoolSpec PoolFor(bool thin) => PoolSpec.From("zpool1", thin ? ProviderKind.ZfsThin : ProviderKind.Zfs,
        ImmutableDictionary<string, string>.Empty.Add(ProviderKinds.BackingStoreProp, "tank/fabric"));

    private ZfsProvider Provider(bool thin) => new(_runner, thin);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Inspect_reports_used_plus_available_as_total(bool thin)
    {
        _runner.On("zfs list -H -p -o name,used,available tank/fabric", stdout: "tank/fabric\t1073741824\t9663676416\n");

        var usage = await Provider(thin).InspectPoolAsync(PoolFor(thin), CancellationToken.None);

        Assert.Equal(new PoolUsage(10485760, 9437184), usage);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Inspect_of_a_missing_dataset_names_it_in_a_storage_exception(bool thin)
    {
        _runner.On("zfs list -H -p -o name,used,available tank/fabric", exitCode: 1, stderr: Missing);

        var error = await Assert.ThrowsAsync<StorageException>(() => Provider(thin).InspectPoolAsync(PoolFor(thin), CancellationToken.None));

        Assert.Contains("ZFS dataset 'tank/fabric'", error.Message);
        Assert.Contains("dataset does not exist", error.Cause);
    }

    [Fact]
    public async Task Inspect_of_a_missing_zpool_names_it()
    {
        var pool = PoolSpec.From("zpool1", ProviderKind.Zfs, ImmutableDictionary<string, string>.Empty.Add(ProviderKinds.BackingStoreProp, "tank"));
        _runner.On("zfs list -H -p -o name,used,available tank", exitCode: 1, stderr: "cannot open 'tank': dataset does not exist\n");

        var error = await Assert.ThrowsAsync<StorageException>(() => Provider(false).InspectPoolAsync(pool, CancellationToken.None));

        Assert.Contains("'tank'", error.Message);
    }

    [Fact]
    public async Task List_returns_fabric_zvols_directly_below_the_dataset_only()
    {
        _runner.On("zfs list -H -p -d 1 -t volume -o name,volsize,used tank/fabric", stdout:
            "tank/fabric/rsc_00000\t1073741824\t1106051072\n" +
            "tank/fabric/rsc_00001\t16777216\t8192\n" +
            "tank/fabric/vm-100-disk-0\t34359738368\t34900000768\n" +
            "tank/fabric/nested/deep_00000\t1048576\t1048576\n" +
            "tank/fabricother/x_00000\t1048576\t1048576\n");

        var volumes = await Provider(false).ListVolumesAsync(PoolFor(false), CancellationToken.None);

        ProvidedVolume[] expected =
        [
            new(new VolumeId("rsc", 0), "/dev/zvol/tank/fabric/rsc_00000", 1048576, 1080128),
            new(new VolumeId("rsc", 1), "/dev/zvol/tank/fabric/rsc_00001", 16384, 8),
        ];
        Assert.Equal(expected, volumes);
    }

    [Fact]
    public async Task List_of_a_missing_dataset_is_a_storage_exception()
    {
        _runner.On("zfs list -H -p -d 1 -t volume -o name,volsize,used tank/fabric", exitCode: 1, stderr: Missing);

        await Assert.ThrowsAsync<StorageException>(() => Provider(true).ListVolumesAsync(PoolFor(true), CancellationToken.None));
    }

    [Fact]
    public async Task Create_fat_reserves_and_rounds_the_size_up_to_the_volume_block_size()
    {
        _runner
            .On("zfs create -V 1040k tank/fabric/rsc_00000")
            .On($"{ListOne} tank/fabric/rsc_00000", stdout: "tank/fabric/rsc_00000\t1064960\t1105920\n");

        var volume = await Provider(false).CreateVolumeAsync(PoolFor(false), Rsc, 1030, CancellationToken.None);

        Assert.Equal(new ProvidedVolume(Rsc, "/dev/zvol/tank/fabric/rsc_00000", 1040, 1080), volume);
    }

    [Fact]
    public async Task Create_thin_makes_a_sparse_zvol()
    {
        _runner
            .On("zfs create -s -V 1048576k tank/fabric/rsc_00000")
            .On($"{ListOne} tank/fabric/rsc_00000", stdout: "tank/fabric/rsc_00000\t1073741824\t57344\n");

        var volume = await Provider(true).CreateVolumeAsync(PoolFor(true), Rsc, 1048576, CancellationToken.None);

        Assert.Equal(new ProvidedVolume(Rsc, "/dev/zvol/tank/fabric/rsc_00000", 1048576, 56), volume);
    }

    [Fact]
    public async Task Create_waits_for_the_device_node()
    {
        var waited = new List<string>();
        var provider = new ZfsProvider(_runner, thin: true, (device, _) =>
        {
            waited.Add(device);
            return Task.CompletedTask;
        });
        _runner
            .On("zfs create -s -V 16k tank/fabric/rsc_00000")
            .On($"{ListOne} tank/fabric/rsc_00000", stdout: "tank/fabric/rsc_00000\t16384\t8192\n");

        await provider.CreateVolumeAsync(PoolFor(true), Rsc, 16, CancellationToken.None);

        Assert.Equal(["/dev/zvol/tank/fabric/rsc_00000"], waited);
    }

    [Fact]
    public async Task Create_in_a_missing_zpool_is_a_storage_exception_naming_it()
    {
        _runner.On("zfs create -V 16k tank/fabric/rsc_00000", exitCode: 1, stderr: "cannot create 'tank/fabric/rsc_00000': no such pool 'tank'\n");

        var error = await Assert.ThrowsAsync<StorageException>(() => Provider(false).CreateVolumeAsync(PoolFor(false), Rsc, 16, CancellationToken.None));

        Assert.Contains("ZFS dataset 'tank/fabric'", error.Message);
    }

    [Fact]
    public async Task Create_of_an_existing_zvol_is_a_storage_exception()
    {
        _runner.On("zfs create -V 16k tank/fabric/rsc_00000", exitCode: 1, stderr: "cannot create 'tank/fabric/rsc_00000': dataset already exists\n");

        var error = await Assert.ThrowsAsync<StorageException>(() => Provider(false).CreateVolumeAsync(PoolFor(false), Rsc, 16, CancellationToken.None));

        Assert.Contains("already exists", error.Message);
    }

    [Fact]
    public async Task A_failed_zfs_create_carries_stderr()
    {
        const string stderr = "cannot create 'tank/fabric/rsc_00000': out of space\n";
        _runner.On("zfs create -V 16k tank/fabric/rsc_00000", exitCode: 1, stderr: stderr);

        var error = await Assert.ThrowsAsync<CommandFailedException>(() => Provider(false).CreateVolumeAsync(PoolFor(false), Rsc, 16, CancellationToken.None));

        Assert.Equal(stderr, error.Stderr);
        Assert.Contains("out of space", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Resize_sets_a_larger_volsize(bool thin)
    {
        _runner
            .On($"{ListOne} tank/fabric/rsc_00000", stdout: "tank/fabric/rsc_00000\t1048576\t8192\n")
            .On("zfs set volsize=2048k tank/fabric/rsc_00000")
            .On($"{ListOne} tank/fabric/rsc_00000", stdout: "tank/fabric/rsc_00000\t2097152\t8192\n");

        var volume = await Provider(thin).ResizeVolumeAsync(PoolFor(thin), Rsc, 2040, CancellationToken.None);

        Assert.Equal(2048, volume.UsableKiB);
    }

    [Fact]
    public async Task Resize_never_shrinks()
    {
        _runner.On($"{ListOne} tank/fabric/rsc_00000", stdout: "tank/fabric/rsc_00000\t2097152\t8192\n");

        var volume = await Provider(false).ResizeVolumeAsync(PoolFor(false), Rsc, 1024, CancellationToken.None);

        Assert.Equal(2048, volume.UsableKiB);
    }

    [Fact]
    public async Task Activate_of_a_missing_zvol_is_a_storage_exception()
    {
        _runner.On($"{ListOne} tank/fabric/rsc_00000", exitCode: 1, stderr: "cannot open 'tank/fabric/rsc_00000': dataset does not exist\n");

        var error = await Assert.ThrowsAsync<StorageException>(() => Provider(false).ActivateVolumeAsync(PoolFor(false), Rsc, CancellationToken.None));

        Assert.Contains("rsc_00000", error.Message);
    }

    [Fact]
    public async Task Activate_of_an_existing_zvol_runs_only_a_query()
    {
        _runner.On($"{ListOne} tank/fabric/rsc_00000", stdout: "tank/fabric/rsc_00000\t1048576\t8192\n");

        var volume = await Provider(false).ActivateVolumeAsync(PoolFor(false), Rsc, CancellationToken.None);

        Assert.Equal("/dev/zvol/tank/fabric/rsc_00000", volume.DevicePath);
        Assert.All(_runner.Ran, c => Assert.True(QueryCommands.IsQuery(c), c.ToString()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Delete_destroys_the_zvol(bool thin)
    {
        _runner.On("zfs destroy tank/fabric/rsc_00000");

        await Provider(thin).DeleteVolumeAsync(PoolFor(thin), Rsc, CancellationToken.None);

        Assert.Single(_runner.Ran);
    }

    [Fact]
    public async Task Delete_of_an_absent_zvol_succeeds()
    {
        _runner.On("zfs destroy tank/fabric/rsc_00000", exitCode: 1, stderr: "cannot open 'tank/fabric/rsc_00000': dataset does not exist\n");

        await Provider(true).DeleteVolumeAsync(PoolFor(true), Rsc, CancellationToken.None);

        Assert.Single(_runner.Ran);
    }

    [Fact]
    public async Task Delete_of_a_busy_zvol_raises_command_failed()
    {
        _runner.On("zfs destroy tank/fabric/rsc_00000", exitCode: 1, stderr: "cannot destroy 'tank/fabric/rsc_00000': dataset is busy\n");

        var error = await Assert.ThrowsAsync<CommandFailedException>(() => Provider(false).DeleteVolumeAsync(PoolFor(false), Rsc, CancellationToken.None));

        Assert.Equal(1, error.ExitCode);
        Assert.Contains("dataset is busy", error.Message);
    }
}
