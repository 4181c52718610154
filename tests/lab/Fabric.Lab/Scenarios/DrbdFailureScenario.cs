using System.Text.Json;
using Fabric.Lab.Infrastructure;

namespace Fabric.Lab.Scenarios;

/// <summary>
/// Scenario 3: power off one guest while the other writes. The survivor reports the peer
/// disconnected and stays usable (the write completes, the disk stays UpToDate); the powered-off
/// guest comes back, its satellite brings DRBD up again, it resyncs to UpToDate and REST shows the
/// resync's progress on the way (a done_percentage strictly between 0 and 100); the returned
/// guest's backing LV then holds what the survivor wrote alone.
/// </summary>
public sealed class DrbdFailureScenario : ILabScenario
{
    private const string Rd = "lab-fail";
    private const int WrittenMiB = 64;

    public string Name => "drbd-failure";

    public int Guests => 2;

    public async Task RunAsync(LabSession session)
    {
        var (a, b) = await DrbdLab.TwoSatellitesAsync(session);
        var rest = session.Rest;
        // A slow fixed resync rate, so that the resync after the failure lasts long enough to be seen in REST.
        await DrbdLab.CreateAsync(rest, Rd, 196608, a, b, new Dictionary<string, string> { ["DrbdOptions/Disk/c-plan-ahead"] = "0", ["DrbdOptions/Disk/resync-rate"] = "2048" });
        var device = await DrbdLab.WaitUpToDateAndConnectedAsync(rest, Rd, a, b, TimeSpan.FromMinutes(4));
        await DrbdLab.RoleAsync(a, Rd, "primary");

        // Write 64 MiB on a; power b off while it runs (the resync of what b missed then takes about 30 s at 2 MiB/s).
        await a.ExecCheckedAsync($"(dd if=/dev/urandom of={device} bs=1M count={WrittenMiB} oflag=direct > /run/dd.log 2>&1; echo \"rc=$?\" >> /run/dd.log) > /dev/null 2>&1 &");
        await Task.Delay(TimeSpan.FromSeconds(3));
        await b.PowerOffAsync();
        await Wait.UntilAsync(async () => (await a.ExecAsync("grep -q rc= /run/dd.log")).Exit == 0, $"the write on {a.Name} finishing with {b.Name} gone", TimeSpan.FromMinutes(4), null, TimeSpan.FromSeconds(2));
        var ddLog = await a.ExecCheckedAsync("cat /run/dd.log");
        DrbdLab.Check(ddLog.Contains("rc=0", StringComparison.Ordinal), $"the write on the survivor succeeded: {ddLog}");
        await Wait.UntilAsync(async () =>
        {
            var replica = await DrbdLab.ReplicaAsync(rest, Rd, a.Name);
            return DrbdLab.ConnectionTo(replica, b.Name) is { } c && c != "Connected" && Rest.DiskState(await rest.VolumeAsync(Rd, a.Name)) == "UpToDate";
        }, $"{a.Name} UpToDate and not connected to {b.Name} in REST", TimeSpan.FromMinutes(2));
        var survivor = await DrbdLab.ProcDrbdAsync(a);
        DrbdLab.Check(survivor.Contains("ro:Primary/Unknown", StringComparison.Ordinal) && survivor.Contains("ds:UpToDate/DUnknown", StringComparison.Ordinal),
            $"/proc/drbd on {a.Name} shows a Primary with an unknown peer: {survivor}");
        var written = await DrbdLab.Md5Async(a, device, WrittenMiB);
        LabLog.Info($"drbd-failure: {a.Name} wrote {WrittenMiB} MiB alone (md5 {written}); booting {b.Name}");

        // b comes back: resync (visible in REST), then UpToDate on both.
        await session.BootAsync(b);
        var progress = new SortedSet<double>();
        var states = new HashSet<string>(StringComparer.Ordinal);
        void Record(JsonElement? volume)
        {
            if (volume is { } v && v.TryGetProperty("state", out var state) && state.TryGetProperty("replication_states", out var replication))
            {
                foreach (var peer in replication.EnumerateObject())
                {
                    states.Add(Rest.Str(peer.Value, "replication_state") ?? string.Empty);
                    if (peer.Value.TryGetProperty("done_percentage", out var done) && done.ValueKind == JsonValueKind.Number)
                    {
                        progress.Add(done.GetDouble());
                    }
                }
            }
        }
        await DrbdLab.WaitUpToDateAndConnectedAsync(rest, Rd, a, b, LabSession.GuestOnlineTimeout + TimeSpan.FromMinutes(3), Record);
        DrbdLab.Check(states.Contains("SyncSource") || states.Contains("SyncTarget"), $"REST showed the resync (replication states seen: {string.Join(", ", states)})");
        DrbdLab.Check(progress.Any(p => p is > 0 and < 100), $"REST showed the resync's progress between 0 and 100 % (done_percentage seen: {string.Join(", ", progress)})");
        // What b's own disk holds now: DRBD's data area is the start of its backing LV (the meta-data is
        // internal, at the end). Read without promoting b (the replication scenario reads through a promotion).
        var read = await DrbdLab.Md5Async(b, $"/dev/fabric/{Rd}_00000", WrittenMiB);
        DrbdLab.Check(read == written, $"{b.Name}'s backing LV holds after the resync what {a.Name} wrote alone (md5 {written}), got {read}");
        LabLog.Info($"drbd-failure: resync seen in REST ({string.Join(", ", states)}; {progress.Count} progress values {progress.Min:0.#}..{progress.Max:0.#} %)");
    }
}
