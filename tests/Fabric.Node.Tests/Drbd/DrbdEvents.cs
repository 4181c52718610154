using System.Net;
using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Tests.Drbd;

/// <summary>Builds kernel notifications for state machine tests, with events2's defaults.</summary>
internal static class DrbdEvents
{
    public const string Resource = "some-resource";

    public static DrbdResourceNotification Res(DrbdNotificationKind kind, DrbdRole role = DrbdRole.Secondary, bool suspendedQuorum = false, bool failIo = false) =>
        new(kind, Resource, new DrbdResourceInfo(role, false, false, false, suspendedQuorum, failIo));

    public static DrbdDeviceNotification Dev(DrbdNotificationKind kind, DrbdDiskState disk, bool quorum = true, int volume = 0, int minor = 1000, bool client = false, string? backing = null) =>
        new(kind, Resource, volume, minor, new DrbdDeviceInfo(disk, client, quorum, false, backing, 1024));

    public static DrbdConnectionNotification Conn(DrbdNotificationKind kind, DrbdConnectionState state, DrbdRole peerRole = DrbdRole.Unknown, int peer = 1, string name = "some-peer") =>
        new(kind, Resource, peer, name, new DrbdConnectionInfo(state, peerRole));

    public static DrbdPeerDeviceNotification Peer(
        DrbdNotificationKind kind,
        DrbdReplicationState replication,
        DrbdDiskState peerDisk,
        int peer = 1,
        int volume = 0,
        bool stable = true,
        long? outOfSync = 0,
        long? total = 0,
        bool client = false) =>
        new(kind, Resource, peer, "some-peer", volume, new DrbdPeerDeviceInfo(replication, peerDisk, client, false, outOfSync, total, 0, stable ? 0x8UL : 0UL));

    public static DrbdPathNotification Path(DrbdNotificationKind kind, bool established, int peer = 1) =>
        new(kind, Resource, peer, IPEndPoint.Parse("1.2.3.4:7789"), IPEndPoint.Parse("5.6.7.8:7790"), established);

    public static DrbdEventBatch Batch(params DrbdNotification[] notifications) => DrbdEventBatch.Change(notifications);

    public static DrbdEventBatch Initial(params DrbdNotification[] notifications) => DrbdEventBatch.Initial(notifications);
}
