using System.Net;
using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Netlink;

namespace Fabric.Node.Tests.Drbd.Netlink;

/// <summary>DRBD 9 (API 2) notifications, written by hand as the kernel's notify_*() functions build them.</summary>
public sealed class DrbdNotificationDecoderTests
{
    private readonly DrbdNotificationDecoder _decoder = new(DrbdApiVersion.V2);

    private DrbdEventMessage Decode(string hex) => _decoder.Decode(Assert.Single(NetlinkMessage.Split(Hex.Bytes(hex))));

    [Fact]
    public void A_resource_change_with_continues_decodes_role_and_suspension()
    {
        var message = Decode("""
            74000000 1c00 0000 2a000000 00000000   # seq 42, pid 0 (multicast)
            22 02 0000 ffffffff 65000000           # DRBD_RESOURCE_STATE, minor ~0, ret NO_ERROR
            0c000280 07000200 72300000             # ctx r0
            0c001780 08000100 02800000             # nh_type CHANGE | NOTIFY_CONTINUES
            34000f80 08000100 01000000             # res_role Primary
            05000200 00000000 05000300 00000000 05000400 00000000
            05000500 01000000                      # res_susp_quorum
            05000600 00000000
            0c001380 08000100 00000000             # RESOURCE_STATISTICS
            """);

        Assert.Equal(42u, message.Sequence);
        Assert.True(message.Continues);
        Assert.True(message.CountsForSequence);
        Assert.False(message.IsExists);
        Assert.Equal(DrbdNotificationKind.Change, message.Kind);
        var resource = Assert.IsType<DrbdResourceNotification>(Assert.Single(message.Notifications));
        Assert.Equal(new DrbdResourceNotification(DrbdNotificationKind.Change, "r0", new DrbdResourceInfo(DrbdRole.Primary, false, false, false, true, false)), resource);
    }

    [Fact]
    public void A_device_exists_message_decodes_disk_quorum_open_backing_device_and_size()
    {
        var message = Decode("""
            84000000 1c00 0000 05000000 00000000
            23 02 0000 e8030000 65000000           # DRBD_DEVICE_STATE, minor 1000
            14000280 07000200 72300000 08000100 00000000
            0c001780 08000100 00800000             # EXISTS | CONTINUES
            34001000                               # DEVICE_INFO without NLA_F_NESTED
            08000100 09000000                      # UpToDate
            05000200 00000000 05000300 01000000
            0d000400 2f646576 2f736461 00000000    # backing_dev_path "/dev/sda"
            05000500 01000000                      # dev_is_open
            14001480 04000000                      # DEVICE_STATISTICS: a type-0 pad first
            0c000100 00002000 00000000             # dev_size 2097152 sectors
            """);

        Assert.True(message.IsExists);
        Assert.Equal(new DrbdDeviceNotification(DrbdNotificationKind.Exists, "r0", 0, 1000,
            new DrbdDeviceInfo(DrbdDiskState.UpToDate, false, true, true, "/dev/sda", 1024 * 1024)), Assert.Single(message.Notifications));
    }

    [Fact]
    public void A_connection_create_names_the_peer_and_ignores_path_parms_and_unknown_attributes()
    {
        var message = Decode("""
            90000000 1c00 0000 06000000 00000000
            24 02 0000 ffffffff 65000000           # DRBD_CONNECTION_STATE
            20000280 07000200 72300000 08000600 01000000 09000500 62657461 00000000   # r0, peer 1, conn_name beta
            0c001780 08000100 01000000             # CREATE
            2c001c80                               # PATH_PARMS, my_addr with the 0x4000 compat bit
            14000140 0200 1b58 0a000001 00000000 00000000
            14000240 0200 1b58 0a000002 00000000 00000000
            14001180 08000100 09000000 08000200 02000000   # Connected, peer Secondary
            08006380 04000100                      # an unknown top-level attribute (99)
            """);

        Assert.Equal(new DrbdConnectionNotification(DrbdNotificationKind.Create, "r0", 1, "beta",
            new DrbdConnectionInfo(DrbdConnectionState.Connected, DrbdRole.Secondary)), Assert.Single(message.Notifications));
    }

