using System.Globalization;
using System.Text.Json;
using Fabric.Lab.Infrastructure;

namespace Fabric.Lab.Scenarios;

/// <summary>What the DRBD scenarios share: a two-replica LVM_THIN resource with the DRBD layer on lab-a and lab-b, and checks on both sides.</summary>
public static class DrbdLab
{
    public const string Pool = "thin";

    /// <summary>Both guests ONLINE with the LVM_THIN pool "thin" on their fabric/thin thin pool.</summary>
    public static async Task<(Guest A, Guest B)> TwoSatellitesAsync(LabSession session)
    {
        // Both guests were booted side by side at the lab's start (LabSession.BootSatellitesAsync).
        var a = await session.OnlineSatelliteAsync(1);
        var b = await session.OnlineSatelliteAsync(2);
        foreach (var guest in new[] { a, b })
        {
            var pools = await session.Rest.GetAsync($"/v1/nodes/{guest.Name}/storage-pools");
            if (!pools.EnumerateArray().Any(p => Rest.Str(p, "storage_pool_name") == Pool))
            {
                await session.Rest.PostAsync($"/v1/nodes/{guest.Name}/storage-pools", $$$"""{"storage_pool_name":"{{{Pool}}}","provider_kind":"LVM_THIN","props":{"StorDriver/StorPoolName":"fabric/thin"}}""");
            }
        }
        return (a, b);
    }

    /// <summary>A definition with DRBD over STORAGE, one volume, replicas on both guests' thin pools.</summary>
    /// <remarks>DRBD 8.4 has no quorum and no diskless tiebreaker: the definition says so, so none is added.</remarks>
    public static async Task CreateAsync(Rest rest, string rd, long sizeKiB, Guest a, Guest b, IReadOnlyDictionary<string, string>? props = null)
    {
        var all = new Dictionary<string, string>(props ?? new Dictionary<string, string>())
        {
            ["DrbdOptions/auto-add-quorum-tiebreaker"] = "false",
            // A guest under TCG stalls for many seconds: DRBD's default 0.5 s ping timeout drops the
            // connection again and again ("PingAck did not arrive in time").
            ["DrbdOptions/Net/ping-timeout"] = "300",
            ["DrbdOptions/Net/ping-int"] = "30",
            ["DrbdOptions/Net/timeout"] = "200",
            ["DrbdOptions/Net/connect-int"] = "30",
            // A peer that does not complete a write within ko-count × timeout (80 s) is expelled: with
            // ko-count 0 (never) a Primary whose peer was powered off blocked its writer for minutes
            // ("sock_sendmsg time expired, ko = 4294967295").
            ["DrbdOptions/Net/ko-count"] = "4",
        };
        var propsJson = $",\"props\":{JsonSerializer.Serialize(all)}";
        await rest.PostAsync("/v1/resource-definitions", $$$"""{"resource_definition":{"name":"{{{rd}}}","layer_data":[{"type":"DRBD"},{"type":"STORAGE"}]{{{propsJson}}}}}""");
        await rest.PostAsync($"/v1/resource-definitions/{rd}/volume-definitions", $$$"""{"volume_definition":{"size_kib":{{{sizeKiB}}}}}""");
        await rest.PostAsync($"/v1/resource-definitions/{rd}/resources",
            $$$"""[{"resource":{"node_name":"{{{a.Name}}}","props":{"StorPoolName":"{{{Pool}}}"}},"layer_list":["drbd","storage"]},{"resource":{"node_name":"{{{b.Name}}}","props":{"StorPoolName":"{{{Pool}}}"}},"layer_list":["drbd","storage"]}]""");
    }

    /// <summary>The replica as GET .../resources/{node} shows it.</summary>
    public static Task<JsonElement> ReplicaAsync(Rest rest, string rd, string node) => rest.GetAsync($"/v1/resource-definitions/{rd}/resources/{node}");

    public static string? ConnectionTo(JsonElement replica, string peer) =>
        replica.TryGetProperty("layer_object", out var layer) && layer.TryGetProperty("drbd", out var drbd)
        && drbd.TryGetProperty("connections", out var connections) && connections.TryGetProperty(peer, out var c)
            ? Rest.Str(c, "message")
            : null;

    public static bool InUse(JsonElement replica) =>
        replica.TryGetProperty("state", out var state) && state.TryGetProperty("in_use", out var inUse) && inUse.GetBoolean();

    /// <summary>Waits until REST shows both replicas UpToDate and connected to each other; returns the DRBD device path.</summary>
    public static async Task<string> WaitUpToDateAndConnectedAsync(Rest rest, string rd, Guest a, Guest b, TimeSpan timeout, Action<JsonElement?>? onEachVolume = null)
    {
        string last = string.Empty;
        await Wait.UntilAsync(async () =>
        {
            var va = await rest.VolumeAsync(rd, a.Name);
            var vb = await rest.VolumeAsync(rd, b.Name);
            onEachVolume?.Invoke(va);
            onEachVolume?.Invoke(vb);
            var ca = ConnectionTo(await ReplicaAsync(rest, rd, a.Name), b.Name);
            var cb = ConnectionTo(await ReplicaAsync(rest, rd, b.Name), a.Name);
            last = $"{a.Name}: {Rest.DiskState(va)} {ca}; {b.Name}: {Rest.DiskState(vb)} {cb}; {va}";
            return Rest.DiskState(va) == "UpToDate" && Rest.DiskState(vb) == "UpToDate" && ca == "Connected" && cb == "Connected";
        }, $"{rd} UpToDate and Connected on {a.Name} and {b.Name}", timeout, () => last, TimeSpan.FromMilliseconds(500));
        var volume = await rest.VolumeAsync(rd, a.Name);
        return Rest.Str(volume!.Value, "device_path")!;
    }

    /// <summary>Promotes or demotes the resource in the guest with Fabric's own netlink driver (the <c>drbd</c> subcommand).</summary>
    public static async Task<string> RoleAsync(Guest guest, string rd, string role, bool force = false)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var output = await guest.ExecCheckedAsync($"dotnet /lab/fabric/Fabric.Host.dll drbd {role} {rd}{(force ? " --force" : string.Empty)}", TimeSpan.FromMinutes(3));
        LabLog.Info($"{guest.Name}: drbd {role} {rd} took {clock.Elapsed.TotalSeconds:0.0} s");
        return output;
    }

    /// <summary>/proc/drbd of the guest: the kernel's own view, independent of Fabric.</summary>
    public static Task<string> ProcDrbdAsync(Guest guest) => guest.ExecCheckedAsync("cat /proc/drbd");

    /// <summary>md5 of the first <paramref name="mib"/> MiB of a device in the guest.</summary>
    /// <remarks>Direct reads under TCG are slow (160 MiB took more than 3 minutes on a loaded host): 3 minutes plus 1 s per MiB.</remarks>
    public static async Task<string> Md5Async(Guest guest, string device, int mib) =>
        (await guest.ExecCheckedAsync($"dd if={device} bs=1M count={mib} iflag=direct 2>/dev/null | md5sum", TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(mib))).Trim().Split(' ')[0];

    public static void Check(bool condition, string expectation)
    {
        if (!condition)
        {
            throw new LabFailure("expected: " + expectation);
        }
    }

    public static string Kib(long kib) => kib.ToString(CultureInfo.InvariantCulture);
}
