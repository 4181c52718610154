using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>Everything an opened <see cref="NetlinkDrbdKernel"/> works with.</summary>
/// <param name="NotifyGroup">nlctrl's "notify" group, joined by event subscriptions to notice the module being unloaded; null when unknown.</param>
/// <param name="PeerDirectory">API 1 only: the peers the agent configured, which 8.4 cannot name.</param>
internal sealed record DrbdKernelSession(
    GenericNetlinkFamily Family,
    DrbdApiVersion Api,
    NetlinkChannel Channel,
    INetlinkTransportFactory Transports,
    DrbdNetlinkOptions Options,
    string Version,
    Func<TimeSpan, CancellationToken, Task> Delay,
    uint? NotifyGroup,
    DrbdV1PeerBook? PeerDirectory);

/// <summary>Reads the loaded module's version: /sys/module/drbd/version, else the first line of /proc/drbd.</summary>
public static class DrbdModuleVersion
{
    public static string Read()
    {
        try
        {
            if (File.Exists("/sys/module/drbd/version"))
            {
                return File.ReadAllText("/sys/module/drbd/version").Trim();
            }
            if (File.Exists("/proc/drbd"))
            {
                return Parse(File.ReadLines("/proc/drbd").FirstOrDefault() ?? "");
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return "unknown";
    }

    /// <summary>"version: 8.4.11 (api:1/proto:86-101)" → "8.4.11".</summary>
    public static string Parse(string procDrbdFirstLine)
    {
        var text = procDrbdFirstLine.Trim();
        if (!text.StartsWith("version:", StringComparison.Ordinal))
        {
            return "unknown";
        }
        var rest = text["version:".Length..].Trim();
        var end = rest.IndexOf(' ', StringComparison.Ordinal);
        return end < 0 ? rest : rest[..end];
    }
}
