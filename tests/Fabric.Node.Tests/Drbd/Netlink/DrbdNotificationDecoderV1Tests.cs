using System.Net;
using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Netlink;

namespace Fabric.Node.Tests.Drbd.Netlink;

/// <summary>
/// DRBD 8.4 (API 1) notifications as the in-tree driver builds them (drivers/block/drbd/drbd_nl.c):
/// contexts without peer node ids, connections keyed by address pair, 8.4's disk-state numbers and
/// combined connection enum — all mapped onto DRBD 9's model.
/// </summary>
public sealed class DrbdNotificationDecoderV1Tests
{
    private const string CtxConnection = """
        34000280 07000200 72300000
        14000300 0200 1b58 0a000001 00000000 00000000
        14000400 0200 1b58 0a000002 00000000 00000000
        """;

    private static readonly IPEndPoint Local = new(IPAddress.Parse("10.0.0.1"), 7000);
    private static readonly IPEndPoint Remote = new(IPAddress.Parse("10.0.0.2"), 7000);

    private readonly Directory _directory = new();

    private DrbdEventMessage Decode(string hex) =>
        new DrbdNotificationDecoder(DrbdApiVersion.V1, _directory).Decode(Assert.Single(NetlinkMessage.Split(Hex.Bytes(hex))));

    [Theory]
    [InlineData(0, DrbdDiskState.Diskless)]
    [InlineData(1, DrbdDiskState.Attaching)]
    [InlineData(2, DrbdDiskState.Failed)]
    [InlineData(3, DrbdDiskState.Negotiating)]
    [InlineData(4, DrbdDiskState.Inconsistent)]
    [InlineData(5, DrbdDiskState.Outdated)]
    [InlineData(6, DrbdDiskState.DUnknown)]
    [InlineData(7, DrbdDiskState.Consistent)]
    [InlineData(8, DrbdDiskState.UpToDate)]
    public void Disk_states_84_are_shifted_past_drbd_9s_detaching(byte value, DrbdDiskState expected)
    {
        var message = Decode($"""
            48000000 1c00 0000 02000000 00000000
            23 01 0000 e8030000 65000000
            14000280 08000100 00000000 07000200 72300000   # ctx: volume 0, r0 (8.4 order)
            0c001780 08000100 02000000
            0c001080 08000100 {value:x2}000000
            """);

        var device = Assert.IsType<DrbdDeviceNotification>(Assert.Single(message.Notifications));
        Assert.Equal(new DrbdDeviceInfo(expected, false, true, false, null), device.Info);
        Assert.Equal(1000, device.Minor);
    }

    [Theory]
    [InlineData(0, DrbdConnectionState.StandAlone, false)]
    [InlineData(2, DrbdConnectionState.Unconnected, false)]
    [InlineData(7, DrbdConnectionState.TearDown, false)]
    [InlineData(8, DrbdConnectionState.Connecting, false)]
    [InlineData(9, DrbdConnectionState.Connecting, true)]
    [InlineData(10, DrbdConnectionState.Connected, true)]
    [InlineData(16, DrbdConnectionState.Connected, true)]
    public void The_combined_84_connection_state_splits_into_connection_and_path(byte value, DrbdConnectionState expected, bool established)
    {
        _directory.Peer = new DrbdV1Peer(1, "beta", Local, Remote);

        var message = Decode($"""
            70000000 1c00 0000 03000000 00000000
            24 01 0000 ffffffff 65000000
            {CtxConnection}
            0c001780 08000100 02000000
            14001180 08000100 {value:x2}000000 08000200 02000000
            """);

        Assert.Equal(
            [
                new DrbdConnectionNotification(DrbdNotificationKind.Change, "r0", 1, "beta", new DrbdConnectionInfo(expected, DrbdRole.Secondary)),
                new DrbdPathNotification(DrbdNotificationKind.Change, "r0", 1, Local, Remote, established),
            ],
            message.Notifications);
    }

