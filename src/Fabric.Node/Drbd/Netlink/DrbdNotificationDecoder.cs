using System.Net;
using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// Decodes DRBD notifications (commands 34–37, 40, 41, 48) into the contract's records in DRBD 9's
/// model. For API 1 (8.4) the numbers are mapped by <see cref="DrbdStateMapping"/>, the peer node
/// id and connection name come from <see cref="IDrbdV1PeerDirectory"/> (8.4 knows a connection only
/// by its address pair; unknown peers get <see cref="UnknownPeerNodeId"/>), and a connection that
/// has an address pair is also reported as a path. Pure apart from reading the directory.
/// </summary>
public sealed class DrbdNotificationDecoder(DrbdApiVersion api, IDrbdV1PeerDirectory? peers = null)
{
    /// <summary>The peer node id reported for an 8.4 connection the directory does not know.</summary>
    public const int UnknownPeerNodeId = -1;

    public DrbdApiVersion Api { get; } = api;

    /// <summary>Decodes one message of the drbd family; throws <see cref="NetlinkFormatException"/> on malformed input.</summary>
    public DrbdEventMessage Decode(NetlinkMessage message)
    {
        var generic = message.AsGeneric();
        var command = generic.Command;
        var minor = generic.Body.Length >= 4 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(generic.Body.Span) : DrbdCommands.NoMinor;
        var attributes = generic.Attributes(NetlinkMessageWriter.DrbdHeaderSize);
        var header = attributes.Nested(DrbdTla.NotificationHeader);
        var nhType = header?.U32(DrbdField.NotificationType);
        DrbdNotificationKind? kind = nhType is { } t ? (DrbdNotificationKind)(t & ~DrbdCommands.NotifyFlags) : null;
        var continues = nhType is { } f && (f & DrbdCommands.NotifyContinues) != 0;
        var counts = command != DrbdCommands.Event;
        if (command == DrbdCommands.InitialStateDone)
        {
            return new DrbdEventMessage(message.Sequence, command, DrbdNotificationKind.Exists, false, true, counts, []);
        }
        var context = attributes.Nested(DrbdTla.CfgContext);
        var notifications = kind is { } k && context?.String(DrbdField.CtxResourceName) is { } resource
            ? DecodeObject(command, k, resource, (int)minor, context, attributes)
            : [];
        return new DrbdEventMessage(message.Sequence, command, kind, continues, false, counts, notifications);
    }

    private IReadOnlyList<DrbdNotification> DecodeObject(byte command, DrbdNotificationKind kind, string resource, int minor, NetlinkAttributes context, NetlinkAttributes attributes)
    {
        var destroyed = kind == DrbdNotificationKind.Destroy;
        switch (command)
        {
            case DrbdCommands.ResourceState:
                return [new DrbdResourceNotification(kind, resource, destroyed ? null : ResourceInfo(attributes.Nested(DrbdTla.ResourceInfo)),
                    attributes.Nested(DrbdTla.RenameResourceInfo)?.String(DrbdField.RenameNewName))];
            case DrbdCommands.DeviceState:
                return [new DrbdDeviceNotification(kind, resource, (int)(context.U32(DrbdField.CtxVolume) ?? 0), minor,
                    destroyed ? null : DeviceInfo(attributes.Nested(DrbdTla.DeviceInfo), attributes.Nested(DrbdTla.DeviceStatistics)))];
            case DrbdCommands.ConnectionState:
                return Connection(kind, resource, context, attributes);
            case DrbdCommands.PeerDeviceState:
            {
                var (peer, name) = PeerOf(resource, context);
                return [new DrbdPeerDeviceNotification(kind, resource, peer, name, (int)(context.U32(DrbdField.CtxVolume) ?? 0),
                    destroyed ? null : PeerDeviceInfo(attributes.Nested(DrbdTla.PeerDeviceInfo), attributes.Nested(DrbdTla.PeerDeviceStatistics)))];
            }
            case DrbdCommands.PathState:
            {
                var (peer, _) = PeerOf(resource, context);
                return [new DrbdPathNotification(kind, resource, peer, Address(context, DrbdField.CtxMyAddr), Address(context, DrbdField.CtxPeerAddr),
                    attributes.Nested(DrbdTla.PathInfo)?.Flag(DrbdField.PathInfoEstablished) ?? false)];
            }
            case DrbdCommands.Helper:
            {
                var helper = attributes.Nested(DrbdTla.Helper);
                var hasPeer = context.Has(DrbdField.CtxPeerNodeId) || context.Has(DrbdField.CtxPeerAddr);
                int? volume = context.U32(DrbdField.CtxVolume) is { } v ? (int)v : null;
                int? status = kind == DrbdNotificationKind.Response && helper?.U32(DrbdField.HelperStatus) is { } s ? (int)s : null;
                return [new DrbdHelperNotification(kind, resource, helper?.String(DrbdField.HelperName) ?? "", volume, hasPeer ? PeerOf(resource, context).PeerNodeId : null, status)];
            }
            default:
                return [];
        }
    }

