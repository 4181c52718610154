using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Netlink;
using static Fabric.Node.Tests.Drbd.Netlink.KernelVectors;

namespace Fabric.Node.Tests.Drbd.Netlink;

/// <summary>
/// <see cref="NetlinkDrbdKernel"/> over a scripted kernel (no DRBD module on this host): family
/// resolution, the bytes of requests, reply and error handling, transient retries, the state
/// dump. Only the lab's qemu guests prove it against a real DRBD driver.
/// </summary>
public sealed class NetlinkDrbdKernelTests
{
    private readonly ScriptedNetlinkTransport _command = new();
    private readonly List<TimeSpan> _delays = [];
    private readonly Dictionary<byte, Queue<string>> _drbdReplies = [];
    private string _drbdFamily = DrbdFamilyReply(2, 8, 5, 7, 27, 38, 44);
    private string? _familyError;

    public NetlinkDrbdKernelTests() => _command.Responder = Respond;

    private IEnumerable<byte[]> Respond(byte[] request)
    {
        var (type, command, _, name) = Describe(request);
        if (type == NetlinkControl.FamilyId)
        {
            return name switch
            {
                "drbd" when _familyError is null => [Datagram(_drbdFamily, Ack())],
                "drbd" => [Datagram(_familyError)],
                "nlctrl" => [Datagram(NlctrlFamilyReply(), Ack())],
                _ => [Datagram(Error(2))],
            };
        }
        if (_drbdReplies.TryGetValue(command, out var replies) && replies.Count > 0)
        {
            return [Datagram(replies.Dequeue())];
        }
        return [Datagram(DrbdReply(command, 0xFFFFFFFF, 101), Ack())];
    }

    private void Reply(byte command, params string[] datagrams)
    {
        _drbdReplies[command] = new Queue<string>(datagrams);
    }

    private Task<NetlinkDrbdKernel> OpenAsync(DrbdNetlinkOptions? options = null) =>
        NetlinkDrbdKernel.OpenAsync(new ScriptedTransportFactory(_command), options ?? DrbdNetlinkOptions.Default, () => "9.2.12",
            (delay, _) => { _delays.Add(delay); return Task.CompletedTask; }, CancellationToken.None);

    [Fact]
    public async Task Open_resolves_the_drbd_family_and_picks_api_2()
    {
        await using var kernel = await OpenAsync();

        Hex.Equal("""
            20000000 1000 0500 01000000 00000000   # nlctrl, REQUEST|ACK, seq 1
            03 01 0000                             # CTRL_CMD_GETFAMILY
            09000200 64726264 00000000             # CTRL_ATTR_FAMILY_NAME "drbd"
            """, _command.Sent[0]);
        Assert.IsType<NetlinkDrbdKernelV2>(kernel);
        Assert.Equal(DrbdApiVersion.V2, kernel.Info.Api);
        Assert.Equal("9.2.12", kernel.Info.Version);
        Assert.Equal([5, 7, 27, 38, 44], kernel.Info.SupportedCommands);
        Assert.True(kernel.Info.IsDrbd9);
        Assert.Equal(DrbdFamily, kernel.Family.Id);
        Assert.Equal(EventsGroup, kernel.Family.MulticastGroups["events"]);
    }

    [Fact]
    public async Task Open_without_the_module_says_the_module_is_not_loaded_and_how_to_load_it()
    {
        _familyError = Error(2);

        var e = await Assert.ThrowsAsync<DrbdKernelException>(() => OpenAsync());

        Assert.Contains("the DRBD kernel module is not loaded", e.Message);
        Assert.Contains("modprobe drbd", e.Message);
        Assert.Equal(2, e.Errno);
        Assert.True(_command.Disposed);
    }

    [Theory]
    [InlineData(3u, 8u, "version 3")]
    [InlineData(2u, 0u, "family header of 0 bytes")]
    public async Task Open_refuses_a_family_it_cannot_speak(uint version, uint headerSize, string problem)
    {
        _drbdFamily = DrbdFamilyReply(version, headerSize, 5);

        var e = await Assert.ThrowsAsync<DrbdKernelException>(() => OpenAsync());

        Assert.Contains(problem, e.Message);
        Assert.Contains("API 1 (DRBD 8.4) and API 2 (DRBD 9)", e.Message);
    }

