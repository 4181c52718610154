using System.Buffers.Binary;
using System.Text;
using Fabric.Node.Drbd.Netlink;

namespace Fabric.Node.Tests.Drbd.Netlink;

/// <summary>
/// Kernel replies as hex written from the header definitions (little-endian fields spelled out
/// here, independent of the production encoder): nlctrl family descriptions, DRBD replies, acks.
/// Sequence numbers are 0; the scripted transport stamps the request's.
/// </summary>
internal static class KernelVectors
{
    public const ushort DrbdFamily = 0x1c;
    public const uint EventsGroup = 0x18;
    public const uint NotifyGroup = 0x10;

    public static string U16(ushort v) => $"{v & 0xff:x2}{v >> 8:x2}";

    public static string U32(uint v) => $"{v & 0xff:x2}{(v >> 8) & 0xff:x2}{(v >> 16) & 0xff:x2}{v >> 24:x2}";

    /// <summary>A NUL-terminated, padded string attribute.</summary>
    public static string Str(ushort type, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\0");
        var hex = Convert.ToHexString(bytes).ToLowerInvariant() + new string('0', (4 - bytes.Length % 4) % 4 * 2);
        return $"{U16((ushort)(4 + bytes.Length))}{U16(type)} {hex}";
    }

    public static int Length(string hex) => Hex.Bytes(hex).Length;

    public static string Nest(ushort type, string inner) => $"{U16((ushort)(4 + Length(inner)))}{U16((ushort)(type | 0x8000))} {inner}";

    /// <summary>A netlink message: header (seq 0, pid 0) and payload.</summary>
    public static string Message(ushort type, ushort flags, string payload) => $"{U32((uint)(16 + Length(payload)))} {U16(type)} {U16(flags)} 00000000 00000000 {payload}";

    /// <summary>The positive acknowledgement (NLMSG_ERROR 0, capped) that follows a reply to a request with NLM_F_ACK.</summary>
    public static string Ack() => Message(2, 0x100, "00000000 20000000 1c00 0500 00000000 00000000");

    public static string Error(int errno) => Message(2, 0x100, $"{U32(unchecked((uint)-errno))} 20000000 1c00 0500 00000000 00000000");

    /// <summary>nlctrl's CTRL_CMD_NEWFAMILY for "drbd".</summary>
    public static string DrbdFamilyReply(uint version = 2, uint headerSize = 8, params int[] ops)
    {
        var opItems = string.Join(" ", ops.Select((op, i) => Nest((ushort)(i + 1), $"08000100 {U32((uint)op)} 08000200 0e000000")));
        var group = Nest(1, $"{Str(1, "events")} 08000200 {U32(EventsGroup)}");
        return Message(0x10, 0, $"""
            01 02 0000
            06000100 {U16(DrbdFamily)}0000
            {Str(2, "drbd")}
            08000300 {U32(version)}
            08000400 {U32(headerSize)}
            08000500 22000000
            {Nest(6, opItems)}
            {Nest(7, group)}
            """);
    }

    /// <summary>nlctrl's own description, with its "notify" group.</summary>
    public static string NlctrlFamilyReply() => Message(0x10, 0, $"""
        01 02 0000
        06000100 10000000
        {Str(2, "nlctrl")}
        08000300 02000000
        08000400 00000000
        08000500 00000000
        {Nest(7, Nest(1, $"{Str(1, "notify")} 08000200 {U32(NotifyGroup)}"))}
        """);

    /// <summary>A DRBD reply: genlmsghdr of <paramref name="command"/>, drbd_genlmsghdr (minor, ret_code), optional info text.</summary>
    public static string DrbdReply(byte command, uint minor, int retCode, byte version = 2, params string[] info)
    {
        var texts = string.Join(" ", info.Select(t => Nest(1, Str(1, t))));
        return Message(DrbdFamily, 0, $"{command:x2} {version:x2} 0000 {U32(minor)} {U32(unchecked((uint)retCode))} {texts}");
    }

    /// <summary>A notification or dump entry as hex, for <paramref name="command"/> with context and info TLAs given as hex.</summary>
    public static string Notification(byte command, uint minor, uint nhType, string context, string info = "", byte version = 2, ushort flags = 0) =>
        Message(DrbdFamily, flags, $"{command:x2} {version:x2} 0000 {U32(minor)} 65000000 {Nest(2, context)} {Nest(23, $"08000100 {U32(nhType)}")} {info}");

    public static string Done() => Message(3, 2, "00000000");

    public static byte[] Datagram(params string[] messages) => Hex.Bytes(string.Join("\n", messages));

    /// <summary>Stamps a sequence number into every message of a datagram (for multicast events the test numbers itself).</summary>
    public static byte[] WithSequence(byte[] datagram, uint sequence)
    {
        var copy = (byte[])datagram.Clone();
        var offset = 0;
        while (offset + 16 <= copy.Length)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset + 8), sequence);
            offset += (int)((BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(offset)) + 3) & ~3u);
        }
        return copy;
    }

    /// <summary>What a request is: (nlmsg type, genl command, family name attribute if nlctrl).</summary>
    public static (ushort Type, byte Command, uint Sequence, string? FamilyName) Describe(byte[] request)
    {
        var message = NetlinkMessage.Split(request)[0];
        var generic = message.AsGeneric();
        var name = message.Type == NetlinkControl.FamilyId ? generic.Attributes().String(NetlinkControl.AttrFamilyName) : null;
        return (message.Type, generic.Command, message.Sequence, name);
    }
}
