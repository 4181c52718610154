using System.Net;
using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Netlink;

namespace Fabric.Node.Tests.Drbd.Netlink;

/// <summary>
/// Every DRBD 8.4 (API 1) request against bytes written by hand from drbd-utils'
/// user/v84/linux/drbd_genl.h and drbdsetup-84's contexts: version 1 in genlmsghdr, per-minor
/// commands without a context, connections keyed by the address pair, 8.4's field ids.
/// </summary>
public sealed class DrbdRequestsV1Tests
{
    private const string CtxR0 = "0c000280 07000200 72300000";
    private const string MyAddr = "14000300 0200 1b58 0a000001 00000000 00000000";   // ctx_my_addr 10.0.0.1:7000
    private const string PeerAddr = "14000400 0200 1b58 0a000002 00000000 00000000"; // ctx_peer_addr 10.0.0.2:7000
    private const string Dev = "2f646576 2f766730 2f72305f 30303030 30000000";

    private static readonly IPEndPoint Local = new(IPAddress.Parse("10.0.0.1"), 7000);
    private static readonly IPEndPoint Remote = new(IPAddress.Parse("10.0.0.2"), 7000);

    private static byte[] Framed(DrbdRequest request) => request.Frame(0x1c, 1);

    [Fact]
    public void New_resource_has_no_node_id_and_only_8_4_options()
    {
        Hex.Equal($"34000000 1c00 0500 00000000 00000000 07 01 0000 ffffffff 00000000 {CtxR0} 0c000480 08000200 01000000",
            Framed(DrbdRequestsV1.NewResource("r0", new DrbdResourceOptions(OnNoDataAccessible: DrbdOnNoQuorum.SuspendIo, AutoPromote: false))));
        Hex.Equal($"28000000 1c00 0500 00000000 00000000 07 01 0000 ffffffff 00000000 {CtxR0}", Framed(DrbdRequestsV1.NewResource("r0", DrbdResourceOptions.None)));
        Hex.Equal($"34000000 1c00 0500 00000000 00000000 09 01 0000 ffffffff 00000000 {CtxR0} 0c000480 08000200 00000000",
            Framed(DrbdRequestsV1.ResourceOptions("r0", new DrbdResourceOptions(OnNoDataAccessible: DrbdOnNoQuorum.IoError))));
    }

    [Fact]
    public void Quorum_auto_promote_and_diskless_clients_are_refused_on_8_4()
    {
        var quorum = Assert.Throws<DrbdFeatureUnavailableException>(() => DrbdRequestsV1.NewResource("r0", new DrbdResourceOptions(Quorum: DrbdQuorum.Majority)));
        Assert.Contains("quorum", quorum.Message);
        Assert.Contains("DRBD 8.4", quorum.Message);
        Assert.Throws<DrbdFeatureUnavailableException>(() => DrbdRequestsV1.ResourceOptions("r0", new DrbdResourceOptions(AutoPromote: true)));
        Assert.Throws<DrbdFeatureUnavailableException>(() => DrbdRequestsV1.NewMinor("r0", 1000, 0, true));
        Assert.Throws<DrbdFeatureUnavailableException>(() => DrbdRequestsV1.Detach(1000, false, true));
        Assert.Throws<DrbdFeatureUnavailableException>(() => DrbdRequestsV1.ResyncOptions(1000, new DrbdPeerDeviceOptions(Bitmap: false)));
        Assert.NotNull(DrbdRequestsV1.NewResource("r0", new DrbdResourceOptions(Quorum: DrbdQuorum.Off)));
    }

    [Fact]
    public void New_minor_names_resource_and_volume()
    {
        Hex.Equal("30000000 1c00 0500 00000000 00000000 05 01 0000 e8030000 00000000 14000280 07000200 72300000 08000100 00000000",
            Framed(DrbdRequestsV1.NewMinor("r0", 1000, 0, false)));
    }

    [Fact]
    public void Attach_uses_8_4_disk_conf_ids_including_the_resync_controller()
    {
        var disk = new DrbdDiskConfig("/dev/vg0/r0_00000", null, new DrbdDiskOptions(false, false, 6433, 40960, 20));

        Hex.Equal($"""
            80000000 1c00 0500 00000000 00000000
            0c 01 0000 e8030000 00000000
            64000380
            16000100 {Dev}
            16000200 {Dev}
            08000300 fdffffff            # meta_dev_idx -3
            08000800 00a00000            # resync_rate 40960 (8.4: disk_conf id 8)
            08000a00 21190000            # al_extents 6433
            08000b00 14000000            # c_plan_ahead 20 (8.4: disk_conf id 11)
            05001100 00000000            # disk_flushes no
            05001300 00000000            # md_flushes no
            """, Framed(DrbdRequestsV1.Attach(1000, disk)));
    }

