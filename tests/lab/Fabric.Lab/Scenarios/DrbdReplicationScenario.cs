using Fabric.Lab.Infrastructure;

namespace Fabric.Lab.Scenarios;

/// <summary>
/// Scenario 2: two guests, a 2-replica resource on LVM_THIN with the DRBD layer, run by Fabric's
/// own netlink driver on the guests' DRBD 8.4 (API 1): the replicas connect and the initial sync
/// is skipped on thin storage; promote one (Fabric's drbd subcommand, netlink), write data, demote,
/// promote the other, read back the same checksum. REST shows UpToDate and the connection on both;
/// /proc/drbd (the kernel's own report) agrees.
/// </summary>
public sealed class DrbdReplicationScenario : ILabScenario
{
    public const string Rd = "lab-drbd";

    public string Name => "drbd-replication";

    public int Guests => 2;

    public async Task RunAsync(LabSession session)
    {
        var (a, b) = await DrbdLab.TwoSatellitesAsync(session);
        var rest = session.Rest;
        await DrbdLab.CreateAsync(rest, Rd, 262144, a, b);
        var device = await DrbdLab.WaitUpToDateAndConnectedAsync(rest, Rd, a, b, TimeSpan.FromMinutes(4));
        foreach (var guest in new[] { a, b })
        {
            var proc = await DrbdLab.ProcDrbdAsync(guest);
            DrbdLab.Check(proc.Contains("cs:Connected", StringComparison.Ordinal) && proc.Contains("ds:UpToDate/UpToDate", StringComparison.Ordinal),
                $"/proc/drbd on {guest.Name} shows Connected UpToDate/UpToDate: {proc}");
            DrbdLab.Check(proc.Contains("version: 8.4", StringComparison.Ordinal), $"{guest.Name} runs the in-tree DRBD 8.4: {proc}");
        }

        LabLog.Info($"drbd-replication: {device} UpToDate on both; promoting {a.Name}");
        await DrbdLab.RoleAsync(a, Rd, "primary");
        await Wait.UntilAsync(async () => DrbdLab.InUse(await DrbdLab.ReplicaAsync(rest, Rd, a.Name)), $"{Rd} in use on {a.Name} in REST", TimeSpan.FromMinutes(1));
        var written = (await a.ExecCheckedAsync($"dd if=/dev/urandom of=/run/data bs=1M count=32 2>/dev/null && dd if=/run/data of={device} bs=1M oflag=direct 2>/dev/null && md5sum < /run/data", TimeSpan.FromMinutes(3))).Trim().Split(' ')[0];
        await DrbdLab.RoleAsync(a, Rd, "secondary");
        await DrbdLab.RoleAsync(b, Rd, "primary");
        var read = await DrbdLab.Md5Async(b, device, 32);
        await DrbdLab.RoleAsync(b, Rd, "secondary");
        DrbdLab.Check(read == written, $"{b.Name} reads back what {a.Name} wrote (md5 {written}), got {read}");
        await Wait.UntilAsync(async () => !DrbdLab.InUse(await DrbdLab.ReplicaAsync(rest, Rd, b.Name)), $"{Rd} no longer in use on {b.Name}", TimeSpan.FromMinutes(1));
        LabLog.Info($"drbd-replication: 32 MiB written on {a.Name} read back on {b.Name}, md5 {read}");
    }
}