    private IReadOnlyList<DrbdNotification> Connection(DrbdNotificationKind kind, string resource, NetlinkAttributes context, NetlinkAttributes attributes)
    {
        var (peer, name) = PeerOf(resource, context);
        var info = attributes.Nested(DrbdTla.ConnectionInfo);
        var state = info?.U32(DrbdField.ConnectionInfoState);
        var connection = new DrbdConnectionNotification(kind, resource, peer, name,
            kind == DrbdNotificationKind.Destroy || info is null ? null
                : new DrbdConnectionInfo(DrbdStateMapping.Connection(Api, state ?? 0), DrbdStateMapping.Role(info.U32(DrbdField.ConnectionInfoRole) ?? 0)));
        if (Api != DrbdApiVersion.V1)
        {
            return [connection];
        }
        var local = Address(context, DrbdField.CtxMyAddr);
        var remote = Address(context, DrbdField.CtxPeerAddr);
        if (local is not null && remote is not null)
        {
            return [connection, new DrbdPathNotification(kind, resource, peer, local, remote, state is { } s && DrbdStateMapping.V1HasSocket(s))];
        }
        // 8.4 drops the address pair when the connection goes StandAlone: the path the agent configured is gone.
        if (kind != DrbdNotificationKind.Exists && kind != DrbdNotificationKind.Create && peers?.Find(resource) is { Local: { } l, Peer: { } p })
        {
            return [connection, new DrbdPathNotification(DrbdNotificationKind.Destroy, resource, peer, l, p, false)];
        }
        return [connection];
    }

    private (int PeerNodeId, string? Name) PeerOf(string resource, NetlinkAttributes context)
    {
        if (Api == DrbdApiVersion.V1)
        {
            return peers?.Find(resource) is { } known ? (known.PeerNodeId, known.ConnectionName) : (UnknownPeerNodeId, null);
        }
        var peer = context.U32(DrbdField.CtxPeerNodeId) is { } id ? (int)id : UnknownPeerNodeId;
        return (peer, context.String(DrbdField.CtxConnName));
    }

    private static IPEndPoint? Address(NetlinkAttributes context, ushort field) =>
        context.Binary(field) is { } bytes ? SocketAddressCodec.Decode(bytes.Span) : null;

    private static DrbdResourceInfo ResourceInfo(NetlinkAttributes? info) => new(
        DrbdStateMapping.Role(info?.U32(DrbdField.ResourceInfoRole) ?? 0),
        info?.Flag(DrbdField.ResourceInfoSuspended) ?? false,
        info?.Flag(DrbdField.ResourceInfoSuspendedNoData) ?? false,
        info?.Flag(DrbdField.ResourceInfoSuspendedFencing) ?? false,
        info?.Flag(DrbdField.ResourceInfoSuspendedQuorum) ?? false,
        info?.Flag(DrbdField.ResourceInfoFailIo) ?? false);

    private DrbdDeviceInfo DeviceInfo(NetlinkAttributes? info, NetlinkAttributes? statistics) => new(
        DrbdStateMapping.Disk(Api, info?.U32(DrbdField.DeviceInfoDiskState) ?? 0),
        info?.Flag(DrbdField.DeviceInfoIntentionalDiskless) ?? false,
        // 8.4 and DRBD 9 before quorum (9.0.7) have no quorum: the device is never blocked by it.
        info?.Flag(DrbdField.DeviceInfoHasQuorum) ?? true,
        info?.Flag(DrbdField.DeviceInfoIsOpen) ?? false,
        info?.String(DrbdField.DeviceInfoBackingDev) is { Length: > 0 } path and not "none" ? path : null,
        statistics?.U64(DrbdField.DeviceStatSize) is { } sectors ? (long)(sectors / 2) : null);

    private DrbdPeerDeviceInfo PeerDeviceInfo(NetlinkAttributes? info, NetlinkAttributes? statistics) => new(
        DrbdStateMapping.Replication(Api, info?.U32(DrbdField.PeerInfoReplicationState) ?? 0),
        DrbdStateMapping.Disk(Api, info?.U32(DrbdField.PeerInfoDiskState) ?? (Api == DrbdApiVersion.V1 ? 6u : 7u)),
        info?.Flag(DrbdField.PeerInfoIntentionalDiskless) ?? false,
        new[] { DrbdField.PeerInfoResyncSuspendedUser, DrbdField.PeerInfoResyncSuspendedPeer, DrbdField.PeerInfoResyncSuspendedDependency, DrbdField.PeerInfoResyncSuspendedMaxParallel }
            .Any(f => (info?.U32(f) ?? 0u) != 0u),
        Kib(statistics?.U64(DrbdField.PeerStatOutOfSync)),
        Kib(statistics?.U64(DrbdField.PeerStatResyncTotal)),
        Kib(statistics?.U64(DrbdField.PeerStatResyncFailed)),
        statistics?.U64(DrbdField.PeerStatUuidFlags));

    private static long? Kib(ulong? sectors) => sectors is { } s ? (long)(s / 2) : null;
}
