using System.Net;
using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Netlink;
using static Fabric.Node.Tests.Drbd.Netlink.KernelVectors;

namespace Fabric.Node.Tests.Drbd.Netlink;

/// <summary>
/// The DRBD 8.4 (API 1) mapping over a scripted in-tree driver: peers and paths kept in memory
/// and sent with 8.4's connect, per-minor roles, connections named by their address pair. Only
/// the lab's Debian guests prove it against the real 8.4.11 driver.
/// </summary>
public sealed class NetlinkDrbdKernelV1Tests
{
    private const string MyAddr = "14000300 0200 1b58 0a000001 00000000 00000000";
    private const string PeerAddr = "14000400 0200 1b58 0a000002 00000000 00000000";

    private static readonly IPEndPoint Local = new(IPAddress.Parse("10.0.0.1"), 7000);
    private static readonly IPEndPoint Remote = new(IPAddress.Parse("10.0.0.2"), 7000);
    private static readonly DrbdNetOptions Net = new("beta", 'C', "s3cr3t", "sha1");

    private readonly ScriptedNetlinkTransport _command = new();
    private string _state = "";

    public NetlinkDrbdKernelV1Tests() => _command.Responder = request =>
    {
        var (type, command, _, name) = Describe(request);
        if (type == NetlinkControl.FamilyId)
        {
            return name == "drbd" ? [Datagram(DrbdFamilyReply(1, 8, 5, 7, 10, 14, 38), Ack())] : [Datagram(NlctrlFamilyReply(), Ack())];
        }
        return command == DrbdCommands.GetInitialState
            ? [Datagram(_state, Notification(DrbdCommands.InitialStateDone, 0xFFFFFFFF, 0, "", "", 1, 2), Done())]
            : [Datagram(DrbdReply(command, 0xFFFFFFFF, 101, 1), Ack())];
    };

    private async Task<NetlinkDrbdKernel> OpenAsync() =>
        await NetlinkDrbdKernel.OpenAsync(new ScriptedTransportFactory(_command), DrbdNetlinkOptions.Default, () => "8.4.11", (_, _) => Task.CompletedTask, CancellationToken.None);

    private List<byte[]> DrbdRequests(byte? command = null) =>
        [.. _command.Sent.Where(r => Describe(r).Type == DrbdFamily && (command is null || Describe(r).Command == command))];

    /// <summary>The 8.4 driver's dump: resource r0 with minors 1000 (volume 0) and 1001 (volume 1), and its connection.</summary>
    private void StateWithTwoMinors(bool connected)
    {
        var connectionContext = connected ? $"{Str(2, "r0")} {MyAddr} {PeerAddr}" : Str(2, "r0");
        _state = string.Join("\n",
            Notification(DrbdCommands.ResourceState, 0xFFFFFFFF, 0x8000, Str(2, "r0"), Nest(15, "08000100 02000000"), 1, 2),
            Notification(DrbdCommands.ConnectionState, 0xFFFFFFFF, 0x8000, connectionContext, Nest(17, $"08000100 {(connected ? "0a" : "00")}000000 08000200 02000000"), 1, 2),
            Notification(DrbdCommands.DeviceState, 1001, 0x8000, $"08000100 01000000 {Str(2, "r0")}", Nest(16, "08000100 08000000"), 1, 2),
            Notification(DrbdCommands.DeviceState, 1000, 0x8000, $"08000100 00000000 {Str(2, "r0")}", Nest(16, "08000100 08000000"), 1, 2));
    }

    [Fact]
    public async Task Version_1_of_the_family_opens_the_84_mapping()
    {
        await using var kernel = await OpenAsync();

        Assert.IsType<NetlinkDrbdKernelV1>(kernel);
        Assert.Equal(DrbdApiVersion.V1, kernel.Info.Api);
        Assert.False(kernel.Info.IsDrbd9);
        Assert.Equal("8.4.11", kernel.Info.Version);
    }

    [Fact]
    public async Task New_resource_and_minor_go_out_in_84_form()
    {
        await using var kernel = await OpenAsync();

        await kernel.NewResourceAsync("r0", 0, DrbdResourceOptions.None, CancellationToken.None);
        await kernel.NewMinorAsync("r0", 1000, 0, false, CancellationToken.None);

        Hex.Equal("28000000 1c00 0500 03000000 00000000 07 01 0000 ffffffff 00000000 0c000280 07000200 72300000", DrbdRequests()[0]);
        Hex.Equal("30000000 1c00 0500 04000000 00000000 05 01 0000 e8030000 00000000 14000280 07000200 72300000 08000100 00000000", DrbdRequests()[1]);
    }

