using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Meta;
using Fabric.Node.Process;
using Fabric.Node.Tests.Infrastructure;

namespace Fabric.Node.Tests.Drbd.Meta;

/// <summary>The real drbdmeta (drbd-utils from apt) on sparse image files in a temporary directory.</summary>
public sealed class DrbdMetaToolTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"fabric-drbdmeta-{Guid.NewGuid():N}");
    private readonly CommandRunner _runner = new();

    public DrbdMetaToolTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string SparseImage(string name = "disk.img")
    {
        var path = Path.Combine(_dir, name);
        using var file = File.Create(path);
        file.SetLength(64L * 1024 * 1024);
        return path;
    }

    private async Task<string> DumpAsync(string format, string image)
    {
        var result = await _runner.RunCheckedAsync(CommandSpec.Of("drbdmeta", "--force", "1000", format, image, "internal", "dump-md"), CancellationToken.None);
        return result.Stdout;
    }

    [DrbdMetaFact]
    public async Task A_fresh_image_has_no_meta_data_in_either_format()
    {
        var image = SparseImage();

        Assert.False(await new DrbdMetaTool(_runner, DrbdApiVersion.V2).HasMetadataAsync(1000, image, CancellationToken.None));
        Assert.False(await new DrbdMetaTool(_runner, DrbdApiVersion.V1).HasMetadataAsync(1000, image, CancellationToken.None));
    }

    [DrbdMetaFact]
    public async Task V09_meta_data_is_created_with_the_peer_slots_and_then_detected()
    {
        var image = SparseImage();
        var tool = new DrbdMetaTool(_runner, DrbdApiVersion.V2);

        await tool.CreateMetadataAsync(1000, image, 3, CancellationToken.None);

        Assert.True(await tool.HasMetadataAsync(1000, image, CancellationToken.None));
        var dump = await DumpAsync("v09", image);
        Assert.Contains("version \"v09\";", dump);
        Assert.Contains("max-peers 3;", dump);
        Assert.Contains("current-uuid 0x0000000000000004;", dump); // UUID_JUST_CREATED
        Assert.False(await new DrbdMetaTool(_runner, DrbdApiVersion.V1).HasMetadataAsync(1000, image, CancellationToken.None));
    }

    [DrbdMetaFact]
    public async Task V08_meta_data_is_created_for_84_and_detected_only_as_v08()
    {
        var image = SparseImage();
        var tool = new DrbdMetaTool(_runner, DrbdApiVersion.V1);

        await tool.CreateMetadataAsync(1000, image, 7, CancellationToken.None);

        Assert.True(await tool.HasMetadataAsync(1000, image, CancellationToken.None));
        Assert.Contains("version \"v08\";", await DumpAsync("v08", image));
        Assert.False(await new DrbdMetaTool(_runner, DrbdApiVersion.V2).HasMetadataAsync(1000, image, CancellationToken.None));
    }

    [DrbdMetaFact]
    public async Task The_activity_log_is_replayed_on_existing_meta_data_of_both_formats_and_keeps_it()
    {
        foreach (var api in new[] { DrbdApiVersion.V1, DrbdApiVersion.V2 })
        {
            var image = SparseImage($"al-{api}.img");
            var tool = new DrbdMetaTool(_runner, api);
            await tool.CreateMetadataAsync(1000, image, 2, CancellationToken.None);

            await tool.ApplyActivityLogAsync(1000, image, CancellationToken.None);

            Assert.True(await tool.HasMetadataAsync(1000, image, CancellationToken.None));
        }
    }

    [DrbdMetaFact]
    public async Task Replaying_the_activity_log_without_meta_data_fails_with_drbdmetas_reason()
    {
        var image = SparseImage();
        var error = await Assert.ThrowsAsync<CommandFailedException>(() => new DrbdMetaTool(_runner, DrbdApiVersion.V1).ApplyActivityLogAsync(1000, image, CancellationToken.None));
        Assert.Contains("apply-al", error.Message);
    }

    [DrbdMetaFact]
    public async Task Creating_again_overwrites_existing_meta_data()
    {
        var image = SparseImage();
        var v09 = new DrbdMetaTool(_runner, DrbdApiVersion.V2);
        await v09.CreateMetadataAsync(1000, image, 1, CancellationToken.None);

        await v09.CreateMetadataAsync(1000, image, 5, CancellationToken.None);

        Assert.Contains("max-peers 5;", await DumpAsync("v09", image));
    }

    [DrbdMetaFact]
    public async Task A_missing_device_is_an_error_not_absent_meta_data()
    {
        var missing = Path.Combine(_dir, "missing.img");

        var e = await Assert.ThrowsAsync<CommandFailedException>(() => new DrbdMetaTool(_runner, DrbdApiVersion.V2).HasMetadataAsync(1000, missing, CancellationToken.None));

        Assert.Equal(20, e.ExitCode);
        Assert.Contains(missing, e.Message);
        Assert.Contains("No such file or directory", e.Message);
    }

    [Fact]
    public async Task The_command_lines_are_drbdmetas_internal_meta_data_forms()
    {
        using var scripted = new ScriptedCommandRunner()
            .On("drbdmeta --force 1000 v09 /dev/vg/r0 internal get-gi --node-id 0", 1)
            .On("drbdmeta --force 1000 v09 /dev/vg/r0 internal create-md 3")
            .On("drbdmeta --force 7 v08 /dev/sdb internal get-gi", 0, "0000000000000004:0000000000000000:0000000000000000:0000000000000000:0:0:0:0:0:0:0")
            .On("drbdmeta --force 7 v08 /dev/sdb internal create-md");

        Assert.False(await new DrbdMetaTool(scripted, DrbdApiVersion.V2).HasMetadataAsync(1000, "/dev/vg/r0", CancellationToken.None));
        await new DrbdMetaTool(scripted, DrbdApiVersion.V2).CreateMetadataAsync(1000, "/dev/vg/r0", 3, CancellationToken.None);
        Assert.True(await new DrbdMetaTool(scripted, DrbdApiVersion.V1).HasMetadataAsync(7, "/dev/sdb", CancellationToken.None));
        await new DrbdMetaTool(scripted, DrbdApiVersion.V1).CreateMetadataAsync(7, "/dev/sdb", 3, CancellationToken.None);
    }

    [Fact]
    public async Task Peer_slots_outside_drbd_9s_range_are_refused_before_running_anything()
    {
        using var scripted = new ScriptedCommandRunner();
        var tool = new DrbdMetaTool(scripted, DrbdApiVersion.V2);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => tool.CreateMetadataAsync(1000, "/dev/x", 0, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => tool.CreateMetadataAsync(1000, "/dev/x", 32, CancellationToken.None));
        Assert.Empty(scripted.Ran);
    }
}

/// <summary>A fact that runs the real drbdmeta; skipped (with the reason) where drbd-utils is not installed.</summary>
public sealed class DrbdMetaFactAttribute : FactAttribute
{
    public DrbdMetaFactAttribute() => Skip =
        new[] { "/usr/sbin/drbdmeta", "/sbin/drbdmeta" }.Any(File.Exists) ? null : "needs drbdmeta (apt-get install drbd-utils)";
}
