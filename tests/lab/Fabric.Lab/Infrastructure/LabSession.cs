namespace Fabric.Lab.Infrastructure;

/// <summary>
/// What the scenarios share: the controller on the host and the satellite guests, booted on first
/// use and kept running between scenarios (a boot with .NET start-up under TCG takes about a minute).
/// </summary>
public sealed class LabSession(LabPaths paths) : IAsyncDisposable
{
    public const int ControllerClusterPort = 27550;
    public const int ControllerRestPort = 27570;
    public const int ControllerManagementPort = 27571;

    /// <summary>qemu's user-mode network shows the host's loopback to a guest as 10.0.2.2.</summary>
    public const string HostAddressSeenByGuests = "10.0.2.2";

    public static readonly TimeSpan GuestOnlineTimeout = TimeSpan.FromMinutes(5);

    /// <summary>What the node agent logs once it has applied the controller's first full state.</summary>
    public const string FirstSyncMarker = "first sync complete";

    private readonly Dictionary<string, Guest> _guests = new(StringComparer.Ordinal);
    private readonly HashSet<string> _bootedNotSynced = new(StringComparer.Ordinal);
    private HostFabric? _controller;

    public LabPaths Paths => paths;

    public async Task<HostFabric> ControllerAsync() =>
        _controller ??= await HostFabric.StartAsync(
            paths, "controller", "controller", ControllerClusterPort, ControllerRestPort, ControllerManagementPort, HostAddressSeenByGuests,
            ["--node-status-timeout", "30", "--node-heartbeat-interval", "2"]);

    public Rest Rest => (_controller ?? throw new InvalidOperationException("controller not started")).Rest;

    /// <summary>The satellite guest lab-{letter} (index 1 = lab-a), not yet booted.</summary>
    public Guest SatelliteGuest(int index)
    {
        var name = "lab-" + (char)('a' + index - 1);
        if (!_guests.TryGetValue(name, out var guest))
        {
            var ports = new GuestPorts(27600 + index, 27620 + index, 27610 + index);
            guest = new Guest(paths, name, index, ports, new Dictionary<string, string>
            {
                ["run"] = "satellite.sh",
                ["seed"] = $"{HostAddressSeenByGuests}:{ControllerClusterPort}",
                ["port"] = $"{ports.Akka}",
                ["node"] = name,
            });
            _guests[name] = guest;
        }
        return guest;
    }

    /// <summary>
    /// Boots the guest if it is not running and waits until its node is ONLINE. After a boot, the
    /// satellite of this boot must have said on the console that its first sync is complete, so an
    /// ONLINE left over from before a power-off (until the status times out) does not count.
    /// </summary>
    public async Task<Guest> OnlineSatelliteAsync(int index)
    {
        await ControllerAsync();
        var guest = SatelliteGuest(index);
        if (!guest.IsRunning)
        {
            await BootAsync(guest);
        }
        if (_bootedNotSynced.Remove(guest.Name))
        {
            var took = await guest.WaitForConsoleAsync(FirstSyncMarker, GuestOnlineTimeout);
            LabLog.Info($"{guest.Name}: its agent's first sync completed (after {took.TotalSeconds:0.0} s of waiting)");
        }
        await WaitNodeAsync(guest.Name, "ONLINE", GuestOnlineTimeout);
        await guest.WaitForShellAsync(TimeSpan.FromMinutes(1));
        return guest;
    }

    /// <summary>
    /// Starts the guests lab-a … lab-{count} that are not running, all at once (each guest runs on
    /// one host core under TCG; booting them side by side saves a boot's time per extra guest).
    /// <see cref="OnlineSatelliteAsync"/> then waits for each.
    /// </summary>
    public async Task BootSatellitesAsync(int count)
    {
        await ControllerAsync();
        for (var index = 1; index <= count; index++)
        {
            if (SatelliteGuest(index) is { IsRunning: false } guest)
            {
                await BootAsync(guest);
            }
        }
    }

    /// <summary>Boots the guest; its node counts as ONLINE again only once this boot's agent completed its first sync.</summary>
    public async Task BootAsync(Guest guest)
    {
        await guest.BootAsync();
        _bootedNotSynced.Add(guest.Name);
    }

    public Task<TimeSpan> WaitNodeAsync(string node, string status, TimeSpan timeout) => WaitNodeAsync(Rest, node, status, timeout);

    public async Task<TimeSpan> WaitNodeAsync(Rest rest, string node, string status, TimeSpan timeout)
    {
        Dictionary<string, string>? last = null;
        var took = await Wait.UntilAsync(
            async () => (last = await rest.NodeStatusesAsync()).GetValueOrDefault(node) == status,
            $"node {node} {status}",
            timeout,
            () => last is null ? "(no answer)" : string.Join(", ", last.Select(kv => $"{kv.Key}={kv.Value}")) + " | console: " + (_guests.GetValueOrDefault(node)?.LastLines(2) ?? string.Empty));
        LabLog.Info($"{node} {status} after {took.TotalSeconds:0.0} s");
        return took;
    }

    /// <summary>
    /// After a failed scenario: what each running guest's kernel says about DRBD and its network,
    /// written to {work}/{scenario}-{guest}-diagnosis.log and named on the lab's log.
    /// </summary>
    public async Task DiagnoseAsync(string scenario)
    {
        const string Commands = "echo '## /proc/drbd'; cat /proc/drbd; echo '## dmesg (drbd)'; dmesg | grep -i drbd | tail -n 80; "
            + "echo '## addresses'; ip addr; echo '## drbd ports'; ss -tanp | grep -E ':7[0-9]{3}' ; echo '## lvs'; lvs 2>&1";
        foreach (var guest in _guests.Values.Where(g => g.IsRunning))
        {
            var file = paths.Log($"{scenario}-{guest.Name}-diagnosis");
            try
            {
                var (_, output) = await guest.ExecAsync(Commands, TimeSpan.FromSeconds(60));
                await File.WriteAllTextAsync(file, output);
                LabLog.Info($"{scenario}: {guest.Name}'s kernel state in {file}");
            }
            catch (Exception ex)
            {
                LabLog.Info($"{scenario}: could not ask {guest.Name} for its kernel state: {ex.Message}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var guest in _guests.Values)
        {
            await guest.DisposeAsync();
        }
        if (_controller is not null)
        {
            await _controller.DisposeAsync();
        }
    }
}
