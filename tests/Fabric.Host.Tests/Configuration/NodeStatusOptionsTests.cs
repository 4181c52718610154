using Fabric.Host.Configuration;

namespace Fabric.Host.Tests.Configuration;

public sealed class NodeStatusOptionsTests
{
    [Fact]
    public void Node_status_options_default_and_parse_from_command_line_and_environment()
    {
        var (defaults, _, _) = CommandLine.Parse([], _ => null);
        Assert.Equal(TimeSpan.FromSeconds(2), defaults.NodeHeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), defaults.NodeStatusTimeout);

        var env = new Dictionary<string, string> { ["FABRIC_NODE_HEARTBEAT_INTERVAL"] = "0.5" };
        var (settings, _, _) = CommandLine.Parse(["--node-status-timeout", "3.5"], name => env.GetValueOrDefault(name));
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.NodeHeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(3.5), settings.NodeStatusTimeout);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("soon")]
    public void Node_status_timeout_must_be_positive_seconds(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => CommandLine.Parse(["--node-status-timeout=" + value], _ => null));
        Assert.Contains("--node-status-timeout", error.Message, StringComparison.Ordinal);
    }
}
