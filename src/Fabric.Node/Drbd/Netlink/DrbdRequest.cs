namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// One DRBD request before framing: the command, the minor in <c>drbd_genlmsghdr</c>, the
/// attributes, and the names used in error messages. <see cref="Frame"/> adds the headers once
/// the family id and version are known.
/// </summary>
/// <param name="Operation">What drbdsetup would call it, e.g. "new-resource".</param>
/// <param name="Subject">The object, e.g. "resource 'r0'".</param>
public sealed record DrbdRequest(string Operation, string Subject, byte Command, uint Minor, byte[] Attributes, bool IsDump = false, int HeaderFlags = 0)
{
    /// <summary>The whole netlink message with sequence number 0 (the channel stamps the real one).</summary>
    public byte[] Frame(ushort familyId, byte version)
    {
        var flags = (ushort)(NetlinkProtocol.FlagRequest | (IsDump ? NetlinkProtocol.FlagDump : NetlinkProtocol.FlagAck));
        return NetlinkMessageWriter.Drbd(familyId, flags, 0, Command, version, Minor, HeaderFlags, Attributes);
    }

    public override string ToString() => $"{Operation} {Subject}";
}