    [Fact]
    public void An_84_connection_without_addresses_reports_the_configured_path_as_gone()
    {
        _directory.Peer = new DrbdV1Peer(1, "beta", Local, Remote);

        var message = Decode("""
            48000000 1c00 0000 04000000 00000000
            24 01 0000 ffffffff 65000000
            0c000280 07000200 72300000
            0c001780 08000100 02000000
            14001180 08000100 00000000 08000200 00000000   # StandAlone, peer role unknown
            """);

        Assert.Equal(
            [
                new DrbdConnectionNotification(DrbdNotificationKind.Change, "r0", 1, "beta", new DrbdConnectionInfo(DrbdConnectionState.StandAlone, DrbdRole.Unknown)),
                new DrbdPathNotification(DrbdNotificationKind.Destroy, "r0", 1, Local, Remote, false),
            ],
            message.Notifications);
    }

    [Fact]
    public void An_unknown_84_peer_gets_the_unknown_node_id()
    {
        var message = Decode("""
            48000000 1c00 0000 04000000 00000000
            24 01 0000 ffffffff 65000000
            0c000280 07000200 72300000
            0c001780 08000100 00000000
            14001180 08000100 00000000 08000200 00000000
            """);

        var connection = Assert.IsType<DrbdConnectionNotification>(Assert.Single(message.Notifications));
        Assert.Equal(DrbdNotificationDecoder.UnknownPeerNodeId, connection.PeerNodeId);
        Assert.Null(connection.ConnectionName);
    }

    [Theory]
    [InlineData(9, DrbdReplicationState.Off)]
    [InlineData(10, DrbdReplicationState.Established)]
    [InlineData(16, DrbdReplicationState.SyncSource)]
    [InlineData(17, DrbdReplicationState.SyncTarget)]
    [InlineData(21, DrbdReplicationState.PausedSyncT)]
    [InlineData(23, DrbdReplicationState.Behind)]
    public void The_84_peer_device_replication_state_equals_drbd_9s_from_established_on(byte value, DrbdReplicationState expected)
    {
        _directory.Peer = new DrbdV1Peer(1, "beta", Local, Remote);

        var message = Decode($"""
            90000000 1c00 0000 05000000 00000000
            25 01 0000 ffffffff 65000000
            3c000280 08000100 00000000 07000200 72300000
            14000300 0200 1b58 0a000001 00000000 00000000
            14000400 0200 1b58 0a000002 00000000 00000000
            0c001780 08000100 02000000
            2c001280 08000100 {value:x2}000000
            08000200 04000000                      # 8.4 Inconsistent (4) = DRBD 9 Inconsistent (5)
            08000300 01000000 08000400 00000000 08000500 00000000   # paused by the user
            """);

        Assert.Equal(new DrbdPeerDeviceNotification(DrbdNotificationKind.Change, "r0", 1, "beta", 0,
            new DrbdPeerDeviceInfo(expected, DrbdDiskState.Inconsistent, false, true)), Assert.Single(message.Notifications));
    }

    [Fact]
    public void An_84_resource_has_no_quorum_suspension_or_forced_io_failures()
    {
        var message = Decode("""
            58000000 1c00 0000 06000000 00000000
            22 01 0000 ffffffff 65000000
            0c000280 07000200 72300000
            0c001780 08000100 00000000
            24000f80 08000100 01000000 05000200 00000000 05000300 01000000 05000400 00000000
            """);

        Assert.Equal(new DrbdResourceNotification(DrbdNotificationKind.Exists, "r0", new DrbdResourceInfo(DrbdRole.Primary, false, true, false, false, false)),
            Assert.Single(message.Notifications));
    }

    [Fact]
    public void The_old_84_state_broadcast_does_not_take_part_in_the_sequence()
    {
        var message = Decode("""
            28000000 1c00 0000 63000000 00000000
            01 01 0000 e8030000 65000000           # DRBD_EVENT (own counter)
            0c000880 08000200 00000000             # STATE_INFO current_state
            """);

        Assert.False(message.CountsForSequence);
        Assert.Empty(message.Notifications);
    }

    private sealed class Directory : IDrbdV1PeerDirectory
    {
        public DrbdV1Peer? Peer { get; set; }

        public DrbdV1Peer? Find(string resource) => resource == "r0" ? Peer : null;
    }
}
