using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Node.Process;
using Fabric.Node.Storage;
using Fabric.Node.Storage.Files;
using Fabric.Node.Tests.Infrastructure;

namespace Fabric.Node.Tests.Storage;

/// <summary>FILE and FILE_THIN against real sparse/allocated files and real loop devices.</summary>
public sealed class FileProviderTests : IDisposable
{
    private const long MiB = 1024;
    private static readonly VolumeId Rsc = new("rsc", 0);

    private readonly LoopTestDirectory _dir = new();
    private readonly CountingCommandRunner _runner = new(new CommandRunner());

    public void Dispose() => _dir.Dispose();

    private PoolSpec Pool(bool thin, string? directory = null) => PoolSpec.From("files", thin ? ProviderKind.FileThin : ProviderKind.File,
        ImmutableDictionary<string, string>.Empty.Add(ProviderKinds.BackingStoreProp, directory ?? _dir.Path));

    private FileProvider Provider(bool thin) => new(_runner, thin);

    private string FileOf(VolumeId volume) => Path.Combine(_dir.Path, volume.StorageName + ".img");

    [LoopDeviceTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Create_attaches_a_loop_device_of_the_requested_size(bool thin)
    {
        var volume = await Provider(thin).CreateVolumeAsync(Pool(thin), Rsc, 16 * MiB, CancellationToken.None);

        Assert.NotNull(volume.DevicePath);
        Assert.StartsWith("/dev/loop", volume.DevicePath);
        Assert.Equal(16 * MiB * 1024, LoopTestDirectory.DeviceBytes(volume.DevicePath));
        Assert.Equal(16 * MiB * 1024, new FileInfo(FileOf(Rsc)).Length);
        Assert.Equal(new LoopDevice(volume.DevicePath, FileOf(Rsc), false), Assert.Single(_dir.Loops()));
        Assert.Equal(16 * MiB, volume.UsableKiB);
    }

    [LoopDeviceTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task List_reports_allocation_sparse_for_thin_full_for_fat(bool thin)
    {
        await Provider(thin).CreateVolumeAsync(Pool(thin), Rsc, 32 * MiB, CancellationToken.None);

        var listed = Assert.Single(await Provider(thin).ListVolumesAsync(Pool(thin), CancellationToken.None));

        Assert.Equal(32 * MiB, listed.UsableKiB);
        if (thin)
        {
            Assert.True(listed.AllocatedKiB < 1 * MiB, $"a fresh sparse file allocates (almost) nothing, got {listed.AllocatedKiB} KiB");
        }
        else
        {
            Assert.True(listed.AllocatedKiB >= 32 * MiB, $"a fallocated file occupies its size, got {listed.AllocatedKiB} KiB");
        }
    }

    [LoopDeviceTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_new_provider_lists_and_adopts_the_attached_device_without_mutating_anything(bool thin)
    {
        var created = await Provider(thin).CreateVolumeAsync(Pool(thin), Rsc, 8 * MiB, CancellationToken.None);
        var other = new VolumeId("other", 3);
        await Provider(thin).CreateVolumeAsync(Pool(thin), other, 4 * MiB, CancellationToken.None);
        _runner.Reset();

        var fresh = new FileProvider(_runner, thin);
        var listed = await fresh.ListVolumesAsync(Pool(thin), CancellationToken.None);
        var activated = await fresh.ActivateVolumeAsync(Pool(thin), Rsc, CancellationToken.None);

        Assert.Equal(created.DevicePath, listed.Single(v => v.Id == Rsc).DevicePath);
        Assert.Equal(4 * MiB, listed.Single(v => v.Id == other).UsableKiB);
        Assert.Equal(created.DevicePath, activated.DevicePath);
        Assert.Empty(_runner.MutatingCommands);
        Assert.Equal(2, _dir.Loops().Count);
    }

    [LoopDeviceFact]
    public async Task List_runs_one_losetup_and_one_stat_for_many_volumes()
    {
        for (var i = 0; i < 5; i++)
        {
            await Provider(thin: true).CreateVolumeAsync(Pool(thin: true), new VolumeId($"r{i}", 0), 4 * MiB, CancellationToken.None);
        }
        _runner.Reset();

        var listed = await Provider(thin: true).ListVolumesAsync(Pool(thin: true), CancellationToken.None);

        Assert.Equal(5, listed.Count);
        Assert.All(listed, v => Assert.NotNull(v.DevicePath));
        Assert.Equal(["losetup", "stat"], _runner.Commands.Select(c => c.Program));
    }

    [LoopDeviceFact]
    public async Task List_ignores_files_fabric_did_not_create_and_shows_detached_volumes_without_device()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir.Path, "notes.img"), "x");
        await File.WriteAllTextAsync(Path.Combine(_dir.Path, "rsc_00009.txt"), "x");
        Directory.CreateDirectory(Path.Combine(_dir.Path, "sub_00000.img"));
        await using (var stream = File.Create(FileOf(new VolumeId("detached", 1))))
        {
            stream.SetLength(4 * MiB * 1024);
        }

        var listed = Assert.Single(await Provider(thin: true).ListVolumesAsync(Pool(thin: true), CancellationToken.None));

        Assert.Equal(new VolumeId("detached", 1), listed.Id);
        Assert.Null(listed.DevicePath);
        Assert.Empty(_dir.Loops());
    }

