using System.Buffers.Binary;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// The driver's answer to a configuration request: <c>drbd_genlmsghdr.ret_code</c> and the
/// info_text lines of DRBD_NLA_CFG_REPLY.
/// </summary>
public sealed record DrbdReply(byte Command, uint Minor, int RetCode, IReadOnlyList<string> InfoText)
{
    public bool IsSuccess => DrbdCodeNames.IsSuccess(RetCode);

    /// <summary>The info text lines joined with "; ", or null when there are none.</summary>
    public string? Info => InfoText.Count == 0 ? null : string.Join("; ", InfoText);

    /// <summary>Reads a reply message of the drbd family.</summary>
    public static DrbdReply Decode(NetlinkMessage message)
    {
        var generic = message.AsGeneric();
        if (generic.Body.Length < NetlinkMessageWriter.DrbdHeaderSize)
        {
            throw new NetlinkFormatException($"A DRBD reply to command {generic.Command} has {generic.Body.Length} body bytes, fewer than the 8-byte drbd_genlmsghdr.");
        }
        var span = generic.Body.Span;
        var minor = BinaryPrimitives.ReadUInt32LittleEndian(span);
        var retCode = BinaryPrimitives.ReadInt32LittleEndian(span[4..]);
        var texts = generic.Attributes(NetlinkMessageWriter.DrbdHeaderSize)
            .All(DrbdTla.CfgReply)
            .SelectMany(reply => reply.AsNested().All(DrbdField.ReplyInfoText))
            .Select(text => text.AsString().Trim())
            .Where(text => text.Length > 0)
            .ToList();
        return new DrbdReply(generic.Command, minor, retCode, texts);
    }
}
