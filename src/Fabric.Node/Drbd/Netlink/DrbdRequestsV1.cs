using System.Net;
using Fabric.Node.Drbd.Kernel;
using static Fabric.Node.Drbd.Netlink.DrbdPayload;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// Requests for the DRBD 8.4 driver (genl API 1, the in-tree Linux driver), as drbdsetup-84 sends
/// them: per-minor commands (attach, primary, secondary, …) carry only the minor; a connection is
/// keyed by its address pair (ctx_my_addr/ctx_peer_addr) and created by <c>connect</c> together
/// with its net options; there are no node ids, peers, paths, quorum or diskless clients.
/// Anything 8.4 cannot express is refused with <see cref="DrbdFeatureUnavailableException"/>;
/// on-no-quorum is dropped (without quorum it has no effect) and auto-promote "no" is 8.4's only
/// behaviour. Pure.
/// </summary>
public static class DrbdRequestsV1
{
    private const string NoQuorum = "Leave quorum off for resources on DRBD 8.4 hosts, or install DRBD 9.";

    public static DrbdRequest NewResource(string resource, DrbdResourceOptions options) =>
        Build("new-resource", ResourceSubject(resource), DrbdCommands.NewResource, DrbdCommands.NoMinor, w => w
            .Context(resource)
            .OptionalStruct(DrbdTla.ResourceOpts, o => ResourceOptions(o, options, "new-resource")));

    public static DrbdRequest ResourceOptions(string resource, DrbdResourceOptions options) =>
        Build("resource-options", ResourceSubject(resource), DrbdCommands.ResourceOpts, DrbdCommands.NoMinor, w => w
            .Context(resource)
            .OptionalStruct(DrbdTla.ResourceOpts, o => ResourceOptions(o, options, "resource-options")));

    public static DrbdRequest NewMinor(string resource, int minor, int volume, bool intentionalDiskless)
    {
        if (intentionalDiskless)
        {
            throw new DrbdFeatureUnavailableException("new-minor", "an intentionally diskless (client) device", "Place a diskful replica on this node or install DRBD 9.");
        }
        return Build("new-minor", MinorSubject(minor), DrbdCommands.NewMinor, Minor(minor), w => w.Context(resource, volume: volume));
    }

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

    public static DrbdRequest Detach(int minor, bool force, bool intentionalDiskless)
    {
        if (intentionalDiskless)
        {
            throw new DrbdFeatureUnavailableException("detach", "turning a device into a diskless client", "Detach without --diskless, or install DRBD 9.");
        }
        return Build("detach", MinorSubject(minor), DrbdCommands.Detach, Minor(minor), w => w
            .OptionalStruct(DrbdTla.DetachParms, d => d.FlagIf(DrbdField.DetachForce, force ? true : null)));
    }

    /// <summary>8.4's connect: creates the connection from the address pair and its net options in one request.</summary>
    public static DrbdRequest Connect(string resource, IPEndPoint local, IPEndPoint peer, DrbdNetOptions options, bool discardMyData) =>
        Build("connect", ConnectionSubject(resource, local, peer), DrbdCommands.Connect, DrbdCommands.NoMinor, w => w
            .Context(resource, myAddr: local, peerAddr: peer)
            .BeginNested(DrbdTla.NetConf)
            .AppendEncoded(NetOptions(options))
            .FlagIf(DrbdField.NetV1DiscardMyData, discardMyData ? true : null)
            .EndNested());

    /// <summary>net-options on an established 8.4 connection: the context is the address pair only (no resource name).</summary>
    public static DrbdRequest NetOptions(string resource, IPEndPoint local, IPEndPoint peer, DrbdNetOptions options) =>
        Build("net-options", ConnectionSubject(resource, local, peer), DrbdCommands.ChangeNetOpts, DrbdCommands.NoMinor, w => w
            .Context(myAddr: local, peerAddr: peer)
            .BeginNested(DrbdTla.NetConf).AppendEncoded(NetOptions(options)).EndNested());