    [LoopDeviceTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Resize_grows_the_file_and_the_attached_device(bool thin)
    {
        var created = await Provider(thin).CreateVolumeAsync(Pool(thin), Rsc, 8 * MiB, CancellationToken.None);

        var resized = await Provider(thin).ResizeVolumeAsync(Pool(thin), Rsc, 24 * MiB, CancellationToken.None);

        Assert.Equal(created.DevicePath, resized.DevicePath);
        Assert.Equal(24 * MiB, resized.UsableKiB);
        Assert.Equal(24 * MiB * 1024, LoopTestDirectory.DeviceBytes(resized.DevicePath!));
        Assert.Single(_dir.Loops());
    }

    [LoopDeviceFact]
    public async Task Concurrent_creates_attach_distinct_loop_devices()
    {
        var volumes = Enumerable.Range(0, 6).Select(i => new VolumeId($"par{i}", 0)).ToList();

        var created = await Task.WhenAll(volumes.Select(v => Provider(thin: true).CreateVolumeAsync(Pool(thin: true), v, 4 * MiB, CancellationToken.None)));

        Assert.Equal(6, created.Select(v => v.DevicePath).Distinct().Count());
        Assert.Equal(
            volumes.Select(FileOf).Order(),
            _dir.Loops().Select(l => l.BackingFile).Order());
    }

    [LoopDeviceFact]
    public async Task Resize_never_shrinks()
    {
        var created = await Provider(thin: true).CreateVolumeAsync(Pool(thin: true), Rsc, 16 * MiB, CancellationToken.None);

        var resized = await Provider(thin: true).ResizeVolumeAsync(Pool(thin: true), Rsc, 8 * MiB, CancellationToken.None);

        Assert.Equal(16 * MiB, resized.UsableKiB);
        Assert.Equal(16 * MiB * 1024, LoopTestDirectory.DeviceBytes(created.DevicePath!));
    }

    [LoopDeviceTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Delete_detaches_the_loop_device_and_removes_the_file(bool thin)
    {
        await Provider(thin).CreateVolumeAsync(Pool(thin), Rsc, 8 * MiB, CancellationToken.None);

        await Provider(thin).DeleteVolumeAsync(Pool(thin), Rsc, CancellationToken.None);

        Assert.Empty(_dir.Loops());
        Assert.False(File.Exists(FileOf(Rsc)));
        Assert.Empty(await Provider(thin).ListVolumesAsync(Pool(thin), CancellationToken.None));
    }

    [LoopDeviceFact]
    public async Task Delete_also_detaches_a_loop_left_on_a_deleted_file()
    {
        await Provider(thin: true).CreateVolumeAsync(Pool(thin: true), Rsc, 8 * MiB, CancellationToken.None);
        File.Delete(FileOf(Rsc));
        Assert.True(Assert.Single(_dir.Loops()).Deleted);

        await Provider(thin: true).DeleteVolumeAsync(Pool(thin: true), Rsc, CancellationToken.None);

        Assert.Empty(_dir.Loops());
    }

    [LoopDeviceFact]
    public async Task Activate_after_a_manual_detach_attaches_again()
    {
        var created = await Provider(thin: true).CreateVolumeAsync(Pool(thin: true), Rsc, 8 * MiB, CancellationToken.None);
        LoopTestDirectory.Detach(created.DevicePath!);
        Assert.Null(Assert.Single(await Provider(thin: true).ListVolumesAsync(Pool(thin: true), CancellationToken.None)).DevicePath);

        var activated = await Provider(thin: true).ActivateVolumeAsync(Pool(thin: true), Rsc, CancellationToken.None);

        Assert.NotNull(activated.DevicePath);
        Assert.Equal(8 * MiB * 1024, LoopTestDirectory.DeviceBytes(activated.DevicePath));
        Assert.Equal(activated.DevicePath, Assert.Single(_dir.Loops()).Device);
    }

    [LoopDeviceFact]
    public async Task Activate_does_not_adopt_a_loop_left_on_a_deleted_file_of_the_same_name()
    {
        var stale = await Provider(thin: true).CreateVolumeAsync(Pool(thin: true), Rsc, 8 * MiB, CancellationToken.None);
        File.Delete(FileOf(Rsc));
        await using (var stream = File.Create(FileOf(Rsc)))
        {
            stream.SetLength(4 * MiB * 1024);
        }

        var activated = await Provider(thin: true).ActivateVolumeAsync(Pool(thin: true), Rsc, CancellationToken.None);

        Assert.NotEqual(stale.DevicePath, activated.DevicePath);
        Assert.Equal(4 * MiB * 1024, LoopTestDirectory.DeviceBytes(activated.DevicePath!));
    }

    [LoopDeviceFact]
    public async Task Activate_of_a_missing_file_is_a_storage_exception()
    {
        var error = await Assert.ThrowsAsync<StorageException>(() => Provider(thin: true).ActivateVolumeAsync(Pool(thin: true), Rsc, CancellationToken.None));

        Assert.Contains("rsc_00000", error.Message);
    }

    [LoopDeviceFact]
    public async Task Deleting_an_absent_volume_succeeds()
    {
        await Provider(thin: false).DeleteVolumeAsync(Pool(thin: false), Rsc, CancellationToken.None);

        Assert.Empty(_runner.MutatingCommands);
    }

    [LoopDeviceFact]
    public async Task Creating_an_existing_volume_is_a_storage_exception_and_leaves_it_intact()
    {
        var created = await Provider(thin: true).CreateVolumeAsync(Pool(thin: true), Rsc, 8 * MiB, CancellationToken.None);

        var error = await Assert.ThrowsAsync<StorageException>(() => Provider(thin: true).CreateVolumeAsync(Pool(thin: true), Rsc, 4 * MiB, CancellationToken.None));

        Assert.Contains("already exists", error.Message);
        Assert.Equal(8 * MiB * 1024, new FileInfo(FileOf(Rsc)).Length);
        Assert.Equal(created.DevicePath, Assert.Single(_dir.Loops()).Device);
    }

    [LoopDeviceFact]
    public async Task A_pool_directory_reached_through_a_symlink_still_adopts_its_loops()
    {
        var link = _dir.Path + "-link";
        Directory.CreateSymbolicLink(link, _dir.Path);
        try
        {
            var created = await Provider(thin: true).CreateVolumeAsync(Pool(thin: true, link), Rsc, 4 * MiB, CancellationToken.None);

            var listed = Assert.Single(await Provider(thin: true).ListVolumesAsync(Pool(thin: true, link), CancellationToken.None));

            Assert.Equal(created.DevicePath, listed.DevicePath);
            Assert.Equal(FileOf(Rsc), Assert.Single(_dir.Loops()).BackingFile);
        }
        finally
        {
            Directory.Delete(link);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_missing_directory_is_a_storage_exception_naming_it(bool thin)
    {
        var missing = Path.Combine(_dir.Path, "nope");

        var inspect = await Assert.ThrowsAsync<StorageException>(() => Provider(thin).InspectPoolAsync(Pool(thin, missing), CancellationToken.None));
        var list = await Assert.ThrowsAsync<StorageException>(() => Provider(thin).ListVolumesAsync(Pool(thin, missing), CancellationToken.None));
        var create = await Assert.ThrowsAsync<StorageException>(() => Provider(thin).CreateVolumeAsync(Pool(thin, missing), Rsc, MiB, CancellationToken.None));

        Assert.Equal($"Storage pool 'files' on this node: directory '{missing}' does not exist", inspect.Message);
        Assert.Equal(inspect.Message, list.Message);
        Assert.Equal(inspect.Message, create.Message);
        Assert.Contains(ProviderKinds.BackingStoreProp, inspect.Correction);
        Assert.Empty(_runner.Commands);
    }

    [Fact]
    public async Task A_relative_directory_is_rejected()
    {
        var error = await Assert.ThrowsAsync<StorageException>(() => Provider(thin: true).InspectPoolAsync(Pool(thin: true, "relative/dir"), CancellationToken.None));

        Assert.Contains("not an absolute path", error.Message);
    }

    [Fact]
    public async Task Inspect_reports_the_filesystem_capacity()
    {
        var usage = await Provider(thin: true).InspectPoolAsync(Pool(thin: true), CancellationToken.None);

        var df = await new CommandRunner().RunCheckedAsync(CommandSpec.Of("df", "--output=size", "-k", _dir.Path), CancellationToken.None);
        Assert.Equal(long.Parse(df.Stdout.Split('\n')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture), usage.TotalKiB);
        Assert.InRange(usage.FreeKiB, 0, usage.TotalKiB);
        Assert.Empty(_runner.Commands);
    }
}