    [Fact]
    public void Disk_options_detach_and_resync_options_address_the_minor_only()
    {
        Hex.Equal("28000000 1c00 0500 00000000 00000000 1c 01 0000 e8030000 00000000 0c000380 08000a00 00040000",
            Framed(DrbdRequestsV1.DiskOptions(1000, new DrbdDiskOptions(AlExtents: 1024))));
        Hex.Equal("28000000 1c00 0500 00000000 00000000 12 01 0000 e8030000 00000000 0c000d80 05000100 01000000",
            Framed(DrbdRequestsV1.Detach(1000, true, false)));
        Hex.Equal("28000000 1c00 0500 00000000 00000000 1c 01 0000 e8030000 00000000 0c000380 08000800 00a00000",
            Framed(DrbdRequestsV1.ResyncOptions(1000, new DrbdPeerDeviceOptions(Bitmap: true, ResyncRateKiB: 40960))));
    }

    [Fact]
    public void Connect_creates_the_connection_from_resource_addresses_and_net_conf()
    {
        var options = new DrbdNetOptions("beta", 'C', "s3cr3t", "sha1");

        Hex.Equal($"""
            7c000000 1c00 0500 00000000 00000000
            0a 01 0000 ffffffff 00000000
            34000280 07000200 72300000 {MyAddr} {PeerAddr}
            2c000580
            0b000100 73336372 33740000   # shared_secret
            09000200 73686131 00000000   # cram_hmac_alg
            08000600 03000000            # wire_protocol C
            05001900 01000000            # discard_my_data (8.4: net_conf id 25)
            """, Framed(DrbdRequestsV1.Connect("r0", Local, Remote, options, discardMyData: true)));
    }

    [Fact]
    public void Connection_timing_options_go_into_net_conf_in_id_order()
    {
        var timeouts = new DrbdNetTimeouts(TimeoutDs: 200, ConnectIntS: 30, PingIntS: 30, PingTimeoutDs: 300, KoCount: 0);
        Hex.Equal($"""
            7c000000 1c00 0500 00000000 00000000
            1d 01 0000 ffffffff 00000000
            2c000280 {MyAddr} {PeerAddr}
            34000580 08000600 03000000     # wire_protocol C
                     08000700 1e000000     # connect_int 30 s
                     08000800 c8000000     # timeout 20.0 s
                     08000900 1e000000     # ping_int 30 s
                     08000a00 2c010000     # ping_timeo 30.0 s
                     08000d00 00000000     # ko_count 0
            """, Framed(DrbdRequestsV1.NetOptions("r0", Local, Remote, new DrbdNetOptions("beta", Timeouts: timeouts))));
    }

    [Fact]
    public void Net_options_and_disconnect_name_the_connection_by_its_addresses_only()
    {
        Hex.Equal($"""
            54000000 1c00 0500 00000000 00000000
            1d 01 0000 ffffffff 00000000
            2c000280 {MyAddr} {PeerAddr}   # no resource name: 8.4 refuses one for connection commands
            0c000580 08000600 03000000     # no connection name: net_conf id 31 does not exist in 8.4
            """, Framed(DrbdRequestsV1.NetOptions("r0", Local, Remote, new DrbdNetOptions("beta"))));
        Hex.Equal($"48000000 1c00 0500 00000000 00000000 0b 01 0000 ffffffff 00000000 2c000280 {MyAddr} {PeerAddr}",
            Framed(DrbdRequestsV1.Disconnect("r0", Local, Remote, false)));
    }

    [Fact]
    public void Primary_and_secondary_are_per_minor_with_assume_uptodate_for_force()
    {
        Hex.Equal("28000000 1c00 0500 00000000 00000000 0e 01 0000 e8030000 00000000 0c000680 05000100 01000000", Framed(DrbdRequestsV1.Primary(1000, true)));
        Hex.Equal("1c000000 1c00 0500 00000000 00000000 0e 01 0000 e9030000 00000000", Framed(DrbdRequestsV1.Primary(1001, false)));
        Hex.Equal("1c000000 1c00 0500 00000000 00000000 0f 01 0000 e8030000 00000000", Framed(DrbdRequestsV1.Secondary(1000)));
    }

    [Fact]
    public void Shared_requests_use_version_1_when_framed_for_8_4()
    {
        Hex.Equal($"28000000 1c00 0500 00000000 00000000 1b 01 0000 ffffffff 00000000 {CtxR0}", Framed(DrbdRequestsCommon.Down("r0")));
        Hex.Equal("1c000000 1c00 0103 00000000 00000000 26 01 0000 ffffffff 00000000", Framed(DrbdRequestsCommon.GetInitialState()));
        Hex.Equal("28000000 1c00 0500 00000000 00000000 10 01 0000 e8030000 00000000 0c000a80 05000100 01000000", Framed(DrbdRequestsCommon.NewCurrentUuid(1000, true)));
    }
}