    public static DrbdRequest Disconnect(string resource, IPEndPoint local, IPEndPoint peer, bool force) =>
        Build("disconnect", ConnectionSubject(resource, local, peer), DrbdCommands.Disconnect, DrbdCommands.NoMinor, w => w
            .Context(myAddr: local, peerAddr: peer)
            .OptionalStruct(DrbdTla.DisconnectParms, d => d.FlagIf(DrbdField.DisconnectForce, force ? true : null)));

    /// <summary>8.4 promotes one minor at a time; <paramref name="force"/> is assume_uptodate ("primary --force").</summary>
    public static DrbdRequest Primary(int minor, bool force) =>
        Build("primary", MinorSubject(minor), DrbdCommands.Primary, Minor(minor), w => w
            .OptionalStruct(DrbdTla.SetRoleParms, d => d.FlagIf(DrbdField.RoleForce, force ? true : null)));

    public static DrbdRequest Secondary(int minor) =>
        Build("secondary", MinorSubject(minor), DrbdCommands.Secondary, Minor(minor), _ => { });

    /// <summary>8.4 keeps the resync controller in disk_conf: the mapping of DRBD 9's peer-device options.</summary>
    public static DrbdRequest ResyncOptions(int minor, DrbdPeerDeviceOptions options)
    {
        if (options.Bitmap == false)
        {
            throw new DrbdFeatureUnavailableException("peer-device-options", "a peer without a bitmap slot (diskless peer)", "DRBD 8.4 always keeps a bitmap for its single peer; install DRBD 9 for diskless peers.");
        }
        return Build("peer-device-options", MinorSubject(minor), DrbdCommands.ChangeDiskOpts, Minor(minor), w => w
            .BeginNested(DrbdTla.DiskConf)
            .U32If(DrbdField.DiskV1ResyncRate, options.ResyncRateKiB, "resync rate (KiB/s)")
            .U32If(DrbdField.DiskV1CPlanAhead, options.CPlanAhead, "c-plan-ahead")
            .EndNested());
    }

    /// <summary>8.4's disk_conf option ids in id order (resync_rate 8, al_extents 10, c_plan_ahead 11, flushes 17/19).</summary>
    public static byte[] DiskOptions(DrbdDiskOptions options) => new NetlinkAttributeWriter()
        .U32If(DrbdField.DiskV1ResyncRate, options.ResyncRateKiB, "resync rate (KiB/s)")
        .U32If(DrbdField.DiskAlExtents, options.AlExtents, "al-extents")
        .U32If(DrbdField.DiskV1CPlanAhead, options.CPlanAhead, "c-plan-ahead")
        .FlagIf(DrbdField.DiskFlushes, options.DiskFlushes)
        .FlagIf(DrbdField.DiskMdFlushes, options.MdFlushes)
        .ToArray();

    /// <summary>8.4's net_conf: the same ids as DRBD 9 for these fields, but no connection name (id 31 does not exist).</summary>
    public static byte[] NetOptions(DrbdNetOptions options) => DrbdRequestsCommon.NetOptionFields(options).ToArray();

    public static string ConnectionSubject(string resource, IPEndPoint local, IPEndPoint peer) => $"connection '{resource}' {local} -> {peer}";

    private static void ResourceOptions(NetlinkAttributeWriter w, DrbdResourceOptions options, string operation)
    {
        if (options.Quorum is { IsOff: false } || options.QuorumMinimumRedundancy is { IsOff: false })
        {
            throw new DrbdFeatureUnavailableException(operation, "quorum", NoQuorum);
        }
        if (options.AutoPromote == true)
        {
            throw new DrbdFeatureUnavailableException(operation, "auto-promote", "Promote explicitly (primary) on DRBD 8.4, or install DRBD 9.");
        }
        w.U32If(DrbdField.ResOnNoData, (long?)options.OnNoDataAccessible, "on-no-data-accessible");
    }

    private static DrbdRequest Build(string operation, string subject, byte command, uint minor, Action<NetlinkAttributeWriter> attributes) =>
        DrbdRequestsV2.Build(operation, subject, command, minor, attributes);
}
