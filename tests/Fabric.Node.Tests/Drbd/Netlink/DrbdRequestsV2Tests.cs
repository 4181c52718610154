using System.Net;
using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Netlink;

namespace Fabric.Node.Tests.Drbd.Netlink;

/// <summary>
/// Every DRBD 9 (API 2) request against bytes written by hand from linux/drbd_genl.h: nlmsghdr
/// (family 0x1c, NLM_F_REQUEST|NLM_F_ACK), genlmsghdr (cmd, version 2), drbd_genlmsghdr (minor,
/// flags), then the TLAs with NLA_F_NESTED.
/// </summary>
public sealed class DrbdRequestsV2Tests
{
    private const string CtxR0 = "0c000280 07000200 72300000";
    private const string CtxR0Peer1 = "14000280 07000200 72300000 08000600 01000000";
    private const string Dev = "2f646576 2f766730 2f72305f 30303030 30000000"; // "/dev/vg0/r0_00000\0" + 2 pad

    private static readonly IPEndPoint Local = new(IPAddress.Parse("10.0.0.1"), 7000);
    private static readonly IPEndPoint Remote = new(IPAddress.Parse("10.0.0.2"), 7000);

    private static byte[] Framed(DrbdRequest request) => request.Frame(0x1c, 2);

    [Fact]
    public void New_resource_carries_the_node_id_and_quorum_options()
    {
        var options = new DrbdResourceOptions(DrbdQuorum.Majority, DrbdOnNoQuorum.SuspendIo, DrbdOnNoQuorum.SuspendIo, AutoPromote: true);

        Hex.Equal($"""
            54000000 1c00 0500 00000000 00000000
            07 02 0000 ffffffff 00000000
            {CtxR0}
            2c000480 08000200 01000000   # RESOURCE_OPTS: on_no_data = suspend-io
            05000300 01000000            # auto_promote = 1
            08000400 00000000            # node_id = 0
            08000b00 00040000            # quorum = 1024 (majority)
            08000c00 01000000            # on_no_quorum = suspend-io
            """, Framed(DrbdRequestsV2.NewResource("r0", 0, options)));
    }

    [Fact]
    public void Resource_options_never_send_the_invariant_node_id()
    {
        var options = new DrbdResourceOptions(Quorum: new DrbdQuorum(2), QuorumMinimumRedundancy: DrbdQuorum.All);

        Hex.Equal($"""
            3c000000 1c00 0500 00000000 00000000
            09 02 0000 ffffffff 00000000
            {CtxR0}
            14000480 08000b00 02000000 08000d00 01040000   # quorum 2, quorum_min_redundancy 1025 (all)
            """, Framed(DrbdRequestsV2.ResourceOptions("r0", options)));
    }

    [Fact]
    public void New_minor_addresses_the_minor_and_names_resource_and_volume()
    {
        Hex.Equal("""
            30000000 1c00 0500 00000000 00000000
            05 02 0000 e8030000 00000000                   # minor 1000
            14000280 07000200 72300000 08000100 00000000   # ctx: r0, volume 0
            """, Framed(DrbdRequestsV2.NewMinor("r0", 1000, 0, false)));
        Hex.Equal("""
            3c000000 1c00 0500 00000000 00000000
            05 02 0000 e8030000 00000000
            14000280 07000200 72300000 08000100 00000000
            0c000e80 05000200 01000000                     # DEVICE_CONF: intentional_diskless
            """, Framed(DrbdRequestsV2.NewMinor("r0", 1000, 0, true)));
    }

    [Fact]
    public void Delete_minor_and_resource_and_down()
    {
        Hex.Equal("1c000000 1c00 0500 00000000 00000000 06 02 0000 e8030000 00000000", Framed(DrbdRequestsV2.DeleteMinor(1000)));
        Hex.Equal($"28000000 1c00 0500 00000000 00000000 08 02 0000 ffffffff 00000000 {CtxR0}", Framed(DrbdRequestsV2.DeleteResource("r0")));
        Hex.Equal($"28000000 1c00 0500 00000000 00000000 1b 02 0000 ffffffff 00000000 {CtxR0}", Framed(DrbdRequestsV2.Down("r0")));
    }

