using System.Buffers.Binary;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// Frames netlink messages: <c>nlmsghdr</c> (16 bytes: len, type, flags, seq, pid), then for
/// generic netlink the <c>genlmsghdr</c> (cmd, version, reserved) and a family header (DRBD:
/// <c>drbd_genlmsghdr</c> = minor u32, flags u32), then attributes. Pure.
/// </summary>
public static class NetlinkMessageWriter
{
    /// <summary>sizeof(struct drbd_genlmsghdr).</summary>
    public const int DrbdHeaderSize = 8;

    /// <summary>A whole netlink message around <paramref name="payload"/>.</summary>
    public static byte[] Message(ushort type, ushort flags, uint sequence, uint portId, ReadOnlySpan<byte> payload)
    {
        var length = NetlinkProtocol.MessageHeaderSize + payload.Length;
        var message = new byte[NetlinkProtocol.Align(length)];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(12), portId);
        payload.CopyTo(message.AsSpan(NetlinkProtocol.MessageHeaderSize));
        return message;
    }

    /// <summary>A generic-netlink message: genlmsghdr, the family header, then the attributes.</summary>
    public static byte[] Generic(ushort familyId, ushort flags, uint sequence, byte command, byte version, ReadOnlySpan<byte> familyHeader, ReadOnlySpan<byte> attributes)
    {
        var payload = new byte[NetlinkProtocol.GenericHeaderSize + NetlinkProtocol.Align(familyHeader.Length) + attributes.Length];
        payload[0] = command;
        payload[1] = version;
        familyHeader.CopyTo(payload.AsSpan(NetlinkProtocol.GenericHeaderSize));
        attributes.CopyTo(payload.AsSpan(NetlinkProtocol.GenericHeaderSize + NetlinkProtocol.Align(familyHeader.Length)));
        return Message(familyId, flags, sequence, 0, payload);
    }

    /// <summary>A DRBD request or notification: genlmsghdr + drbd_genlmsghdr (minor, flags or ret_code) + attributes.</summary>
    public static byte[] Drbd(ushort familyId, ushort flags, uint sequence, byte command, byte version, uint minor, int flagsOrRetCode, ReadOnlySpan<byte> attributes)
    {
        Span<byte> header = stackalloc byte[DrbdHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, minor);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], flagsOrRetCode);
        return Generic(familyId, flags, sequence, command, version, header, attributes);
    }

    /// <summary>Stamps a sequence number into an already framed message.</summary>
    public static void SetSequence(Span<byte> message, uint sequence) => BinaryPrimitives.WriteUInt32LittleEndian(message[8..], sequence);

    /// <summary>Stamps flags into an already framed message.</summary>
    public static void SetFlags(Span<byte> message, ushort flags) => BinaryPrimitives.WriteUInt16LittleEndian(message[6..], flags);
}