    [Fact]
    public void A_peer_device_change_decodes_replication_resync_and_statistics_in_KiB()
    {
        var message = Decode("""
            b8000000 1c00 0000 07000000 00000000
            25 02 0000 ffffffff 65000000           # DRBD_PEER_DEVICE_STATE
            28000280 07000200 72300000 08000600 01000000 09000500 62657461 00000000 08000100 00000000
            0c001780 08000100 02000000             # CHANGE
            34001280 08000100 11000000             # SyncTarget
            08000200 05000000                      # peer disk Inconsistent
            08000300 00000000 08000400 00000000
            08000500 01000000                      # resync suspended: dependency
            05000600 00000000
            34001680 0c000500 00080000 00000000    # out_of_sync 2048 sectors
            0c000600 00000000 00000000             # resync_failed 0
            0c000a00 00200000 00000000             # rs_total 8192 sectors
            0c001800 08000000 00000000             # uuid_flags UUID_FLAG_STABLE
            """);

        Assert.Equal(new DrbdPeerDeviceNotification(DrbdNotificationKind.Change, "r0", 1, "beta", 0,
            new DrbdPeerDeviceInfo(DrbdReplicationState.SyncTarget, DrbdDiskState.Inconsistent, false, true, 1024, 4096, 0, 8)),
            Assert.Single(message.Notifications));
    }

    [Fact]
    public void A_path_state_decodes_both_endpoints_and_established()
    {
        var message = Decode("""
            7c000000 1c00 0000 08000000 00000000
            30 02 0000 ffffffff 65000000           # DRBD_PATH_STATE
            48000280 07000200 72300000 08000600 01000000 09000500 62657461 00000000
            14000300 0200 1b58 0a000001 00000000 00000000
            14000400 0200 1b58 0a000002 00000000 00000000
            0c001780 08000100 02000000
            0c001e80 05000100 01000000             # path_established
            """);

        Assert.Equal(new DrbdPathNotification(DrbdNotificationKind.Change, "r0", 1,
            new IPEndPoint(IPAddress.Parse("10.0.0.1"), 7000), new IPEndPoint(IPAddress.Parse("10.0.0.2"), 7000), true), Assert.Single(message.Notifications));
    }

    [Fact]
    public void A_helper_response_carries_the_helper_name_volume_peer_and_status()
    {
        var message = Decode("""
            78000000 1c00 0000 09000000 00000000
            28 02 0000 e8030000 65000000           # DRBD_HELPER, minor 1000
            28000280 07000200 72300000 08000600 01000000 09000500 62657461 00000000 08000100 00000000
            0c001780 08000100 05000000             # RESPONSE
            28001880 19000100 6265666f 72652d72 6573796e 632d7461 72676574 00000000   # "before-resync-target"
            08000200 00010000                      # helper_status 256
            """);

        Assert.Equal(new DrbdHelperNotification(DrbdNotificationKind.Response, "r0", "before-resync-target", 0, 1, 256), Assert.Single(message.Notifications));
    }

    [Fact]
    public void Initial_state_done_is_an_exists_marker_without_notifications()
    {
        var message = Decode("28000000 1c00 0000 03000000 00000000 29 02 0000 ffffffff 65000000 0c001780 08000100 00000000");

        Assert.True(message.IsInitialStateDone);
        Assert.True(message.IsExists);
        Assert.Empty(message.Notifications);
    }

    [Fact]
    public void Destroy_and_rename_carry_no_info()
    {
        var destroy = Decode($"34000000 1c00 0000 0a000000 00000000 22 02 0000 ffffffff 65000000 0c000280 07000200 72300000 0c001780 08000100 03000000");
        var rename = Decode($"""
            40000000 1c00 0000 0b000000 00000000 22 02 0000 ffffffff 65000000
            0c000280 07000200 72300000 0c001780 08000100 06000000
            0c002080 07000100 72310000             # RENAME_RESOURCE_INFO res_new_name "r1"
            """);

        Assert.Equal(new DrbdResourceNotification(DrbdNotificationKind.Destroy, "r0", null), Assert.Single(destroy.Notifications));
        var renamed = Assert.IsType<DrbdResourceNotification>(Assert.Single(rename.Notifications));
        Assert.Equal(DrbdNotificationKind.Rename, renamed.Kind);
        Assert.Equal("r1", renamed.NewName);
    }

    [Fact]
    public void A_message_of_an_unknown_command_counts_for_the_sequence_but_yields_nothing()
    {
        var message = Decode("34000000 1c00 0000 0c000000 00000000 63 02 0000 ffffffff 65000000 0c000280 07000200 72300000 0c001780 08000100 02800000");

        Assert.Empty(message.Notifications);
        Assert.True(message.CountsForSequence);
        Assert.True(message.Continues);
    }
}
