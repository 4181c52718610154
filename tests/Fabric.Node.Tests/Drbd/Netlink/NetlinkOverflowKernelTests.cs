using System.Runtime.InteropServices;
using Fabric.Node.Drbd.Netlink;
using Fabric.Node.Process;

namespace Fabric.Node.Tests.Drbd.Netlink;

/// <summary>
/// ENOBUFS from the real kernel: a NETLINK_ROUTE socket with the smallest receive buffer, created
/// inside a private network namespace (so the host's network is untouched), listens to address
/// events while <c>ip -batch</c> adds 200 addresses there without the socket reading. The next
/// receive must report the lost events, and the socket must keep working afterwards.
/// </summary>
public sealed class NetlinkOverflowKernelTests : IDisposable
{
    private const int NetlinkRoute = 0;
    private const uint RtnlGroupIpv4Address = 5;
    private const int CloneNewNet = 0x40000000;

    private readonly string _namespace = $"fabric-nl-{Guid.NewGuid():N}"[..20];
    private readonly string _batch = Path.Combine(Path.GetTempPath(), $"fabric-nl-batch-{Guid.NewGuid():N}");
    private readonly CommandRunner _runner = new();

    public void Dispose()
    {
        _runner.RunAsync(CommandSpec.Of("ip", "netns", "del", _namespace), CancellationToken.None).GetAwaiter().GetResult();
        File.Delete(_batch);
    }

    [NetnsFact]
    public async Task An_overflowing_receive_buffer_is_reported_as_lost_events()
    {
        await _runner.RunCheckedAsync(CommandSpec.Of("ip", "netns", "add", _namespace), CancellationToken.None);
        await _runner.RunCheckedAsync(CommandSpec.Of("ip", "-n", _namespace, "link", "set", "lo", "up"), CancellationToken.None);
        using var socket = OpenInNamespace();
        socket.JoinGroup(RtnlGroupIpv4Address);
        await File.WriteAllLinesAsync(_batch, Enumerable.Range(1, 200).Select(i => $"address add 10.77.{i / 250}.{i % 250 + 1}/32 dev lo"));

        await _runner.RunCheckedAsync(CommandSpec.Of("ip", "-n", _namespace, "-batch", _batch), CancellationToken.None);

        using var hangGuard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var lost = false;
        for (var i = 0; i < 400 && !lost; i++)
        {
            try
            {
                await socket.ReceiveAsync(hangGuard.Token);
            }
            catch (NetlinkEventsLostException)
            {
                lost = true;
            }
        }
        Assert.True(lost, "200 address events into a minimal receive buffer must overflow it");
        var after = await socket.ReceiveAsync(hangGuard.Token);
        Assert.NotEmpty(NetlinkMessage.Split(after));
    }

    /// <summary>Creates the socket on a thread that briefly enters the namespace; the socket stays bound to it.</summary>
    private NetlinkSocket OpenInNamespace()
    {
        NetlinkSocket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var home = File.OpenHandle("/proc/self/ns/net");
                using var target = File.OpenHandle($"/run/netns/{_namespace}");
                Check(setns((int)target.DangerousGetHandle(), CloneNewNet), "enter");
                try
                {
                    socket = NetlinkSocket.Open(NetlinkRoute, receiveBufferBytes: 1);
                }
                finally
                {
                    Check(setns((int)home.DangerousGetHandle(), CloneNewNet), "leave");
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return socket ?? throw new InvalidOperationException("Could not open a netlink socket in the test namespace.", failure);
    }

    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"setns ({what} the network namespace) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);
}

/// <summary>A fact that needs root and iproute2 to create a private network namespace; skipped elsewhere.</summary>
public sealed class NetnsFactAttribute : FactAttribute
{
    public NetnsFactAttribute() => Skip =
        Environment.UserName != "root" ? "needs root to create a network namespace"
        : !File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip") ? "needs iproute2 (ip)"
        : null;
}
