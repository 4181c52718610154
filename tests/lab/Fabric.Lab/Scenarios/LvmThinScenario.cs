using System.Globalization;
using Fabric.Lab.Infrastructure;

namespace Fabric.Lab.Scenarios;

/// <summary>
/// Scenario 1: one guest's satellite with an LVM_THIN pool on its virtual disk, driven by the
/// controller on the host through REST: create, grow and delete thin volumes; the pool's capacity
/// is reported; after a reboot of the guest the agent adopts the thin volume that exists.
/// Every check of the guest's storage reads LVM itself (lvs, blockdev), not Fabric.
/// </summary>
public sealed class LvmThinScenario : ILabScenario
{
    private const string Rd = "lab-thin";

    public string Name => "lvm-thin";

    public int Guests => 1;

    public async Task RunAsync(LabSession session)
    {
        var guest = await session.OnlineSatelliteAsync(1);
        var rest = session.Rest;
        var node = guest.Name;
        await rest.PostAsync($"/v1/nodes/{node}/storage-pools", """{"storage_pool_name":"thin","provider_kind":"LVM_THIN","props":{"StorDriver/StorPoolName":"fabric/thin"}}""");
        var pool = await Wait.UntilAsync(async () => Rest.Long(await rest.GetAsync($"/v1/nodes/{node}/storage-pools/thin"), "total_capacity") > 0, "thin pool capacity", TimeSpan.FromMinutes(1));
        var reported = await rest.GetAsync($"/v1/nodes/{node}/storage-pools/thin");
        var totalKiB = Rest.Long(reported, "total_capacity")!.Value;
        var lvmKiB = long.Parse((await guest.ExecCheckedAsync("lvs --noheadings --units k --nosuffix -o lv_size fabric/thin")).Trim().Split('.')[0], CultureInfo.InvariantCulture);
        Check(totalKiB == lvmKiB, $"total_capacity {totalKiB} KiB equals the thin pool's size {lvmKiB} KiB in lvs");

        await rest.PostAsync("/v1/resource-definitions", $$$"""{"resource_definition":{"name":"{{{Rd}}}","layer_data":[{"type":"STORAGE"}]}}""");
        await rest.PostAsync($"/v1/resource-definitions/{Rd}/volume-definitions", """{"volume_definition":{"size_kib":65536}}""");
        await rest.PostAsync($"/v1/resource-definitions/{Rd}/resources", $$$"""[{"resource":{"node_name":"{{{node}}}","props":{"StorPoolName":"thin"}},"layer_list":["storage"]}]""");
        var device = $"/dev/fabric/{Rd}_00000";
        await WaitVolumeAsync(rest, node, 65536, device);
        Check(await BlockSizeAsync(guest, device) == 65536L * 1024, $"{device} is 64 MiB in the guest");
        var lvAttr = (await guest.ExecCheckedAsync($"lvs --noheadings -o lv_attr,pool_lv fabric/{Rd}_00000")).Trim();
        Check(lvAttr.StartsWith('V') && lvAttr.EndsWith("thin", StringComparison.Ordinal), $"{Rd}_00000 is a thin volume of fabric/thin (lvs: {lvAttr})");

        await rest.PutAsync($"/v1/resource-definitions/{Rd}/volume-definitions/0", """{"size_kib":131072}""");
        await WaitVolumeAsync(rest, node, 131072, device);
        Check(await BlockSizeAsync(guest, device) == 131072L * 1024, $"{device} grew to 128 MiB in the guest");

        // Reboot the guest: the LV survives on the disk, the agent adopts it (no second LV, same device).
        // OnlineSatelliteAsync waits for the new boot's agent, so the node's OFFLINE in between need not be awaited.
        await guest.PowerOffAsync();
        await session.OnlineSatelliteAsync(1);
        await WaitVolumeAsync(rest, node, 131072, device);
        var lvs = (await guest.ExecCheckedAsync("lvs --noheadings -o lv_name fabric")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Check(lvs.Order(StringComparer.Ordinal).SequenceEqual(new[] { $"{Rd}_00000", "thin" }), $"after the reboot the guest has exactly the adopted volume and the pool (lvs: {string.Join(", ", lvs)})");
        Check(await BlockSizeAsync(guest, device) == 131072L * 1024, $"{device} is still 128 MiB after the reboot");

        await rest.DeleteAsync($"/v1/resource-definitions/{Rd}");
        await Wait.UntilAsync(async () => (await guest.ExecAsync($"lvs fabric/{Rd}_00000")).Exit != 0, $"{Rd}_00000 removed from the guest", TimeSpan.FromMinutes(1));
        LabLog.Info($"lvm-thin: pool reported {totalKiB} KiB after {pool.TotalSeconds:0.0} s; create, grow, reboot-adopt and delete verified with lvs");
    }

    private static async Task WaitVolumeAsync(Rest rest, string node, long usableKiB, string device)
    {
        System.Text.Json.JsonElement? last = null;
        await Wait.UntilAsync(async () =>
        {
            last = await rest.VolumeAsync(Rd, node);
            return Rest.DiskState(last) == "UpToDate" && last is { } v && Rest.Str(v, "device_path") == device && Rest.Long(v, "usable_size_kib") >= usableKiB;
        }, $"{Rd} on {node} UpToDate at {device} with {usableKiB} KiB", TimeSpan.FromMinutes(2), () => last?.ToString() ?? "(not listed)");
    }

    private static async Task<long> BlockSizeAsync(Guest guest, string device) =>
        long.Parse((await guest.ExecCheckedAsync($"blockdev --getsize64 {device}")).Trim(), CultureInfo.InvariantCulture);

    private static void Check(bool condition, string expectation)
    {
        if (!condition)
        {
            throw new LabFailure("expected: " + expectation);
        }
    }
}