    [Fact]
    public async Task Peer_and_path_stay_in_memory_and_go_out_with_the_84_connect()
    {
        await using var kernel = await OpenAsync();

        await kernel.NewPeerAsync("r0", 1, Net, CancellationToken.None);
        await kernel.NewPathAsync("r0", 1, Local, Remote, CancellationToken.None);
        Assert.Empty(DrbdRequests());
        await kernel.ConnectAsync("r0", 1, false, CancellationToken.None);

        Hex.Equal($"""
            74000000 1c00 0500 03000000 00000000
            0a 01 0000 ffffffff 00000000
            34000280 07000200 72300000 {MyAddr} {PeerAddr}
            24000580 0b000100 73336372 33740000 09000200 73686131 00000000 08000600 03000000
            """, Assert.Single(DrbdRequests()));
    }

    [Fact]
    public async Task Events_name_the_84_connection_by_the_peer_the_agent_created()
    {
        await using var kernel = await OpenAsync();
        await kernel.NewPeerAsync("r0", 1, Net, CancellationToken.None);
        await kernel.NewPathAsync("r0", 1, Local, Remote, CancellationToken.None);
        StateWithTwoMinors(connected: true);

        var state = await kernel.DumpStateAsync(CancellationToken.None);

        Assert.Contains(new DrbdConnectionNotification(DrbdNotificationKind.Exists, "r0", 1, "beta", new DrbdConnectionInfo(DrbdConnectionState.Connected, DrbdRole.Secondary)), state.Notifications);
        Assert.Contains(new DrbdPathNotification(DrbdNotificationKind.Exists, "r0", 1, Local, Remote, true), state.Notifications);
    }

