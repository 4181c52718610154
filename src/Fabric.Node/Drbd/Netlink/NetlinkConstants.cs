namespace Fabric.Node.Drbd.Netlink;

/// <summary>Numbers of the netlink and generic-netlink wire protocol (linux/netlink.h, linux/genetlink.h).</summary>
public static class NetlinkProtocol
{
    public const int AfNetlink = 16;
    public const int NetlinkGeneric = 16;
    public const int SolNetlink = 270;
    public const int NetlinkAddMembership = 1;
    public const int NetlinkDropMembership = 2;
    public const int NetlinkExtAck = 11;
    public const int SolSocket = 1;
    public const int SoSndBuf = 7;
    public const int SoRcvBuf = 8;
    public const int SoRcvBufForce = 33;

    /// <summary>sizeof(struct nlmsghdr).</summary>
    public const int MessageHeaderSize = 16;

    /// <summary>sizeof(struct genlmsghdr).</summary>
    public const int GenericHeaderSize = 4;

    /// <summary>sizeof(struct nlattr).</summary>
    public const int AttributeHeaderSize = 4;

    public const ushort TypeNoop = 1;
    public const ushort TypeError = 2;
    public const ushort TypeDone = 3;
    public const ushort TypeOverrun = 4;

    /// <summary>Types below this are netlink control messages, not family messages.</summary>
    public const ushort MinFamilyType = 16;

    public const ushort FlagRequest = 0x1;
    public const ushort FlagMulti = 0x2;
    public const ushort FlagAck = 0x4;
    public const ushort FlagDumpInterrupted = 0x10;

    /// <summary>NLM_F_ROOT | NLM_F_MATCH.</summary>
    public const ushort FlagDump = 0x300;

    /// <summary>In an NLMSG_ERROR: the original request's payload was left out.</summary>
    public const ushort FlagCapped = 0x100;

    /// <summary>In an NLMSG_ERROR: extended-ack attributes follow.</summary>
    public const ushort FlagAckTlvs = 0x200;

    /// <summary>NLMSGERR_ATTR_MSG: the kernel's error text in an extended ack.</summary>
    public const ushort ExtAckMessage = 1;

    public const ushort AttributeNested = 0x8000;
    public const ushort AttributeNetByteOrder = 0x4000;
    public const ushort AttributeTypeMask = 0x3FFF;

    /// <summary>Rounds up to netlink's 4-byte alignment.</summary>
    public static int Align(int length) => (length + 3) & ~3;
}

/// <summary>The nlctrl family (GENL_ID_CTRL) that resolves generic-netlink families by name.</summary>
public static class NetlinkControl
{
    public const ushort FamilyId = 16;
    public const string FamilyName = "nlctrl";
    public const string NotifyGroup = "notify";

    public const byte CommandNewFamily = 1;
    public const byte CommandDeleteFamily = 2;
    public const byte CommandGetFamily = 3;
    public const byte CommandNewMulticastGroup = 7;
    public const byte CommandDeleteMulticastGroup = 8;

    public const ushort AttrFamilyId = 1;
    public const ushort AttrFamilyName = 2;
    public const ushort AttrVersion = 3;
    public const ushort AttrHeaderSize = 4;
    public const ushort AttrMaxAttribute = 5;
    public const ushort AttrOperations = 6;
    public const ushort AttrMulticastGroups = 7;

    public const ushort AttrOperationId = 1;
    public const ushort AttrOperationFlags = 2;

    public const ushort AttrGroupName = 1;
    public const ushort AttrGroupId = 2;

    /// <summary>Longest family name (GENL_NAMSIZ, including the NUL).</summary>
    public const int MaxFamilyName = 16;

    /// <summary>The id of nlctrl's "notify" group (family and group removals), when the family description has it.</summary>
    public static bool TryGetNotifyGroup(GenericNetlinkFamily? nlctrl, out uint? group)
    {
        group = nlctrl is not null && nlctrl.MulticastGroups.TryGetValue(NotifyGroup, out var id) ? id : null;
        return group is not null;
    }
}
