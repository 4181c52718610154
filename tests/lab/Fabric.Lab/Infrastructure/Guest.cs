using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Fabric.Lab.Infrastructure;

/// <summary>Ports on the host's loopback that reach into one guest (qemu user-mode networking forwards them).</summary>
/// <param name="Akka">Akka remoting: the same port inside the guest, so the satellite can advertise 10.0.2.2:port.</param>
/// <param name="Management">The satellite's /ready and /cluster endpoints (guest port 8558).</param>
/// <param name="Command">A shell on the guest (busybox nc on guest port 9000) for the lab's own checks.</param>
public sealed record GuestPorts(int Akka, int Management, int Command);

/// <summary>
/// One qemu guest running Debian's stock kernel with the lab's initramfs: a virtio disk that
/// survives power cycles, qemu's user-mode network towards the host's loopback (and nothing
/// else: the guest has no default route), and a second NIC on a multicast segment bound to 127.0.0.1 for DRBD
/// traffic between guests. "Power off" is kill -9 of qemu.
/// </summary>
public sealed class Guest : IAsyncDisposable
{
    private readonly LabPaths _paths;
    private Process? _qemu;
    private int _boots;

    public Guest(LabPaths paths, string name, int index, GuestPorts ports, IReadOnlyDictionary<string, string> kernelArgs, int memoryMiB = 1024)
    {
        _paths = paths;
        Name = name;
        Index = index;
        Ports = ports;
        KernelArgs = kernelArgs;
        MemoryMiB = memoryMiB;
    }

    public string Name { get; }

    public int Index { get; }

    public GuestPorts Ports { get; }

    public IReadOnlyDictionary<string, string> KernelArgs { get; }

    public int MemoryMiB { get; }

    /// <summary>The guest's address on the DRBD network.</summary>
    public string DrbdAddress => $"10.99.0.{Index}";

    /// <summary>The serial console of the current (or last) boot.</summary>
    public string ConsoleLog => _paths.Log($"{Name}-console-boot{_boots}");

    public bool IsRunning => _qemu is { HasExited: false };

    /// <summary>Hardware KVM when the host has it (kvm_intel/kvm_amd), else TCG: this CI's /dev/kvm cannot run a stock kernel.</summary>
    public static IReadOnlyList<string> Accelerator() =>
        Directory.Exists("/sys/module/kvm_intel") || Directory.Exists("/sys/module/kvm_amd")
            ? ["-enable-kvm", "-cpu", "host"]
            : ["-accel", "tcg,thread=multi", "-cpu", "max"];

