using Fabric.Host.Cli;

namespace Fabric.Host.Tests.Cli;

/// <summary><c>Fabric.Host drbd ...</c> on this host, whose kernel has no DRBD module: the real netlink driver says so.</summary>
public sealed class DrbdCommandTests
{
    [Fact]
    public async Task Without_the_drbd_module_status_fails_with_the_reason_and_the_fix()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await DrbdCommand.RunAsync(["status"], output, error);

        Assert.Equal(1, exit);
        Assert.Contains("not loaded", error.ToString());
        Assert.Contains("modprobe drbd", error.ToString());
    }

    [Theory]
    [InlineData]
    [InlineData("primary")]
    [InlineData("promote", "r1")]
    public async Task Bad_usage_prints_the_usage_and_exits_2(params string[] args)
    {
        var error = new StringWriter();
        Assert.Equal(2, await DrbdCommand.RunAsync(args, new StringWriter(), error));
        Assert.Contains("usage: Fabric.Host drbd", error.ToString());
    }
}