    [Fact]
    public void Attach_with_internal_meta_data_sends_the_backing_device_twice_and_index_minus_3()
    {
        var disk = new DrbdDiskConfig("/dev/vg0/r0_00000", null, new DrbdDiskOptions(DiskFlushes: false, MdFlushes: false, AlExtents: 6433));

        Hex.Equal($"""
            70000000 1c00 0500 00000000 00000000
            0c 02 0000 e8030000 00000000
            54000380
            16000100 {Dev}               # backing_dev
            16000200 {Dev}               # meta_dev
            08000300 fdffffff            # meta_dev_idx = -3 (flexible internal)
            08000a00 21190000            # al_extents 6433
            05001100 00000000            # disk_flushes no
            05001300 00000000            # md_flushes no
            """, Framed(DrbdRequestsV2.Attach(1000, disk)));
    }

    [Fact]
    public void Attach_with_external_meta_data_uses_the_flexible_external_index()
    {
        Hex.Equal("""
            48000000 1c00 0500 00000000 00000000
            0c 02 0000 e8030000 00000000
            2c000380
            0d000100 2f646576 2f736461 00000000   # "/dev/sda"
            0d000200 2f646576 2f736462 00000000   # "/dev/sdb"
            08000300 feffffff                     # -2
            """, Framed(DrbdRequestsV2.Attach(1000, new DrbdDiskConfig("/dev/sda", "/dev/sdb", DrbdDiskOptions.None))));
    }

    [Fact]
    public void Disk_options_keep_resync_settings_out_of_disk_conf_on_drbd_9()
    {
        Hex.Equal("""
            28000000 1c00 0500 00000000 00000000
            1c 02 0000 e8030000 00000000
            0c000380 05001100 01000000   # only disk_flushes; resync_rate/c_plan_ahead are peer-device options in DRBD 9
            """, Framed(DrbdRequestsV2.DiskOptions(1000, new DrbdDiskOptions(DiskFlushes: true, ResyncRateKiB: 4096, CPlanAhead: 10))));
    }

    [Fact]
    public void Detach_sends_its_flags_only_when_set()
    {
        Hex.Equal("1c000000 1c00 0500 00000000 00000000 12 02 0000 e8030000 00000000", Framed(DrbdRequestsV2.Detach(1000, false, false)));
        Hex.Equal("""
            30000000 1c00 0500 00000000 00000000
            12 02 0000 e8030000 00000000
            14000d80 05000100 01000000 05000200 01000000   # force_detach, intentional_diskless_detach
            """, Framed(DrbdRequestsV2.Detach(1000, true, true)));
    }

    [Fact]
    public void New_peer_carries_the_net_options_and_the_connection_name()
    {
        var options = new DrbdNetOptions("beta", 'C', "s3cr3t", "sha1");

        Hex.Equal($"""
            60000000 1c00 0500 00000000 00000000
            2c 02 0000 ffffffff 00000000
            {CtxR0Peer1}
            30000580
            0b000100 73336372 33740000   # shared_secret "s3cr3t"
            09000200 73686131 00000000   # cram_hmac_alg "sha1"
            08000600 03000000            # wire_protocol C
            09001f00 62657461 00000000   # name "beta"
            """, Framed(DrbdRequestsV2.NewPeer("r0", 1, options)));
    }

    [Fact]
    public void Net_options_change_protocol_verify_alg_and_two_primaries()
    {
        var options = new DrbdNetOptions("beta", 'A', AllowTwoPrimaries: false, VerifyAlg: "crc32c");

        Hex.Equal($"""
            5c000000 1c00 0500 00000000 00000000
            1d 02 0000 ffffffff 00000000
            {CtxR0Peer1}
            2c000580
            0b000400 63726333 32630000   # verify_alg "crc32c"
            08000600 01000000            # wire_protocol A
            05001800 00000000            # two_primaries no
            09001f00 62657461 00000000   # name
            """, Framed(DrbdRequestsV2.NetOptions("r0", 1, options)));
    }

