using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// A real <c>AF_NETLINK</c> socket (generic netlink by default): created, bound (the kernel picks
/// the port id), its receive buffer raised (SO_RCVBUF, then SO_RCVBUFFORCE when the system limit
/// capped it) and extended acks enabled, then driven through .NET's <see cref="Socket"/> for
/// asynchronous, cancellable send and receive. ENOBUFS becomes <see cref="NetlinkEventsLostException"/>.
/// </summary>
public sealed partial class NetlinkSocket : INetlinkTransport
{
    /// <summary>What drbdsetup uses for its event socket.</summary>
    public const int DefaultReceiveBufferBytes = 1024 * 1024;

    private const int SockRaw = 3;
    private const int SockCloexec = 0x80000;
    private const int MaxDatagram = 64 * 1024;

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[MaxDatagram];

    private NetlinkSocket(Socket socket, uint portId, int receiveBufferBytes)
    {
        _socket = socket;
        PortId = portId;
        ReceiveBufferBytes = receiveBufferBytes;
    }

    public uint PortId { get; }

    /// <summary>The receive buffer the kernel granted (getsockopt SO_RCVBUF; Linux reports twice the requested size).</summary>
    public int ReceiveBufferBytes { get; }

    /// <summary>Opens and binds a netlink socket of <paramref name="protocol"/> (16 = NETLINK_GENERIC).</summary>
    public static NetlinkSocket Open(int protocol = NetlinkProtocol.NetlinkGeneric, int receiveBufferBytes = DefaultReceiveBufferBytes)
    {
        var fd = socket(NetlinkProtocol.AfNetlink, SockRaw | SockCloexec, protocol);
        if (fd < 0)
        {
            throw new NetlinkErrorException("socket(AF_NETLINK)", Marshal.GetLastPInvokeError());
        }
        var handle = new SafeSocketHandle(fd, ownsHandle: true);
        try
        {
            var address = new SockaddrNl { Family = NetlinkProtocol.AfNetlink };
            if (bind(fd, ref address, Marshal.SizeOf<SockaddrNl>()) != 0)
            {
                throw new NetlinkErrorException("bind(AF_NETLINK)", Marshal.GetLastPInvokeError());
            }
            var length = Marshal.SizeOf<SockaddrNl>();
            if (getsockname(fd, ref address, ref length) != 0)
            {
                throw new NetlinkErrorException("getsockname(AF_NETLINK)", Marshal.GetLastPInvokeError());
            }
            var socket = new Socket(handle);
            var granted = RaiseReceiveBuffer(socket, receiveBufferBytes);
            TrySetOption(socket, NetlinkProtocol.SolNetlink, NetlinkProtocol.NetlinkExtAck, 1);
            return new NetlinkSocket(socket, address.PortId, granted);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        try
        {
            var sent = await _socket.SendAsync(message, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (sent != message.Length)
            {
                throw new NetlinkErrorException($"send ({sent} of {message.Length} bytes)", Errno.Emsgsize);
            }
        }
        catch (SocketException e)
        {
            throw new NetlinkErrorException("send", e.NativeErrorCode);
        }
    }

    public async ValueTask<ReadOnlyMemory<byte>> ReceiveAsync(CancellationToken cancellationToken)
    {
        int received;
        try
        {
            received = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.NoBufferSpaceAvailable || e.NativeErrorCode == Errno.Enobufs)
        {
            throw new NetlinkEventsLostException();
        }
        catch (SocketException e)
        {
            throw new NetlinkErrorException("recv", e.NativeErrorCode);
        }
        return _buffer.AsMemory(0, received).ToArray();
    }

    public void JoinGroup(uint groupId)
    {
        try
        {
            _socket.SetRawSocketOption(NetlinkProtocol.SolNetlink, NetlinkProtocol.NetlinkAddMembership, BitConverter.GetBytes(groupId));
        }
        catch (SocketException e)
        {
            throw new NetlinkErrorException($"join multicast group {groupId}", e.NativeErrorCode);
        }
    }

    public void Dispose() => _socket.Dispose();

    private static int RaiseReceiveBuffer(Socket socket, int bytes)
    {
        TrySetOption(socket, NetlinkProtocol.SolSocket, NetlinkProtocol.SoRcvBuf, bytes);
        var granted = GetOption(socket, NetlinkProtocol.SolSocket, NetlinkProtocol.SoRcvBuf);
        // The kernel doubles the value for bookkeeping; less means net.core.rmem_max capped it.
        if (granted < bytes * 2 && TrySetOption(socket, NetlinkProtocol.SolSocket, NetlinkProtocol.SoRcvBufForce, bytes))
        {
            granted = GetOption(socket, NetlinkProtocol.SolSocket, NetlinkProtocol.SoRcvBuf);
        }
        return granted;
    }

    private static bool TrySetOption(Socket socket, int level, int name, int value)
    {
        try
        {
            socket.SetRawSocketOption(level, name, BitConverter.GetBytes(value));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int GetOption(Socket socket, int level, int name)
    {
        var value = new byte[4];
        socket.GetRawSocketOption(level, name, value);
        return BitConverter.ToInt32(value);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SockaddrNl
    {
        public ushort Family;
        public ushort Pad;
        public uint PortId;
        public uint Groups;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int bind(int fd, ref SockaddrNl address, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getsockname(int fd, ref SockaddrNl address, ref int length);
}

/// <summary>Opens real generic-netlink sockets.</summary>
public sealed class NetlinkSocketFactory(int receiveBufferBytes = NetlinkSocket.DefaultReceiveBufferBytes) : INetlinkTransportFactory
{
    public INetlinkTransport Open() => NetlinkSocket.Open(NetlinkProtocol.NetlinkGeneric, receiveBufferBytes);
}
