using System.Net;
using Fabric.Node.Drbd.Kernel;
using static Fabric.Node.Drbd.Netlink.DrbdPayload;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// Requests for DRBD 9 (genl API 2), as drbdsetup 9 sends them: resource-, connection- and
/// peer-device commands carry their key in DRBD_NLA_CFG_CONTEXT with minor ~0; per-minor commands
/// carry only the minor. Option structs are left out when no option is given. Pure.
/// </summary>
public static class DrbdRequestsV2
{
    public static DrbdRequest NewResource(string resource, int nodeId, DrbdResourceOptions options) =>
        Build("new-resource", ResourceSubject(resource), DrbdCommands.NewResource, DrbdCommands.NoMinor, w => w
            .Context(resource)
            .BeginNested(DrbdTla.ResourceOpts).AppendEncoded(ResourceOptions(options, nodeId)).EndNested());

    public static DrbdRequest ResourceOptions(string resource, DrbdResourceOptions options) =>
        Build("resource-options", ResourceSubject(resource), DrbdCommands.ResourceOpts, DrbdCommands.NoMinor, w => w
            .Context(resource)
            .BeginNested(DrbdTla.ResourceOpts).AppendEncoded(ResourceOptions(options, null)).EndNested());

    public static DrbdRequest NewMinor(string resource, int minor, int volume, bool intentionalDiskless) =>
        Build("new-minor", MinorSubject(minor), DrbdCommands.NewMinor, Minor(minor), w => w
            .Context(resource, volume: volume)
            .OptionalStruct(DrbdTla.DeviceConf, d => d.FlagIf(DrbdField.DeviceIntentionalDiskless, intentionalDiskless ? true : null)));

    public static DrbdRequest DeleteMinor(int minor) =>
        Build("del-minor", MinorSubject(minor), DrbdCommands.DelMinor, Minor(minor), _ => { });

    public static DrbdRequest DeleteResource(string resource) =>
        Build("del-resource", ResourceSubject(resource), DrbdCommands.DelResource, DrbdCommands.NoMinor, w => w.Context(resource));

    public static DrbdRequest Attach(int minor, DrbdDiskConfig disk) =>
        Build("attach", MinorSubject(minor), DrbdCommands.Attach, Minor(minor), w => w
            .BeginNested(DrbdTla.DiskConf)
            .PutString(DrbdField.DiskBackingDev, disk.BackingDevice, DrbdField.DevicePathMax, "backing device")
            .PutString(DrbdField.DiskMetaDev, disk.MetaDevice ?? disk.BackingDevice, DrbdField.DevicePathMax, "meta-data device")
            .PutS32(DrbdField.DiskMetaDevIdx, disk.InternalMetaData ? DrbdCommands.MetaIndexFlexibleInternal : DrbdCommands.MetaIndexFlexibleExternal)
            .AppendEncoded(DiskOptions(disk.Options))
            .EndNested());

    public static DrbdRequest DiskOptions(int minor, DrbdDiskOptions options) =>
        Build("disk-options", MinorSubject(minor), DrbdCommands.ChangeDiskOpts, Minor(minor), w => w
            .BeginNested(DrbdTla.DiskConf).AppendEncoded(DiskOptions(options)).EndNested());

    public static DrbdRequest Detach(int minor, bool force, bool intentionalDiskless) =>
        Build("detach", MinorSubject(minor), DrbdCommands.Detach, Minor(minor), w => w
            .OptionalStruct(DrbdTla.DetachParms, d => d
                .FlagIf(DrbdField.DetachForce, force ? true : null)
                .FlagIf(DrbdField.DetachIntentionalDiskless, intentionalDiskless ? true : null)));

    public static DrbdRequest NewPeer(string resource, int peerNodeId, DrbdNetOptions options) =>
        Build("new-peer", PeerSubject(resource, peerNodeId), DrbdCommands.NewPeer, DrbdCommands.NoMinor, w => w
            .Context(resource, peerNodeId)
            .BeginNested(DrbdTla.NetConf).AppendEncoded(NetOptions(options)).EndNested());

    public static DrbdRequest NetOptions(string resource, int peerNodeId, DrbdNetOptions options) =>
        Build("net-options", PeerSubject(resource, peerNodeId), DrbdCommands.ChangeNetOpts, DrbdCommands.NoMinor, w => w
            .Context(resource, peerNodeId)
            .BeginNested(DrbdTla.NetConf).AppendEncoded(NetOptions(options)).EndNested());

    public static DrbdRequest DeletePeer(string resource, int peerNodeId, bool force) =>
        Build("del-peer", PeerSubject(resource, peerNodeId), DrbdCommands.DelPeer, DrbdCommands.NoMinor, w => w
            .Context(resource, peerNodeId)
            .OptionalStruct(DrbdTla.DisconnectParms, d => d.FlagIf(DrbdField.DisconnectForce, force ? true : null)));

    public static DrbdRequest NewPath(string resource, int peerNodeId, IPEndPoint local, IPEndPoint peer) =>
        Path("new-path", DrbdCommands.NewPath, resource, peerNodeId, local, peer);

    public static DrbdRequest DeletePath(string resource, int peerNodeId, IPEndPoint local, IPEndPoint peer) =>
        Path("del-path", DrbdCommands.DelPath, resource, peerNodeId, local, peer);

    public static DrbdRequest Connect(string resource, int peerNodeId, bool discardMyData) =>
        Build("connect", PeerSubject(resource, peerNodeId), DrbdCommands.Connect, DrbdCommands.NoMinor, w => w
            .Context(resource, peerNodeId)
            .OptionalStruct(DrbdTla.ConnectParms, d => d.FlagIf(DrbdField.ConnectDiscardMyData, discardMyData ? true : null)));