    [Fact]
    public async Task Requests_go_out_framed_with_the_resolved_family_and_increasing_sequence_numbers()
    {
        await using var kernel = await OpenAsync();

        await kernel.NewResourceAsync("r0", 0, DrbdResourceOptions.None, CancellationToken.None);
        await kernel.ConnectAsync("r0", 1, false, CancellationToken.None);

        // seq 1 and 2 resolved drbd and nlctrl.
        Hex.Equal("""
            34000000 1c00 0500 03000000 00000000
            07 02 0000 ffffffff 00000000
            0c000280 07000200 72300000
            0c000480 08000400 00000000             # node_id 0
            """, _command.Sent[2]);
        Hex.Equal("""
            30000000 1c00 0500 04000000 00000000
            0a 02 0000 ffffffff 00000000
            14000280 07000200 72300000 08000600 01000000
            """, _command.Sent[3]);
    }

    [Fact]
    public async Task A_refusal_names_operation_object_code_and_the_drivers_text()
    {
        Reply(DrbdCommands.Primary, DrbdReply(DrbdCommands.Primary, 0xFFFFFFFF, -25, 2, "1 of 3 nodes visible, need 2 for quorum"));
        await using var kernel = await OpenAsync();

        var e = await Assert.ThrowsAsync<DrbdKernelException>(() => kernel.PrimaryAsync("r0", false, CancellationToken.None));

        Assert.Equal("primary", e.Operation);
        Assert.Equal("resource 'r0'", e.Subject);
        Assert.Equal(-25, e.RetCode);
        Assert.Equal("SS_NO_QUORUM (no quorum)", e.CodeName);
        Assert.Equal("1 of 3 nodes visible, need 2 for quorum", e.InfoText);
        Assert.True(e.IsNoQuorum);
        Assert.Equal("DRBD primary of resource 'r0' failed: SS_NO_QUORUM (no quorum) (1 of 3 nodes visible, need 2 for quorum)", e.Message);
    }

    [Fact]
    public async Task Transient_refusals_are_retried_with_doubling_back_off_until_success()
    {
        Reply(DrbdCommands.Secondary,
            DrbdReply(DrbdCommands.Secondary, 0xFFFFFFFF, -18),
            DrbdReply(DrbdCommands.Secondary, 0xFFFFFFFF, -19),
            DrbdReply(DrbdCommands.Secondary, 0xFFFFFFFF, 1) + Ack());
        await using var kernel = await OpenAsync();

        await kernel.SecondaryAsync("r0", false, CancellationToken.None);

        Assert.Equal(3, _command.Sent.Count(r => Describe(r).Command == DrbdCommands.Secondary && Describe(r).Type == DrbdFamily));
        Assert.Equal([TimeSpan.FromMilliseconds(62.5), TimeSpan.FromMilliseconds(125)], _delays);
    }

    [Fact]
    public async Task A_refusal_that_stays_transient_is_thrown_after_the_last_attempt()
    {
        Reply(DrbdCommands.Primary, [.. Enumerable.Repeat(DrbdReply(DrbdCommands.Primary, 0xFFFFFFFF, -18), 3)]);
        await using var kernel = await OpenAsync(DrbdNetlinkOptions.Default with { TransientRetryAttempts = 3 });

        var e = await Assert.ThrowsAsync<DrbdKernelException>(() => kernel.PrimaryAsync("r0", false, CancellationToken.None));

        Assert.True(e.IsTransient);
        Assert.Equal(2, _delays.Count);
        Assert.Equal(3, _command.Sent.Count(r => Describe(r).Type == DrbdFamily));
    }

    [Fact]
    public async Task A_netlink_error_becomes_a_kernel_exception_with_the_errno()
    {
        Reply(DrbdCommands.NewMinor, Error(22));
        await using var kernel = await OpenAsync();

        var e = await Assert.ThrowsAsync<DrbdKernelException>(() => kernel.NewMinorAsync("r0", 1000, 0, false, CancellationToken.None));

        Assert.Equal(22, e.Errno);
        Assert.Equal("new-minor", e.Operation);
        Assert.Contains("EINVAL", e.Message);
        Assert.Contains("API version mismatch", e.Message);
    }

