using System.Buffers.Binary;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>One netlink message of a received datagram; <see cref="Payload"/> follows the 16-byte nlmsghdr.</summary>
public readonly record struct NetlinkMessage(ushort Type, ushort Flags, uint Sequence, uint PortId, ReadOnlyMemory<byte> Payload)
{
    public bool IsError => Type == NetlinkProtocol.TypeError;

    public bool IsDone => Type == NetlinkProtocol.TypeDone;

    public bool IsMulti => (Flags & NetlinkProtocol.FlagMulti) != 0;

    /// <summary>Splits a datagram into its messages (a dump packs several into one datagram).</summary>
    public static IReadOnlyList<NetlinkMessage> Split(ReadOnlyMemory<byte> datagram)
    {
        var messages = new List<NetlinkMessage>();
        var offset = 0;
        while (datagram.Length - offset >= NetlinkProtocol.MessageHeaderSize)
        {
            var span = datagram.Span[offset..];
            var length = BinaryPrimitives.ReadUInt32LittleEndian(span);
            if (length < NetlinkProtocol.MessageHeaderSize || length > span.Length)
            {
                throw new NetlinkFormatException($"A netlink message at offset {offset} claims {length} bytes but {span.Length} remain in the datagram.");
            }
            messages.Add(new NetlinkMessage(
                BinaryPrimitives.ReadUInt16LittleEndian(span[4..]),
                BinaryPrimitives.ReadUInt16LittleEndian(span[6..]),
                BinaryPrimitives.ReadUInt32LittleEndian(span[8..]),
                BinaryPrimitives.ReadUInt32LittleEndian(span[12..]),
                datagram.Slice(offset + NetlinkProtocol.MessageHeaderSize, (int)length - NetlinkProtocol.MessageHeaderSize)));
            offset += NetlinkProtocol.Align((int)length);
        }
        return messages;
    }

    /// <summary>The errno of an NLMSG_ERROR (0 is a positive acknowledgement) or the status of an NLMSG_DONE.</summary>
    public int ErrorCode => Payload.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(Payload.Span) : 0;

    /// <summary>The kernel's extended-ack text of an NLMSG_ERROR, when it sent one (NETLINK_EXT_ACK).</summary>
    public string? ExtendedAckMessage()
    {
        if (!IsError || (Flags & NetlinkProtocol.FlagAckTlvs) == 0 || Payload.Length < 4 + NetlinkProtocol.MessageHeaderSize)
        {
            return null;
        }
        var quoted = Payload.Span[4..];
        var quotedLength = (Flags & NetlinkProtocol.FlagCapped) != 0
            ? NetlinkProtocol.MessageHeaderSize
            : (int)BinaryPrimitives.ReadUInt32LittleEndian(quoted);
        var start = 4 + NetlinkProtocol.Align(quotedLength);
        if (start > Payload.Length)
        {
            return null;
        }
        var attributes = NetlinkAttributes.Parse(Payload[start..]);
        return attributes.TryGet(NetlinkProtocol.ExtAckMessage, out var text) ? text.AsString() : null;
    }

    /// <summary>Reads the generic-netlink header; <see cref="GenericMessage.Body"/> is everything after it.</summary>
    public GenericMessage AsGeneric()
    {
        if (Payload.Length < NetlinkProtocol.GenericHeaderSize)
        {
            throw new NetlinkFormatException($"A generic-netlink message of type {Type} has {Payload.Length} payload bytes, fewer than its 4-byte header.");
        }
        var span = Payload.Span;
        return new GenericMessage(this, span[0], span[1], Payload[NetlinkProtocol.GenericHeaderSize..]);
    }
}

/// <summary>A generic-netlink message: command, family version and the body (family header + attributes).</summary>
public readonly record struct GenericMessage(NetlinkMessage Message, byte Command, byte Version, ReadOnlyMemory<byte> Body)
{
    /// <summary>The attributes after a family header of <paramref name="familyHeaderSize"/> bytes.</summary>
    public NetlinkAttributes Attributes(int familyHeaderSize = 0)
    {
        var start = NetlinkProtocol.Align(familyHeaderSize);
        if (start > Body.Length)
        {
            throw new NetlinkFormatException($"Generic-netlink command {Command} has {Body.Length} body bytes, fewer than its {familyHeaderSize}-byte family header.");
        }
        return NetlinkAttributes.Parse(Body[start..]);
    }
}
