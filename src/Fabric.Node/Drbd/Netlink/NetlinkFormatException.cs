namespace Fabric.Node.Drbd.Netlink;

/// <summary>A netlink message or attribute that does not parse (lengths that overrun the buffer, wrong value sizes).</summary>
public sealed class NetlinkFormatException(string message) : Exception(message)
{
}