    public static DrbdRequest Disconnect(string resource, int peerNodeId, bool force) =>
        Build("disconnect", PeerSubject(resource, peerNodeId), DrbdCommands.Disconnect, DrbdCommands.NoMinor, w => w
            .Context(resource, peerNodeId)
            .OptionalStruct(DrbdTla.DisconnectParms, d => d.FlagIf(DrbdField.DisconnectForce, force ? true : null)));

    public static DrbdRequest PeerDeviceOptions(string resource, int peerNodeId, int volume, DrbdPeerDeviceOptions options) =>
        Build("peer-device-options", PeerDeviceSubject(resource, peerNodeId, volume), DrbdCommands.ChangePeerDeviceOpts, DrbdCommands.NoMinor, w => w
            .Context(resource, peerNodeId, volume)
            .BeginNested(DrbdTla.PeerDeviceOpts)
            .U32If(DrbdField.PeerDeviceResyncRate, options.ResyncRateKiB, "resync rate (KiB/s)")
            .U32If(DrbdField.PeerDeviceCPlanAhead, options.CPlanAhead, "c-plan-ahead")
            .FlagIf(DrbdField.PeerDeviceBitmap, options.Bitmap)
            .EndNested());

    public static DrbdRequest Primary(string resource, bool force) => Role("primary", DrbdCommands.Primary, resource, force);

    public static DrbdRequest Secondary(string resource, bool force) => Role("secondary", DrbdCommands.Secondary, resource, force);

    public static DrbdRequest Resize(int minor, long? sizeKiB, bool assumeClean) => DrbdRequestsCommon.Resize(minor, sizeKiB, assumeClean);

    public static DrbdRequest NewCurrentUuid(int minor, bool clearBitmap) => DrbdRequestsCommon.NewCurrentUuid(minor, clearBitmap);

    public static DrbdRequest ResumeIo(int minor) => DrbdRequestsCommon.ResumeIo(minor);

    public static DrbdRequest ForgetPeer(string resource, int peerNodeId) =>
        Build("forget-peer", PeerSubject(resource, peerNodeId), DrbdCommands.ForgetPeer, DrbdCommands.NoMinor, w => w
            .Context(resource)
            .BeginNested(DrbdTla.ForgetPeerParms).PutS32(DrbdField.ForgetPeerNodeId, (int)NodeId(peerNodeId, nameof(peerNodeId))).EndNested());

    public static DrbdRequest Down(string resource) => DrbdRequestsCommon.Down(resource);

    public static DrbdRequest GetInitialState() => DrbdRequestsCommon.GetInitialState();

    /// <summary>RESOURCE_OPTS fields in id order; node_id only on creation (it is invariant).</summary>
    public static byte[] ResourceOptions(DrbdResourceOptions options, int? nodeId)
    {
        var w = new NetlinkAttributeWriter()
            .U32If(DrbdField.ResOnNoData, (long?)options.OnNoDataAccessible, "on-no-data-accessible")
            .FlagIf(DrbdField.ResAutoPromote, options.AutoPromote);
        if (nodeId is { } id)
        {
            w.PutU32(DrbdField.ResNodeId, NodeId(id, nameof(nodeId)));
        }
        if (options.Quorum is { } quorum)
        {
            w.PutS32(DrbdField.ResQuorum, quorum.Value);
        }
        w.U32If(DrbdField.ResOnNoQuorum, (long?)options.OnNoQuorum, "on-no-quorum");
        if (options.QuorumMinimumRedundancy is { } redundancy)
        {
            w.PutS32(DrbdField.ResQuorumMinRedundancy, redundancy.Value);
        }
        return w.ToArray();
    }

    /// <summary>DISK_CONF option fields DRBD 9 keeps in disk_conf (resync settings are peer-device options there).</summary>
    public static byte[] DiskOptions(DrbdDiskOptions options) => new NetlinkAttributeWriter()
        .U32If(DrbdField.DiskAlExtents, options.AlExtents, "al-extents")
        .FlagIf(DrbdField.DiskFlushes, options.DiskFlushes)
        .FlagIf(DrbdField.DiskMdFlushes, options.MdFlushes)
        .ToArray();

    /// <summary>NET_CONF fields in id order.</summary>
    public static byte[] NetOptions(DrbdNetOptions options) => DrbdRequestsCommon.NetOptionFields(options)
        .PutString(DrbdField.NetName, options.ConnectionName, DrbdField.SharedSecretMax, "connection name")
        .ToArray();

    private static DrbdRequest Path(string operation, byte command, string resource, int peerNodeId, IPEndPoint local, IPEndPoint peer) =>
        Build(operation, PathSubject(resource, peerNodeId, local, peer), command, DrbdCommands.NoMinor, w => w
            .Context(resource, peerNodeId)
            .BeginNested(DrbdTla.PathParms)
            .PutBinary(DrbdField.PathMyAddr, SocketAddressCodec.Encode(local))
            .PutBinary(DrbdField.PathPeerAddr, SocketAddressCodec.Encode(peer))
            .EndNested());

    private static DrbdRequest Role(string operation, byte command, string resource, bool force) =>
        Build(operation, ResourceSubject(resource), command, DrbdCommands.NoMinor, w => w
            .Context(resource)
            .OptionalStruct(DrbdTla.SetRoleParms, d => d.FlagIf(DrbdField.RoleForce, force ? true : null)));

    internal static DrbdRequest Build(string operation, string subject, byte command, uint minor, Action<NetlinkAttributeWriter> attributes)
    {
        var w = new NetlinkAttributeWriter();
        attributes(w);
        return new DrbdRequest(operation, subject, command, minor, w.ToArray());
    }
}