    [Fact]
    public async Task Down_of_a_resource_the_driver_does_not_know_succeeds()
    {
        Reply(DrbdCommands.Down, DrbdReply(DrbdCommands.Down, 0xFFFFFFFF, 158, 2, "unknown resource") + Ack());
        await using var kernel = await OpenAsync();

        await kernel.DownAsync("gone", CancellationToken.None);

        Assert.Equal(DrbdCommands.Down, Describe(_command.Sent[^1]).Command);
    }

    [Fact]
    public async Task Other_failing_codes_of_down_are_thrown()
    {
        Reply(DrbdCommands.Down, DrbdReply(DrbdCommands.Down, 0xFFFFFFFF, -12, 2, "failed to demote") + Ack());
        await using var kernel = await OpenAsync();

        var e = await Assert.ThrowsAsync<DrbdKernelException>(() => kernel.DownAsync("r0", CancellationToken.None));

        Assert.Equal("SS_DEVICE_IN_USE (the device is held open)", e.CodeName);
    }

    [Fact]
    public async Task The_state_dump_collects_every_object_of_the_multi_part_reply()
    {
        Reply(DrbdCommands.GetInitialState,
            Notification(DrbdCommands.ResourceState, 0xFFFFFFFF, 0x8000, Str(2, "r0"), Nest(15, "08000100 02000000"), flags: 2)
            + Notification(DrbdCommands.DeviceState, 1000, 0x8000, $"{Str(2, "r0")} 08000100 00000000", Nest(16, "08000100 09000000"), flags: 2)
            + Notification(DrbdCommands.InitialStateDone, 0xFFFFFFFF, 0, "", flags: 2)
            + Done());
        await using var kernel = await OpenAsync();

        var state = await kernel.DumpStateAsync(CancellationToken.None);

        Hex.Equal("1c000000 1c00 0103 03000000 00000000 26 02 0000 ffffffff 00000000", _command.Sent[2]);
        Assert.True(state.IsInitialState);
        Assert.Equal(
            [
                new DrbdResourceNotification(DrbdNotificationKind.Exists, "r0", new DrbdResourceInfo(DrbdRole.Secondary, false, false, false, false, false)),
                new DrbdDeviceNotification(DrbdNotificationKind.Exists, "r0", 0, 1000, new DrbdDeviceInfo(DrbdDiskState.UpToDate, false, true, false, null)),
            ],
            state.Notifications);
    }

    [Fact]
    public async Task Resync_settings_given_as_disk_options_go_to_every_peer_device_of_the_minor()
    {
        Reply(DrbdCommands.GetInitialState,
            Notification(DrbdCommands.DeviceState, 1000, 0x8000, $"{Str(2, "r0")} 08000100 00000000", Nest(16, "08000100 09000000"), flags: 2)
            + Notification(DrbdCommands.ConnectionState, 0xFFFFFFFF, 0x8000, $"{Str(2, "r0")} 08000600 01000000", Nest(17, "08000100 09000000 08000200 02000000"), flags: 2)
            + Notification(DrbdCommands.ConnectionState, 0xFFFFFFFF, 0x8000, $"{Str(2, "r0")} 08000600 02000000", Nest(17, "08000100 08000000 08000200 00000000"), flags: 2)
            + Done());
        await using var kernel = await OpenAsync();

        await kernel.ChangeDiskOptionsAsync(1000, new DrbdDiskOptions(ResyncRateKiB: 40960), CancellationToken.None);

        var peerDeviceRequests = _command.Sent.Where(r => Describe(r).Command == DrbdCommands.ChangePeerDeviceOpts).ToList();
        Assert.Equal(2, peerDeviceRequests.Count);
        Assert.DoesNotContain(_command.Sent, r => Describe(r).Command == DrbdCommands.ChangeDiskOpts);
        Hex.Equal("""
            44000000 1c00 0500 04000000 00000000
            2b 02 0000 ffffffff 00000000
            1c000280 07000200 72300000 08000600 01000000 08000100 00000000
            0c001b80 08000100 00a00000             # resync_rate 40960 for peer 1, volume 0
            """, peerDeviceRequests[0]);
    }
}
