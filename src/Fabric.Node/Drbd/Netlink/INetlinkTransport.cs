namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// One netlink socket as the DRBD driver code needs it: send a framed message to the kernel,
/// receive the next datagram, join a multicast group. <see cref="NetlinkSocket"/> is the real
/// one; tests of request bytes and reply handling script it.
/// </summary>
public interface INetlinkTransport : IDisposable
{
    /// <summary>The socket's netlink port id (nl_pid) the kernel addresses unicast replies to.</summary>
    uint PortId { get; }

    ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken);

    /// <summary>
    /// The next datagram (one or more netlink messages). Throws <see cref="NetlinkEventsLostException"/>
    /// when the receive buffer overflowed (ENOBUFS) and <see cref="OperationCanceledException"/> on cancellation.
    /// </summary>
    ValueTask<ReadOnlyMemory<byte>> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>NETLINK_ADD_MEMBERSHIP for a multicast group id (from CTRL_ATTR_MCAST_GROUPS).</summary>
    void JoinGroup(uint groupId);
}

/// <summary>Opens transports: one for commands, one per event subscription.</summary>
public interface INetlinkTransportFactory
{
    INetlinkTransport Open();
}

/// <summary>The receive buffer overflowed (ENOBUFS): multicast messages were dropped by the kernel.</summary>
public sealed class NetlinkEventsLostException()
    : Exception("Netlink events lost: the socket's receive buffer overflowed (ENOBUFS) and the kernel dropped messages; the state must be dumped again.")
{
}

/// <summary>The kernel answered a netlink request with an error (NLMSG_ERROR), or a socket call failed.</summary>
public sealed class NetlinkErrorException(string operation, int errno, string? kernelMessage = null)
    : Exception($"Netlink {operation} failed: {Errno.Describe(errno)}" + (string.IsNullOrWhiteSpace(kernelMessage) ? "" : $" — kernel says: {kernelMessage}"))
{
    public string Operation { get; } = operation;

    /// <summary>The positive errno value.</summary>
    public int ErrorNumber { get; } = Math.Abs(errno);

    /// <summary>The extended-ack text, when the kernel sent one.</summary>
    public string? KernelMessage { get; } = kernelMessage;
}
