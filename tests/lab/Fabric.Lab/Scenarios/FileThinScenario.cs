using System.Globalization;
using System.Text.Json;
using Fabric.Lab.Infrastructure;

namespace Fabric.Lab.Scenarios;

/// <summary>
/// Scenario 4: FILE_THIN on the host's own loop devices, with the embedded default (one combined
/// process: controller, satellite and its FILE_THIN pool): create a volume, grow it, delete it,
/// checking the loop device with losetup and blockdev. Runs on the host, not in a guest.
/// </summary>
public sealed class FileThinScenario : ILabScenario
{
    private const string Rd = "lab-file";

    public string Name => "file-thin";

    public int Guests => 0;

    public async Task RunAsync(LabSession session)
    {
        await using var host = await HostFabric.StartAsync(session.Paths, "embedded", "combined", 27560, 27580, 27581, "127.0.0.1", ["--node-heartbeat-interval", "1"]);
        var rest = host.Rest;
        var node = "embedded";
        await session.WaitNodeAsync(rest, node, "ONLINE", TimeSpan.FromMinutes(2));
        await rest.PostAsync("/v1/resource-definitions", $$$"""{"resource_definition":{"name":"{{{Rd}}}","layer_data":[{"type":"STORAGE"}]}}""");
        await rest.PostAsync($"/v1/resource-definitions/{Rd}/volume-definitions", """{"volume_definition":{"size_kib":32768}}""");
        await rest.PostAsync($"/v1/resource-definitions/{Rd}/resources", $$$"""[{"resource":{"node_name":"{{{node}}}","props":{"StorPoolName":"DfltStorPool"}},"layer_list":["storage"]}]""");
        var device = await WaitLoopAsync(rest, node, 32768);
        Check(await BlockSizeAsync(device) == 32768L * 1024, $"{device} is 32 MiB");
        var backing = (await Processes.RunCheckedAsync("losetup", ["--noheadings", "--output", "BACK-FILE", device], TimeSpan.FromSeconds(10))).Trim();
        Check(backing.EndsWith($"{Rd}_00000.img", StringComparison.Ordinal), $"{device} is backed by {Rd}_00000.img (losetup: {backing})");

        await rest.PutAsync($"/v1/resource-definitions/{Rd}/volume-definitions/0", """{"size_kib":65536}""");
        Check(await WaitLoopAsync(rest, node, 65536) == device, "the grown volume keeps its loop device");
        Check(await BlockSizeAsync(device) == 65536L * 1024, $"{device} grew to 64 MiB");

        await rest.DeleteAsync($"/v1/resource-definitions/{Rd}");
        await Wait.UntilAsync(async () => !File.Exists(backing) && !(await Processes.RunAsync("losetup", ["--list", "--noheadings", "--output", "BACK-FILE"], TimeSpan.FromSeconds(10))).Output.Contains(backing, StringComparison.Ordinal),
            "the loop device and its file gone", TimeSpan.FromMinutes(1));
    }

    private static async Task<string> WaitLoopAsync(Rest rest, string node, long usableKiB)
    {
        JsonElement? last = null;
        await Wait.UntilAsync(async () =>
        {
            last = await rest.VolumeAsync(Rd, node);
            return Rest.DiskState(last) == "UpToDate" && last is { } v && (Rest.Str(v, "device_path") ?? string.Empty).StartsWith("/dev/loop", StringComparison.Ordinal) && Rest.Long(v, "usable_size_kib") == usableKiB;
        }, $"{Rd} UpToDate on a loop device with {usableKiB} KiB", TimeSpan.FromMinutes(1), () => last?.ToString() ?? "(not listed)");
        return Rest.Str(last!.Value, "device_path")!;
    }

    private static async Task<long> BlockSizeAsync(string device) =>
        long.Parse((await Processes.RunCheckedAsync("blockdev", ["--getsize64", device], TimeSpan.FromSeconds(10))).Trim(), CultureInfo.InvariantCulture);

    private static void Check(bool condition, string expectation)
    {
        if (!condition)
        {
            throw new LabFailure("expected: " + expectation);
        }
    }
}