    [Fact]
    public void Delete_peer_connect_and_disconnect()
    {
        Hex.Equal($"3c000000 1c00 0500 00000000 00000000 2e 02 0000 ffffffff 00000000 {CtxR0Peer1} 0c000c80 05000100 01000000",
            Framed(DrbdRequestsV2.DeletePeer("r0", 1, true)));
        Hex.Equal($"30000000 1c00 0500 00000000 00000000 2e 02 0000 ffffffff 00000000 {CtxR0Peer1}", Framed(DrbdRequestsV2.DeletePeer("r0", 1, false)));
        Hex.Equal($"30000000 1c00 0500 00000000 00000000 0a 02 0000 ffffffff 00000000 {CtxR0Peer1}", Framed(DrbdRequestsV2.Connect("r0", 1, false)));
        Hex.Equal($"3c000000 1c00 0500 00000000 00000000 0a 02 0000 ffffffff 00000000 {CtxR0Peer1} 0c001d80 05000200 01000000",
            Framed(DrbdRequestsV2.Connect("r0", 1, true)));
        Hex.Equal($"30000000 1c00 0500 00000000 00000000 0b 02 0000 ffffffff 00000000 {CtxR0Peer1}", Framed(DrbdRequestsV2.Disconnect("r0", 1, false)));
        Hex.Equal($"3c000000 1c00 0500 00000000 00000000 0b 02 0000 ffffffff 00000000 {CtxR0Peer1} 0c000c80 05000100 01000000",
            Framed(DrbdRequestsV2.Disconnect("r0", 1, true)));
    }

    [Fact]
    public void New_and_delete_path_carry_both_sockaddrs_in_path_parms()
    {
        const string PathParms = """
            2c001c80
            14000100 0200 1b58 0a000001 00000000 00000000   # my_addr 10.0.0.1:7000
            14000200 0200 1b58 0a000002 00000000 00000000   # peer_addr 10.0.0.2:7000
            """;

        Hex.Equal($"5c000000 1c00 0500 00000000 00000000 2d 02 0000 ffffffff 00000000 {CtxR0Peer1} {PathParms}", Framed(DrbdRequestsV2.NewPath("r0", 1, Local, Remote)));
        Hex.Equal($"5c000000 1c00 0500 00000000 00000000 2f 02 0000 ffffffff 00000000 {CtxR0Peer1} {PathParms}", Framed(DrbdRequestsV2.DeletePath("r0", 1, Local, Remote)));
    }

    [Fact]
    public void A_path_over_ipv6_carries_28_byte_sockaddr_in6()
    {
        var local = new IPEndPoint(IPAddress.Parse("fe80::1"), 7000);
        var remote = new IPEndPoint(IPAddress.Parse("fe80::2"), 7001);

        Hex.Equal($"""
            74000000 1c00 0500 00000000 00000000   # 28 + ctx 20 + path parms 68
            2d 02 0000 ffffffff 00000000
            {CtxR0Peer1}
            44001c80
            20000100 0a00 1b58 00000000 fe800000 00000000 00000000 00000001 00000000
            20000200 0a00 1b59 00000000 fe800000 00000000 00000000 00000002 00000000
            """, Framed(DrbdRequestsV2.NewPath("r0", 1, local, remote)));
    }