    [Fact]
    public async Task Connect_without_peer_or_path_is_refused_before_anything_is_sent()
    {
        await using var kernel = await OpenAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => kernel.ConnectAsync("r0", 1, false, CancellationToken.None));
        await kernel.NewPeerAsync("r0", 1, Net, CancellationToken.None);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => kernel.ConnectAsync("r0", 1, false, CancellationToken.None));

        Assert.Contains("NewPathAsync", e.Message);
        Assert.Empty(DrbdRequests());
    }

    [Fact]
    public async Task A_second_peer_or_a_second_path_is_refused()
    {
        await using var kernel = await OpenAsync();
        await kernel.NewPeerAsync("r0", 1, Net, CancellationToken.None);
        await kernel.NewPathAsync("r0", 1, Local, Remote, CancellationToken.None);

        await Assert.ThrowsAsync<DrbdFeatureUnavailableException>(() => kernel.NewPeerAsync("r0", 2, Net, CancellationToken.None));
        await Assert.ThrowsAsync<DrbdFeatureUnavailableException>(() => kernel.NewPathAsync("r0", 1, Local, new IPEndPoint(IPAddress.Parse("10.0.0.3"), 7000), CancellationToken.None));
        await kernel.NewPathAsync("r0", 1, Local, Remote, CancellationToken.None); // the same path again is fine
        await kernel.NewPeerAsync("r0", 1, Net with { Protocol = 'A' }, CancellationToken.None); // the same peer again updates its options
    }

    [Fact]
    public async Task Primary_and_secondary_go_to_every_minor_of_the_resource_in_volume_order()
    {
        StateWithTwoMinors(connected: false);
        await using var kernel = await OpenAsync();

        await kernel.PrimaryAsync("r0", force: true, CancellationToken.None);
        await kernel.SecondaryAsync("r0", force: false, CancellationToken.None);

        var primaries = DrbdRequests(DrbdCommands.Primary);
        Assert.Equal(2, primaries.Count);
        Hex.Equal("28000000 1c00 0500 04000000 00000000 0e 01 0000 e8030000 00000000 0c000680 05000100 01000000", primaries[0]);
        Hex.Equal("28000000 1c00 0500 05000000 00000000 0e 01 0000 e9030000 00000000 0c000680 05000100 01000000", primaries[1]);
        Assert.Equal([1000u, 1001u], DrbdRequests(DrbdCommands.Secondary).Select(r => BitConverter.ToUInt32(r, 20)));
    }

    [Fact]
    public async Task Primary_of_a_resource_the_driver_does_not_have_is_an_error()
    {
        await using var kernel = await OpenAsync();

        var e = await Assert.ThrowsAsync<DrbdKernelException>(() => kernel.PrimaryAsync("r9", false, CancellationToken.None));

        Assert.Equal(158, e.RetCode);
        Assert.Equal("primary", e.Operation);
    }

    [Fact]
    public async Task Disconnect_and_net_options_address_the_live_connection_by_its_addresses()
    {
        StateWithTwoMinors(connected: true);
        await using var kernel = await OpenAsync();
        await kernel.NewPeerAsync("r0", 1, Net, CancellationToken.None);

        await kernel.ChangeNetOptionsAsync("r0", 1, Net with { Protocol = 'B' }, CancellationToken.None);
        await kernel.DisconnectAsync("r0", 1, force: false, CancellationToken.None);

        Hex.Equal($"""
            6c000000 1c00 0500 04000000 00000000   # 28 + ctx 44 + net_conf 36
            1d 01 0000 ffffffff 00000000
            2c000280 {MyAddr} {PeerAddr}
            24000580 0b000100 73336372 33740000 09000200 73686131 00000000 08000600 02000000
            """, Assert.Single(DrbdRequests(DrbdCommands.ChangeNetOpts)));
        Hex.Equal($"48000000 1c00 0500 06000000 00000000 0b 01 0000 ffffffff 00000000 2c000280 {MyAddr} {PeerAddr}", Assert.Single(DrbdRequests(DrbdCommands.Disconnect)));
    }

    [Fact]
    public async Task Net_options_before_connect_only_change_what_connect_will_send()
    {
        StateWithTwoMinors(connected: false);
        await using var kernel = await OpenAsync();
        await kernel.NewPeerAsync("r0", 1, Net, CancellationToken.None);
        await kernel.NewPathAsync("r0", 1, Local, Remote, CancellationToken.None);

        await kernel.ChangeNetOptionsAsync("r0", 1, Net with { SharedSecret = null, CramHmacAlg = null, Protocol = 'A' }, CancellationToken.None);
        await kernel.ConnectAsync("r0", 1, discardMyData: true, CancellationToken.None);

        Assert.Empty(DrbdRequests(DrbdCommands.ChangeNetOpts));
        Hex.Equal($"""
            64000000 1c00 0500 04000000 00000000
            0a 01 0000 ffffffff 00000000
            34000280 07000200 72300000 {MyAddr} {PeerAddr}
            14000580 08000600 01000000 05001900 01000000   # protocol A, discard_my_data
            """, Assert.Single(DrbdRequests(DrbdCommands.Connect)));
    }

    [Fact]
    public async Task Deleting_the_path_of_a_live_connection_disconnects_it()
    {
        StateWithTwoMinors(connected: true);
        await using var kernel = await OpenAsync();
        await kernel.NewPeerAsync("r0", 1, Net, CancellationToken.None);
        await kernel.NewPathAsync("r0", 1, Local, Remote, CancellationToken.None);

        await kernel.DeletePathAsync("r0", 1, Local, Remote, CancellationToken.None);

        Assert.Single(DrbdRequests(DrbdCommands.Disconnect));
        await Assert.ThrowsAsync<InvalidOperationException>(() => kernel.ConnectAsync("r0", 1, false, CancellationToken.None));
    }

    [Fact]
    public async Task Peer_device_resync_options_become_disk_options_of_the_volumes_minor()
    {
        StateWithTwoMinors(connected: true);
        await using var kernel = await OpenAsync();

        await kernel.ChangePeerDeviceOptionsAsync("r0", 1, 1, new DrbdPeerDeviceOptions(ResyncRateKiB: 40960), CancellationToken.None);

        Hex.Equal("28000000 1c00 0500 04000000 00000000 1c 01 0000 e9030000 00000000 0c000380 08000800 00a00000", Assert.Single(DrbdRequests(DrbdCommands.ChangeDiskOpts)));
    }

    [Fact]
    public async Task Forget_peer_and_diskless_requests_are_refused_on_84()
    {
        await using var kernel = await OpenAsync();

        await Assert.ThrowsAsync<DrbdFeatureUnavailableException>(() => kernel.ForgetPeerAsync("r0", 1, CancellationToken.None));
        await Assert.ThrowsAsync<DrbdFeatureUnavailableException>(() => kernel.NewMinorAsync("r0", 1000, 0, true, CancellationToken.None));
        await Assert.ThrowsAsync<DrbdFeatureUnavailableException>(() => kernel.NewResourceAsync("r0", 0, new DrbdResourceOptions(Quorum: DrbdQuorum.Majority), CancellationToken.None));
        Assert.Empty(DrbdRequests());
    }

    [Fact]
    public async Task Down_forgets_the_remembered_peer()
    {
        await using var kernel = await OpenAsync();
        await kernel.NewPeerAsync("r0", 1, Net, CancellationToken.None);

        await kernel.DownAsync("r0", CancellationToken.None);

        await kernel.NewPeerAsync("r0", 2, Net, CancellationToken.None); // a different peer is accepted once the old one is gone
        Hex.Equal("28000000 1c00 0500 03000000 00000000 1b 01 0000 ffffffff 00000000 0c000280 07000200 72300000", Assert.Single(DrbdRequests()));
    }
}
