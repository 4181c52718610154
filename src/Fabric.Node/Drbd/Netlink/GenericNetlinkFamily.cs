using System.Collections.Immutable;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>A generic-netlink family as nlctrl describes it (CTRL_CMD_NEWFAMILY).</summary>
/// <param name="Operations">The command ids the family implements (CTRL_ATTR_OPS).</param>
/// <param name="MulticastGroups">Group name → group id (CTRL_ATTR_MCAST_GROUPS).</param>
public sealed record GenericNetlinkFamily(
    string Name,
    ushort Id,
    uint Version,
    uint HeaderSize,
    uint MaxAttribute,
    ImmutableSortedSet<int> Operations,
    ImmutableSortedDictionary<string, uint> MulticastGroups)
{
    /// <summary>Reads a CTRL_CMD_NEWFAMILY message (a GETFAMILY reply or a dump entry).</summary>
    public static GenericNetlinkFamily Parse(NetlinkMessage message)
    {
        var a = message.AsGeneric().Attributes();
        var operations = a.Nested(NetlinkControl.AttrOperations)?.Items
            .Select(op => op.AsNested().U32(NetlinkControl.AttrOperationId))
            .Where(id => id is not null)
            .Select(id => (int)id!.Value) ?? [];
        var groups = a.Nested(NetlinkControl.AttrMulticastGroups)?.Items
            .Select(g => g.AsNested())
            .Where(g => g.String(NetlinkControl.AttrGroupName) is not null && g.U32(NetlinkControl.AttrGroupId) is not null)
            .Select(g => KeyValuePair.Create(g.String(NetlinkControl.AttrGroupName)!, g.U32(NetlinkControl.AttrGroupId)!.Value)) ?? [];
        return new GenericNetlinkFamily(
            a.String(NetlinkControl.AttrFamilyName) ?? throw new NetlinkFormatException("An nlctrl family reply has no CTRL_ATTR_FAMILY_NAME."),
            a.TryGet(NetlinkControl.AttrFamilyId, out var id) ? id.AsU16() : throw new NetlinkFormatException("An nlctrl family reply has no CTRL_ATTR_FAMILY_ID."),
            a.U32(NetlinkControl.AttrVersion) ?? 0,
            a.U32(NetlinkControl.AttrHeaderSize) ?? 0,
            a.U32(NetlinkControl.AttrMaxAttribute) ?? 0,
            [.. operations],
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, groups));
    }
}

/// <summary>The kernel has no generic-netlink family of that name (nlctrl answered ENOENT).</summary>
public sealed class GenericNetlinkFamilyNotFoundException(string name, Exception inner)
    : Exception($"The kernel has no generic-netlink family '{name}'.", inner)
{
    public string FamilyName { get; } = name;
}

/// <summary>Asks nlctrl (GENL_ID_CTRL) for families: by name (CTRL_CMD_GETFAMILY) or all of them (dump).</summary>
public static class GenericNetlinkFamilyResolver
{
    /// <summary>The CTRL_CMD_GETFAMILY request for one family (sequence number 0; the channel stamps it).</summary>
    public static byte[] GetFamilyRequest(string name)
    {
        var attributes = new NetlinkAttributeWriter().PutString(NetlinkControl.AttrFamilyName, name, NetlinkControl.MaxFamilyName, "generic-netlink family name").ToArray();
        return NetlinkMessageWriter.Generic(NetlinkControl.FamilyId, NetlinkProtocol.FlagRequest | NetlinkProtocol.FlagAck, 0, NetlinkControl.CommandGetFamily, 1, [], attributes);
    }

    /// <summary>The CTRL_CMD_GETFAMILY dump of every family.</summary>
    public static byte[] ListFamiliesRequest() =>
        NetlinkMessageWriter.Generic(NetlinkControl.FamilyId, NetlinkProtocol.FlagRequest | NetlinkProtocol.FlagDump, 0, NetlinkControl.CommandGetFamily, 1, [], []);

    public static async Task<GenericNetlinkFamily> ResolveAsync(NetlinkChannel channel, string name, CancellationToken cancellationToken)
    {
        IReadOnlyList<NetlinkMessage> replies;
        try
        {
            replies = await channel.RequestAsync(GetFamilyRequest(name), $"nlctrl GETFAMILY '{name}'", cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkErrorException e) when (e.ErrorNumber == Errno.Enoent)
        {
            throw new GenericNetlinkFamilyNotFoundException(name, e);
        }
        var reply = replies.FirstOrDefault(r => r.Type == NetlinkControl.FamilyId);
        return reply.Payload.IsEmpty
            ? throw new NetlinkFormatException($"nlctrl answered GETFAMILY '{name}' without a family description.")
            : GenericNetlinkFamily.Parse(reply);
    }

    public static async Task<IReadOnlyList<GenericNetlinkFamily>> ListAsync(NetlinkChannel channel, CancellationToken cancellationToken)
    {
        var replies = await channel.RequestAsync(ListFamiliesRequest(), "nlctrl GETFAMILY dump", cancellationToken).ConfigureAwait(false);
        return [.. replies.Where(r => r.Type == NetlinkControl.FamilyId).Select(GenericNetlinkFamily.Parse)];
    }
}