    /// <summary>Boots the guest (creating its disk on the first boot); returns once qemu runs.</summary>
    public async Task BootAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running");
        }
        var disk = _paths.Disk(Name);
        if (!File.Exists(disk))
        {
            await Processes.RunCheckedAsync("qemu-img", ["create", "-q", "-f", "qcow2", disk, "4G"], TimeSpan.FromSeconds(30));
        }
        _boots++;
        var append = new StringBuilder($"console=ttyS0 quiet lab.host={Name} lab.ip={DrbdAddress}/24");
        foreach (var (key, value) in KernelArgs)
        {
            append.Append(CultureInfo.InvariantCulture, $" lab.{key}={value}");
        }
        // Every member advertises 10.0.2.2:port. The lab's network namespace has 10.0.2.2 on its
        // loopback, so the controller reaches a guest there; another guest reaches it through qemu's
        // user-mode network, which maps 10.0.2.2 to the namespace's 127.0.0.1.
        var forwards = $"hostfwd=tcp:127.0.0.1:{Ports.Akka}-:{Ports.Akka},hostfwd=tcp:{LabSession.HostAddressSeenByGuests}:{Ports.Akka}-:{Ports.Akka}," +
            $"hostfwd=tcp:127.0.0.1:{Ports.Management}-:8558,hostfwd=tcp:127.0.0.1:{Ports.Command}-:9000";
        var args = new List<string>(Accelerator())
        {
            "-m", MemoryMiB.ToString(CultureInfo.InvariantCulture), "-smp", "1", "-display", "none", "-monitor", "none", "-no-reboot",
            "-serial", $"file:{ConsoleLog}",
            "-kernel", _paths.Kernel, "-initrd", _paths.Initramfs, "-append", append.ToString(),
            "-drive", $"file={disk},if=virtio,format=qcow2,cache=unsafe",
            "-virtfs", $"local,path={_paths.ShareDir},mount_tag=lab,security_model=none,readonly=on",
            "-virtfs", $"local,path={_paths.DotnetDir},mount_tag=dotnet,security_model=none,readonly=on",
            "-netdev", $"user,id=host,restrict=off,{forwards}", "-device", $"virtio-net-pci,romfile=,netdev=host,mac=52:54:00:00:01:0{Index}",
            "-netdev", "socket,id=drbd,mcast=239.255.76.1:27699,localaddr=127.0.0.1", "-device", $"virtio-net-pci,romfile=,netdev=drbd,mac=52:54:00:00:02:0{Index}",
        };
        _qemu = Processes.Start("qemu-system-x86_64", args, _paths.Log(Name + "-qemu"));
        LabLog.Info($"{Name}: qemu started ({string.Join(' ', Accelerator())})");
    }

    /// <summary>Waits until the guest's console of this boot shows <paramref name="marker"/>.</summary>
    public Task<TimeSpan> WaitForConsoleAsync(string marker, TimeSpan timeout) =>
        Wait.UntilAsync(
            () => Task.FromResult(File.Exists(ConsoleLog) && ReadShared(ConsoleLog).Contains(marker, StringComparison.Ordinal)),
            $"'{marker}' on {Name}'s console",
            timeout,
            () => LastLines(3));

    public string LastLines(int count) =>
        File.Exists(ConsoleLog) ? string.Join(" | ", ReadShared(ConsoleLog).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(count)) : "(no console yet)";

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Runs a shell command in the guest; returns its exit code and output (stdout and stderr).</summary>
    public async Task<(int Exit, string Output)> ExecAsync(string command, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Ports.Command, cts.Token);
        await using var stream = client.GetStream();
        var script = $"{{ {command}\n}} 2>&1; echo \"__LAB_RC=$?\"; exit\n";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(script), cts.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var output = await reader.ReadToEndAsync(cts.Token);
        var marker = output.LastIndexOf("__LAB_RC=", StringComparison.Ordinal);
        if (marker < 0)
        {
            throw new LabFailure($"{Name}: no exit code from '{command}': {output}");
        }
        var exit = int.Parse(output[(marker + 9)..].Trim(), CultureInfo.InvariantCulture);
        return (exit, output[..marker].TrimEnd());
    }

    /// <summary>Runs a command in the guest that must succeed; returns its output.</summary>
    public async Task<string> ExecCheckedAsync(string command, TimeSpan? timeout = null)
    {
        int exit;
        string output;
        try
        {
            (exit, output) = await ExecAsync(command, timeout);
        }
        catch (OperationCanceledException)
        {
            throw new LabFailure($"{Name}: '{command}' did not finish within {(timeout ?? TimeSpan.FromMinutes(2)).TotalSeconds:0} s");
        }
        if (exit != 0)
        {
            throw new LabFailure($"{Name}: '{command}' exited with {exit}: {output}");
        }
        return output;
    }

    /// <summary>Waits until the guest's command shell answers.</summary>
    public Task WaitForShellAsync(TimeSpan timeout) =>
        Wait.UntilAsync(async () => (await ExecAsync("true", TimeSpan.FromSeconds(10))).Exit == 0, $"{Name}'s shell", timeout, () => LastLines(3), TimeSpan.FromSeconds(1));

    /// <summary>Power off: kill -9 of qemu. The disk keeps whatever reached it (cache=unsafe: not even that is promised).</summary>
    public async Task PowerOffAsync()
    {
        if (_qemu is null)
        {
            return;
        }
        if (!_qemu.HasExited)
        {
            _qemu.Kill(entireProcessTree: true);
        }
        await _qemu.WaitForExitAsync();
        _qemu.Dispose();
        _qemu = null;
        LabLog.Info($"{Name}: powered off");
    }

    public async ValueTask DisposeAsync() => await PowerOffAsync();
}
