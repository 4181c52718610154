using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// The raw <c>struct sockaddr_in</c> (16 bytes) / <c>struct sockaddr_in6</c> (28 bytes) DRBD
/// carries in ctx_my_addr/ctx_peer_addr and path_parms: family u16 in host order, port u16 in
/// network order, then the address (and for IPv6 flowinfo before and scope id after it).
/// </summary>
public static class SocketAddressCodec
{
    public const ushort FamilyInet = 2;
    public const ushort FamilyInet6 = 10;
    public const int Inet4Size = 16;
    public const int Inet6Size = 28;

    public static byte[] Encode(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.AddressFamily == AddressFamily.InterNetwork)
        {
            var bytes = new byte[Inet4Size];
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, FamilyInet);
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)endpoint.Port);
            endpoint.Address.TryWriteBytes(bytes.AsSpan(4, 4), out _);
            return bytes;
        }
        if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = new byte[Inet6Size];
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, FamilyInet6);
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)endpoint.Port);
            endpoint.Address.TryWriteBytes(bytes.AsSpan(8, 16), out _);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24), (uint)endpoint.Address.ScopeId);
            return bytes;
        }
        throw new ArgumentException($"DRBD connects over IPv4 or IPv6 only, not {endpoint.AddressFamily} ({endpoint}).", nameof(endpoint));
    }

    /// <summary>The endpoint, or null for an address family DRBD can carry but this agent does not use (e.g. AF_SSOCKS).</summary>
    public static IPEndPoint? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4)
        {
            return null;
        }
        var family = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        var port = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        if (family == FamilyInet && bytes.Length >= 8)
        {
            return new IPEndPoint(new IPAddress(bytes.Slice(4, 4)), port);
        }
        if (family == FamilyInet6 && bytes.Length >= 24)
        {
            var scope = bytes.Length >= Inet6Size ? BinaryPrimitives.ReadUInt32LittleEndian(bytes[24..]) : 0;
            return new IPEndPoint(new IPAddress(bytes.Slice(8, 16), scope), port);
        }
        return null;
    }
}
