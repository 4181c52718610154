using System.Net;
using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Simulated;
using Fabric.Node.Drbd.State;

namespace Fabric.Node.Tests.Drbd;

/// <summary>The simulated kernel's contract: DRBD's error codes, the initial-state dump, power cycles, detach/resize/forget-peer semantics.</summary>
public sealed class SimulatedDrbdKernelTests
{
    private const string R = SimulatedDrbdCluster.Resource;
    private const int Minor = SimulatedDrbdCluster.Minor;
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly Member A = new("a", 0);
    private static readonly Member B = new("b", 1);

    private static async Task<SimulatedDrbdCluster> TwoUpToDateAsync(DrbdResourceOptions? options = null, params Member[] members)
    {
        var cluster = await SimulatedDrbdCluster.StartAsync(1, members.Length == 0 ? [A, B] : members);
        await cluster.UpAsync(options ?? DrbdResourceOptions.None);
        cluster.Settle();
        await cluster.Kernel("a").NewCurrentUuidAsync(Minor, clearBitmap: true, Ct);
        return cluster;
    }

    [Fact]
    public async Task Refusals_carry_drbds_codes()
    {
        var network = new SimulatedDrbdNetwork();
        var kernel = network.AddNode("a");
        await kernel.NewResourceAsync(R, 0, DrbdResourceOptions.None, Ct);
        await kernel.NewMinorAsync(R, Minor, 0, false, Ct);

        async Task<int> CodeOf(Func<Task> call) => (await Assert.ThrowsAsync<DrbdKernelException>(call)).RetCode;

        Assert.Equal(174, await CodeOf(() => kernel.NewResourceAsync(R, 0, DrbdResourceOptions.None, Ct)));
        Assert.Equal(161, await CodeOf(() => kernel.NewMinorAsync(R, Minor, 1, false, Ct)));
        Assert.Equal(161, await CodeOf(() => kernel.NewMinorAsync(R, 1001, 0, false, Ct)));
        Assert.Equal(158, await CodeOf(() => kernel.NewMinorAsync("nope", 1002, 0, false, Ct)));
        Assert.Equal(127, await CodeOf(() => kernel.DeleteMinorAsync(4711, Ct)));
        Assert.Equal(119, await CodeOf(() => kernel.AttachAsync(Minor, new DrbdDiskConfig("/dev/none", null, DrbdDiskOptions.None), Ct)));
        Assert.Equal(171, await CodeOf(() => kernel.NewPeerAsync(R, 0, new DrbdNetOptions("self"), Ct)));
        Assert.Equal(162, await CodeOf(() => kernel.ConnectAsync(R, 5, false, Ct)));
        Assert.Equal(159, await CodeOf(() => kernel.DeleteResourceAsync(R, Ct)));
        Assert.Equal(138, await CodeOf(() => kernel.ResizeAsync(Minor, null, false, Ct)));

        await kernel.NewPeerAsync(R, 1, new DrbdNetOptions("b"), Ct);
        var noPath = await Assert.ThrowsAsync<DrbdKernelException>(() => kernel.ConnectAsync(R, 1, false, Ct));
        Assert.Contains("no path", noPath.InfoText);
        Assert.True((await Assert.ThrowsAsync<DrbdKernelException>(() => kernel.NewPeerAsync(R, 1, new DrbdNetOptions("b"), Ct))).IsAlreadyExists);
        Assert.Equal(125, await CodeOf(() => kernel.ForgetPeerAsync(R, 1, Ct)));

        await kernel.Metadata.CreateMetadataAsync(Minor, "/dev/sda", 7, Ct);
        await kernel.AttachAsync(Minor, new DrbdDiskConfig("/dev/sda", null, DrbdDiskOptions.None), Ct);
        Assert.Equal(124, await CodeOf(() => kernel.AttachAsync(Minor, new DrbdDiskConfig("/dev/sda", null, DrbdDiskOptions.None), Ct)));
        Assert.Equal(160, await CodeOf(() => kernel.DeleteMinorAsync(Minor, Ct)));
        Assert.Equal(111, await CodeOf(() => kernel.ResizeAsync(Minor, 10 * network.Options.DefaultDeviceSizeKiB, false, Ct)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => kernel.Metadata.CreateMetadataAsync(Minor, "/dev/sda", 7, Ct));
    }

    [Fact]
    public async Task The_initial_state_is_a_dump_of_exists_in_kernel_order_and_matches_the_live_state()
    {
        await using var cluster = await TwoUpToDateAsync();
        var late = DrbdHostState.Empty;
        DrbdEventBatch? initial = null;

        await using var subscription = await cluster.Kernel("a").SubscribeAsync(b =>
        {
            initial ??= b;
            late = DrbdStateMachine.Apply(late, b);
        }, _ => { }, Ct);

        Assert.NotNull(initial);
        Assert.True(initial.IsInitialState);
        Assert.All(initial.Notifications, n => Assert.Equal(DrbdNotificationKind.Exists, n.Kind));
        Assert.Equal(["Resource", "Connection", "Path", "Device", "PeerDevice"],
            initial.Notifications.Select(n => n.GetType().Name.Replace("Drbd", "").Replace("Notification", "")).ToList());
        Assert.Equal(cluster.Status("a"), DrbdStatusRules.Status(late, R));
        var dump = await cluster.Kernel("a").DumpStateAsync(Ct);
        Assert.Equal(cluster.Status("a"), DrbdStatusRules.Status(DrbdStateMachine.Apply(DrbdHostState.Empty, dump), R));
    }

    [Fact]
    public async Task Creating_a_peer_creates_its_peer_devices_in_the_same_batch()
    {
        var network = new SimulatedDrbdNetwork();
        var kernel = network.AddNode("a");
        var batches = new List<DrbdEventBatch>();
        await kernel.SubscribeAsync(batches.Add, _ => { }, Ct);
        await kernel.NewResourceAsync(R, 0, DrbdResourceOptions.None, Ct);
        await kernel.NewMinorAsync(R, Minor, 0, false, Ct);

        await kernel.NewPeerAsync(R, 1, new DrbdNetOptions("b"), Ct);

        var batch = batches[^1];
        Assert.Collection(batch.Notifications,
            n => Assert.Equal(new DrbdConnectionNotification(DrbdNotificationKind.Create, R, 1, "b", new DrbdConnectionInfo(DrbdConnectionState.StandAlone, DrbdRole.Unknown)), n),
            n => Assert.IsType<DrbdPeerDeviceNotification>(n));
    }

    [Fact]
    public async Task A_powered_off_node_ends_its_streams_refuses_calls_and_keeps_its_meta_data()
    {
        await using var cluster = await TwoUpToDateAsync();
        await cluster.Kernel("a").PrimaryAsync(R, false, Ct);

        cluster.Network.PowerOff("b");

        var failure = Assert.IsType<DrbdKernelException>(Assert.Single(cluster.Failures("b")));
        Assert.Equal(19, failure.Errno);
        var refused = await Assert.ThrowsAsync<DrbdKernelException>(() => cluster.Kernel("b").DumpStateAsync(Ct));
        Assert.Equal(19, refused.Errno);
        Assert.Equal(DrbdConnectionState.Connected, cluster.Status("a").Peer(1)!.Connection); // not noticed yet
        cluster.Settle();
        Assert.Equal(DrbdConnectionState.Connecting, cluster.Status("a").Peer(1)!.Connection);
        Assert.Equal(DrbdDiskState.DUnknown, cluster.PeerVolume("a", "b").PeerDisk);
        Assert.Equal(SimulatedWriteResult.Ok, await cluster.Kernel("a").WriteAsync(Minor, 512));

        cluster.Network.PowerOn("b");
        var after = await cluster.Kernel("b").DumpStateAsync(Ct);
        Assert.Empty(after.Notifications);
        Assert.True(await cluster.Kernel("b").Metadata.HasMetadataAsync(Minor, SimulatedDrbdCluster.BackingDevice("b"), Ct));
        var state = DrbdHostState.Empty;
        await using var subscription = await cluster.Kernel("b").SubscribeAsync(batch => state = DrbdStateMachine.Apply(state, batch), _ => { }, Ct);
        await cluster.UpAsync(B, DrbdResourceOptions.None);
        cluster.Network.Advance(TimeSpan.FromSeconds(3));

        var status = DrbdStatusRules.Status(state, R)!;
        Assert.Equal(DrbdDiskState.UpToDate, status.Volume(0)!.Disk);
        Assert.Equal(DrbdRole.Primary, status.Peer(0)!.Role);
    }

    [Fact]
    public async Task Detach_as_diskless_makes_an_intentional_client_the_peers_see()
    {
        await using var cluster = await TwoUpToDateAsync();

        await cluster.Kernel("b").DetachAsync(Minor, false, intentionalDiskless: true, Ct);

        Assert.Equal(DrbdDiskState.Diskless, cluster.Volume("b").Disk);
        Assert.True(cluster.Volume("b").Client);
        Assert.Null(cluster.Volume("b").BackingDevice);
        Assert.Equal(DrbdDiskState.Diskless, cluster.PeerVolume("a", "b").PeerDisk);
        Assert.True(cluster.PeerVolume("a", "b").PeerClient);
        var disks = cluster.Batches("b").SelectMany(b => b.Notifications).OfType<DrbdDeviceNotification>().Select(n => n.Info!.Disk).ToList();
        Assert.Equal([DrbdDiskState.Detaching, DrbdDiskState.Diskless], disks[^2..]);
    }

    [Fact]
    public async Task Detaching_the_primarys_only_up_to_date_disk_is_refused_unless_forced()
    {
        await using var cluster = await TwoUpToDateAsync();
        await cluster.Kernel("a").PrimaryAsync(R, false, Ct);
        cluster.Network.Cut("a", "b");
        cluster.Settle();

        var refused = await Assert.ThrowsAsync<DrbdKernelException>(() => cluster.Kernel("a").DetachAsync(Minor, false, false, Ct));

        Assert.Equal(-2, refused.RetCode);
        await cluster.Kernel("a").DetachAsync(Minor, force: true, false, Ct);
        Assert.Equal(DrbdDiskState.Diskless, cluster.Volume("a").Disk);
        Assert.False(cluster.Volume("a").Client);
    }

    [Fact]
    public async Task Growing_resyncs_the_new_area_unless_assumed_clean()
    {
        await using var cluster = await TwoUpToDateAsync();
        foreach (var node in new[] { "a", "b" })
        {
            cluster.Kernel(node).Metadata.SetDeviceSize(SimulatedDrbdCluster.BackingDevice(node), 204_800);
        }

        await cluster.Kernel("a").ResizeAsync(Minor, null, assumeClean: false, Ct);

        Assert.Equal(204_800, cluster.Volume("a").SizeKiB);
        Assert.Equal(204_800, cluster.Volume("b").SizeKiB);
        Assert.Equal(DrbdReplicationState.SyncSource, cluster.PeerVolume("a", "b").Replication);
        Assert.Equal(102_400, cluster.PeerVolume("a", "b").OutOfSyncKiB);
        cluster.Settle();
        Assert.Equal(DrbdDiskState.UpToDate, cluster.Volume("b").Disk);

        foreach (var node in new[] { "a", "b" })
        {
            cluster.Kernel(node).Metadata.SetDeviceSize(SimulatedDrbdCluster.BackingDevice(node), 307_200);
        }
        await cluster.Kernel("a").ResizeAsync(Minor, null, assumeClean: true, Ct);
        Assert.Equal(DrbdReplicationState.Established, cluster.PeerVolume("a", "b").Replication);
        Assert.Equal(307_200, cluster.Volume("b").SizeKiB);
    }

    [Fact]
    public async Task A_deleted_peer_still_votes_until_it_is_forgotten()
    {
        var members = new[] { A, B, new Member("c", 2), new Member("d", 3) };
        await using var cluster = await TwoUpToDateAsync(new DrbdResourceOptions(Quorum: DrbdQuorum.Majority, OnNoQuorum: DrbdOnNoQuorum.IoError), members);
        await cluster.Kernel("d").DownAsync(R, Ct);
        foreach (var node in new[] { "a", "b", "c" })
        {
            await cluster.Kernel(node).DeletePeerAsync(R, 3, false, Ct);
        }
        cluster.Network.Isolate("c");
        cluster.Settle();
        Assert.False(cluster.Volume("a").HasQuorum); // a, b of a, b, c, d: 2 of 4, need 3

        await cluster.Kernel("a").ForgetPeerAsync(R, 3, Ct);

        Assert.True(cluster.Volume("a").HasQuorum); // a, b of a, b, c: 2 of 3
    }

    [Fact]
    public async Task Attach_takes_the_backing_size_from_the_resolver_when_not_told()
    {
        var network = new SimulatedDrbdNetwork();
        var kernel = network.AddNode("a");
        kernel.Metadata.DeviceSizeResolver = device => device == "/dev/sim/pool/r0_00000" ? 4096 : null;
        await kernel.Metadata.CreateMetadataAsync(Minor, "/dev/sim/pool/r0_00000", 7, Ct);
        await kernel.NewResourceAsync(R, 0, DrbdResourceOptions.None, Ct);
        await kernel.NewMinorAsync(R, Minor, 0, false, Ct);

        await kernel.AttachAsync(Minor, new DrbdDiskConfig("/dev/sim/pool/r0_00000", null, DrbdDiskOptions.None), Ct);

        var status = DrbdStatusRules.Status(DrbdStateMachine.Apply(DrbdHostState.Empty, await kernel.DumpStateAsync(Ct)), R)!;
        Assert.Equal(4096, status.Volume(0)!.SizeKiB);
        Assert.Equal(network.Options.DefaultDeviceSizeKiB, kernel.Metadata.DeviceSize("/dev/other"));
    }

    [Fact]
    public async Task Writing_on_a_secondary_is_read_only()
    {
        await using var cluster = await TwoUpToDateAsync();

        Assert.Equal(SimulatedWriteResult.ReadOnly, await cluster.Kernel("b").WriteAsync(Minor));
    }

    [Fact]
    public async Task Unrelated_data_on_both_sides_is_a_split_brain_unless_one_discards_its_data()
    {
        await using var cluster = await SimulatedDrbdCluster.StartAsync(1, A, B);
        await cluster.UpAsync(DrbdResourceOptions.None);
        cluster.Network.Cut("a", "b");
        cluster.Settle();
        await cluster.Kernel("a").PrimaryAsync(R, force: true, Ct);
        await cluster.Kernel("b").PrimaryAsync(R, force: true, Ct);
        await cluster.Kernel("b").SecondaryAsync(R, false, Ct);

        cluster.Network.Heal("a", "b");
        cluster.Settle();

        Assert.Equal(DrbdConnectionState.StandAlone, cluster.Status("a").Peer(1)!.Connection);
        Assert.Equal(DrbdConnectionState.StandAlone, cluster.Status("b").Peer(0)!.Connection);

        await cluster.Kernel("a").ConnectAsync(R, 1, false, Ct);
        await cluster.Kernel("b").ConnectAsync(R, 0, discardMyData: true, Ct);
        cluster.Network.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(DrbdConnectionState.Connected, cluster.Status("b").Peer(0)!.Connection);
        Assert.Equal(DrbdDiskState.UpToDate, cluster.Volume("b").Disk);
    }

    [Fact]
    public async Task Two_primaries_do_not_connect_until_one_is_demoted()
    {
        await using var cluster = await TwoUpToDateAsync();
        cluster.Network.Cut("a", "b");
        cluster.Settle();
        await cluster.Kernel("a").PrimaryAsync(R, false, Ct);
        await cluster.Kernel("b").PrimaryAsync(R, false, Ct);

        cluster.Network.Heal("a", "b");
        cluster.Settle();
        Assert.Equal(DrbdConnectionState.Connecting, cluster.Status("a").Peer(1)!.Connection);

        await cluster.Kernel("b").SecondaryAsync(R, false, Ct);
        cluster.Settle();
        Assert.Equal(DrbdConnectionState.Connected, cluster.Status("a").Peer(1)!.Connection);
        Assert.Equal(DrbdRole.Primary, cluster.Status("b").Peer(0)!.Role);
    }

    [Fact]
    public async Task Paths_are_recorded_and_the_first_is_established_while_connected()
    {
        await using var cluster = await TwoUpToDateAsync();

        var path = Assert.Single(cluster.State("a").Find(R)!.Connections[1].Paths);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 7000), path.Local);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 7001), path.Peer);
        Assert.True(path.Established);
    }

    [Fact]
    public void The_real_time_driver_moves_the_virtual_clock()
    {
        using var network = new SimulatedDrbdNetwork();

        using (network.StartRealTime(TimeSpan.FromMilliseconds(5)))
        {
            Assert.True(SpinWait.SpinUntil(() => network.Now > TimeSpan.Zero, TimeSpan.FromSeconds(30)));
        }
    }

    [Fact]
    public async Task A_cancelled_call_does_nothing()
    {
        var network = new SimulatedDrbdNetwork();
        var kernel = network.AddNode("a");

        await Assert.ThrowsAsync<OperationCanceledException>(() => kernel.NewResourceAsync(R, 0, DrbdResourceOptions.None, new CancellationToken(true)));

        Assert.Empty((await kernel.DumpStateAsync(Ct)).Notifications);
    }
}
