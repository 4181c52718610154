using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Netlink;

namespace Fabric.Node.Tests.Drbd.Netlink;

/// <summary>
/// <see cref="NetlinkDrbdKernel.OpenAsync(DrbdNetlinkOptions?, CancellationToken)"/> on this very
/// host, through the real socket and nlctrl. Without a DRBD module (as on the build machine) it
/// must say so clearly; where a module is loaded (the lab's guests) it must open it with the API
/// /proc/drbd reports.
/// </summary>
public sealed class NetlinkDrbdKernelHostTests
{
    [Fact]
    public async Task Opening_the_hosts_drbd_driver_matches_whether_the_module_is_loaded()
    {
        if (!File.Exists("/proc/drbd"))
        {
            var e = await Assert.ThrowsAsync<DrbdKernelException>(() => NetlinkDrbdKernel.OpenAsync(null, CancellationToken.None));

            Assert.Equal("open", e.Operation);
            Assert.Equal(Errno.Enoent, e.Errno);
            Assert.Contains("the DRBD kernel module is not loaded", e.Message);
            Assert.Contains("modprobe drbd", e.Message);
            return;
        }
        await using var kernel = await NetlinkDrbdKernel.OpenAsync(null, CancellationToken.None);
        var api = File.ReadLines("/proc/drbd").First().Contains("api:1/", StringComparison.Ordinal) ? DrbdApiVersion.V1 : DrbdApiVersion.V2;
        Assert.Equal(api, kernel.Info.Api);
        Assert.Contains(DrbdCommands.GetInitialState, kernel.Info.SupportedCommands);
        Assert.True((await kernel.DumpStateAsync(CancellationToken.None)).IsInitialState);
    }

    [Theory]
    [InlineData("version: 8.4.11 (api:1/proto:86-101)", "8.4.11")]
    [InlineData("version: 9.2.12 (api:2/proto:86-122)", "9.2.12")]
    [InlineData("something else", "unknown")]
    public void The_module_version_is_read_from_proc_drbd(string line, string expected)
    {
        Assert.Equal(expected, DrbdModuleVersion.Parse(line));
    }
}