    [Fact]
    public void Peer_device_options_address_resource_peer_and_volume()
    {
        Hex.Equal("""
            44000000 1c00 0500 00000000 00000000
            2b 02 0000 ffffffff 00000000
            1c000280 07000200 72300000 08000600 02000000 08000100 00000000   # r0, peer 2, volume 0
            0c001b80 05000700 00000000                                     # bitmap no
            """, Framed(DrbdRequestsV2.PeerDeviceOptions("r0", 2, 0, new DrbdPeerDeviceOptions(Bitmap: false))));
        Hex.Equal("""
            54000000 1c00 0500 00000000 00000000
            2b 02 0000 ffffffff 00000000
            1c000280 07000200 72300000 08000600 02000000 08000100 00000000
            1c001b80 08000100 00900100 08000200 14000000 05000700 01000000   # resync_rate 102400, c_plan_ahead 20, bitmap yes
            """, Framed(DrbdRequestsV2.PeerDeviceOptions("r0", 2, 0, new DrbdPeerDeviceOptions(true, 102400, 20))));
    }

    [Fact]
    public void Primary_and_secondary_address_the_resource_with_force_only_when_asked()
    {
        Hex.Equal($"28000000 1c00 0500 00000000 00000000 0e 02 0000 ffffffff 00000000 {CtxR0}", Framed(DrbdRequestsV2.Primary("r0", false)));
        Hex.Equal($"34000000 1c00 0500 00000000 00000000 0e 02 0000 ffffffff 00000000 {CtxR0} 0c000680 05000100 01000000", Framed(DrbdRequestsV2.Primary("r0", true)));
        Hex.Equal($"34000000 1c00 0500 00000000 00000000 0f 02 0000 ffffffff 00000000 {CtxR0} 0c000680 05000100 01000000", Framed(DrbdRequestsV2.Secondary("r0", true)));
    }

    [Fact]
    public void Resize_sends_the_size_in_sectors()
    {
        Hex.Equal("""
            34000000 1c00 0500 00000000 00000000
            0d 02 0000 e8030000 00000000
            18000780 0c000100 00002000 00000000   # resize_size 2097152 sectors = 1 GiB
            05000300 01000000                     # no_resync (assume clean)
            """, Framed(DrbdRequestsV2.Resize(1000, 1024 * 1024, true)));
        Hex.Equal("1c000000 1c00 0500 00000000 00000000 0d 02 0000 e8030000 00000000", Framed(DrbdRequestsV2.Resize(1000, null, false)));
    }

    [Fact]
    public void New_current_uuid_resume_io_and_forget_peer()
    {
        Hex.Equal("28000000 1c00 0500 00000000 00000000 10 02 0000 e8030000 00000000 0c000a80 05000100 01000000", Framed(DrbdRequestsV2.NewCurrentUuid(1000, true)));
        Hex.Equal("1c000000 1c00 0500 00000000 00000000 18 02 0000 e8030000 00000000", Framed(DrbdRequestsV2.ResumeIo(1000)));
        Hex.Equal($"34000000 1c00 0500 00000000 00000000 2a 02 0000 ffffffff 00000000 {CtxR0} 0c001a80 08000100 02000000", Framed(DrbdRequestsV2.ForgetPeer("r0", 2)));
    }

    [Fact]
    public void The_initial_state_request_is_a_dump()
    {
        Hex.Equal("1c000000 1c00 0103 00000000 00000000 26 02 0000 ffffffff 00000000", Framed(DrbdRequestsV2.GetInitialState()));
    }

    [Fact]
    public void Values_out_of_drbd_ranges_are_refused_before_sending()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DrbdRequestsV2.NewPeer("r0", 32, new DrbdNetOptions("x")));
        Assert.Throws<ArgumentOutOfRangeException>(() => DrbdRequestsV2.NewMinor("r0", -1, 0, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => DrbdRequestsV2.NewPeer("r0", 1, new DrbdNetOptions("x", 'D')));
        Assert.Throws<ArgumentException>(() => DrbdRequestsV2.DeleteResource(new string('r', 128)));
        Assert.Throws<ArgumentException>(() => DrbdRequestsV2.NewPeer("r0", 1, new DrbdNetOptions("beta", SharedSecret: new string('s', 64))));
    }
}
