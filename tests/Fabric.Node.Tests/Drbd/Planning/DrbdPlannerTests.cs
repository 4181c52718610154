using System.Collections.Immutable;
using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Config;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Planning;

namespace Fabric.Node.Tests.Drbd.Planning;

public sealed class DrbdPlannerTests
{
    private static readonly DrbdPlanContext V2 = new(DrbdApiVersion.V2, DrbdAppliedOptions.None, ThinBacking: false);

    /// <summary>Every option <paramref name="config"/> wants, as if this agent incarnation had set them already.</summary>
    private static DrbdAppliedOptions AllSet(DrbdResourceConfig config, DrbdApiVersion api) => new(
        DrbdPlanner.EffectiveOptions(config, api),
        config.Peers.ToImmutableSortedDictionary(p => p.Endpoint.NodeId, p => DrbdPlanner.NetOptionsFor(config, p)),
        config.Volumes.ToImmutableSortedDictionary(v => v.Volume, _ => config.DiskOptions),
        DrbdAppliedOptions.None.Paths);

    /// <summary>Plans with every option already set (unless <paramref name="optionsKnown"/> is false: a fresh agent incarnation).</summary>
    private static DrbdPlan Plan(DrbdResourceConfig? config, DrbdKernelResource? kernel, DrbdPlanContext context, bool optionsKnown = true) =>
        DrbdPlanner.Plan(config, kernel, optionsKnown && config is not null ? context with { Applied = AllSet(config, context.Api) } : context);

    private static DrbdResourceConfig Config(bool diskless = false, int localId = 0, params DrbdPeerConfig[] peers) => new(
        "r1",
        new DrbdEndpoint("alpha", localId, "10.0.0.1", 7000),
        diskless,
        [new DrbdVolumeConfig(0, 1000, diskless ? null : "/dev/vg/r1_00000", 1024)],
        peers.ToImmutableList(),
        "secret",
        "sha1",
        'C',
        7,
        new DrbdResourceOptions(Quorum: DrbdQuorum.Majority, OnNoQuorum: DrbdOnNoQuorum.IoError),
        DrbdDiskOptions.None);

    private static DrbdPeerConfig Peer(string name, int id, bool diskless = false) => new(new DrbdEndpoint(name, id, "10.0.0." + (id + 1), 7000), diskless);

    private static DrbdKernelResource Kernel(DrbdDiskState disk, long size = 1024, params DrbdKernelConnection[] connections) => new(
        "r1",
        DrbdRole.Secondary,
        ImmutableSortedDictionary<int, DrbdKernelDevice>.Empty.Add(0, new DrbdKernelDevice(0, 1000, disk, false, size)),
        connections.ToImmutableSortedDictionary(c => c.PeerNodeId, c => c));

    private static DrbdKernelConnection Connection(int peer, DrbdConnectionState state, DrbdDiskState peerDisk = DrbdDiskState.UpToDate, DrbdReplicationState repl = DrbdReplicationState.Established) =>
        new(peer, state, true, ImmutableSortedDictionary<int, DrbdKernelPeerDevice>.Empty.Add(0, new DrbdKernelPeerDevice(0, repl, peerDisk)));

    [Fact]
    public void A_new_resource_is_brought_up_in_drbdadm_order()
    {
        var plan = Plan(Config(false, 0, Peer("beta", 1), Peer("gamma", 2, diskless: true)), null, V2);

        Assert.Null(plan.Problem);
        Assert.Equal(
            ["NewResourceStep", "NewMinorStep", "EnsureMetadataStep", "AttachStep",
             "NewPeerStep", "NewPathStep", "ConnectStep",
             "NewPeerStep", "NewPathStep", "PeerDeviceOptionsStep", "ConnectStep"],
            plan.Steps.Select(s => s.GetType().Name));
        var created = Assert.IsType<NewResourceStep>(plan.Steps[0]);
        Assert.Equal(0, created.NodeId);
        Assert.Equal(DrbdQuorum.Majority, created.Options.Quorum);
        var peerOptions = Assert.IsType<PeerDeviceOptionsStep>(plan.Steps[9]);
        Assert.Equal(2, peerOptions.PeerNodeId);
        Assert.False(peerOptions.Options.Bitmap);
        var net = Assert.IsType<NewPeerStep>(plan.Steps[4]).Net;
        Assert.Equal(("beta", 'C', "secret", "sha1"), (net.ConnectionName, net.Protocol, net.SharedSecret, net.CramHmacAlg));
    }

    [Fact]
    public void A_resource_that_runs_as_desired_plans_nothing()
    {
        var kernel = Kernel(DrbdDiskState.UpToDate, 1024, Connection(1, DrbdConnectionState.Connected));
        Assert.True(Plan(Config(false, 0, Peer("beta", 1)), kernel, V2).InPlace);
    }

    [Fact]
    public void Options_are_applied_once_per_agent_incarnation_because_events_do_not_show_them()
    {
        var kernel = Kernel(DrbdDiskState.UpToDate, 1024, Connection(1, DrbdConnectionState.Connecting));
        var config = Config(false, 0, Peer("beta", 1));
        var plan = Plan(config, kernel, V2, optionsKnown: false);
        Assert.Equal(["ResourceOptionsStep", "DiskOptionsStep", "NetOptionsStep"], plan.Steps.Select(s => s.GetType().Name));

        var applied = plan.Steps.Aggregate(DrbdAppliedOptions.None, (known, step) => known.After(step));
        Assert.True(DrbdPlanner.Plan(config, kernel, V2 with { Applied = applied }).InPlace);
    }

    [Fact]
    public void Changed_net_and_disk_options_are_set_on_the_running_connection_and_device_without_taking_anything_down()
    {
        var kernel = Kernel(DrbdDiskState.UpToDate, 1024, Connection(1, DrbdConnectionState.Connected));
        var before = Config(false, 0, Peer("beta", 1));
        var after = before with
        {
            NetTimeouts = new DrbdNetTimeouts(TimeoutDs: 200, KoCount: 4),
            DiskOptions = new DrbdDiskOptions(ResyncRateKiB: 2048, CPlanAhead: 0),
        };

        var plan = DrbdPlanner.Plan(after, kernel, V2 with { Applied = AllSet(before, DrbdApiVersion.V2) });

        Assert.Equal(["DiskOptionsStep", "NetOptionsStep"], plan.Steps.Select(s => s.GetType().Name));
        var disk = Assert.IsType<DiskOptionsStep>(plan.Steps[0]);
        Assert.Equal((1000, 2048L, 0), (disk.Minor, disk.Options.ResyncRateKiB!.Value, disk.Options.CPlanAhead!.Value));
        var net = Assert.IsType<NetOptionsStep>(plan.Steps[1]);
        Assert.Equal((1, "beta", 4), (net.PeerNodeId, net.Options.ConnectionName, net.Options.Timeouts!.KoCount!.Value));
    }

    [Fact]
    public void A_peer_that_moved_to_a_new_address_gets_its_connection_moved_there_once()
    {
        var kernel = Kernel(DrbdDiskState.UpToDate, 1024, Connection(1, DrbdConnectionState.Connected));
        var before = Config(false, 0, Peer("beta", 1));
        var moved = before with { Peers = [new DrbdPeerConfig(new DrbdEndpoint("beta", 1, "10.0.9.2", 7000), false)] };
        var applied = AllSet(before, DrbdApiVersion.V2) with { Paths = ImmutableSortedDictionary<int, (DrbdEndpoint, DrbdEndpoint)>.Empty.Add(1, (before.Local, before.Peers[0].Endpoint)) };

        var step = Assert.IsType<MovePathStep>(Assert.Single(DrbdPlanner.Plan(moved, kernel, V2 with { Applied = applied }).Steps));

        Assert.Equal(("10.0.0.2", "10.0.9.2", "10.0.0.1"), (step.OldPeer.Address, step.Peer.Endpoint.Address, step.Local.Address));
        Assert.True(DrbdPlanner.Plan(moved, kernel, V2 with { Applied = applied.After(step) }).InPlace);
        Assert.True(DrbdPlanner.Plan(before, kernel, V2 with { Applied = applied }).InPlace);
    }

    [Fact]
    public void Applied_options_follow_the_steps_that_set_and_drop_them()
    {
        var config = Config(false, 0, Peer("beta", 1));
        var created = Plan(config, null, V2, optionsKnown: false).Steps.Aggregate(DrbdAppliedOptions.None, (known, step) => known.After(step));
        Assert.Equal(DrbdPlanner.EffectiveOptions(config, DrbdApiVersion.V2), created.Resource);
        Assert.Equal(DrbdPlanner.NetOptionsFor(config, config.Peers[0]), Assert.Single(created.Net).Value);
        Assert.Equal((0, config.DiskOptions), (Assert.Single(created.Disk).Key, created.Disk[0]));

        Assert.Empty(created.After(new DeletePeerStep("r1", 1)).Net);
        Assert.Empty(created.After(new DetachStep(0, 1000, false)).Disk);
        Assert.Same(DrbdAppliedOptions.None, created.After(new DownStep("r1")));
    }

    [Fact]
    public void A_standalone_connection_is_connected_again_and_a_missing_path_added()
    {
        var kernel = Kernel(DrbdDiskState.UpToDate, 1024, new DrbdKernelConnection(1, DrbdConnectionState.StandAlone, false, ImmutableSortedDictionary<int, DrbdKernelPeerDevice>.Empty));
        var plan = Plan(Config(false, 0, Peer("beta", 1)), kernel, V2);
        Assert.Equal(["NewPathStep", "ConnectStep"], plan.Steps.Select(s => s.GetType().Name));
    }

    [Fact]
    public void Peers_and_volumes_no_longer_desired_are_removed_before_anything_is_added()
    {
        var kernel = Kernel(DrbdDiskState.UpToDate, 1024, Connection(1, DrbdConnectionState.Connected), Connection(5, DrbdConnectionState.Connected));
        kernel = kernel with { Devices = kernel.Devices.Add(3, new DrbdKernelDevice(3, 1003, DrbdDiskState.UpToDate, false, 10)) };
        var plan = Plan(Config(false, 0, Peer("beta", 1)), kernel, V2);
        Assert.Equal(["DeletePeerStep", "DetachStep", "DeleteMinorStep"], plan.Steps.Select(s => s.GetType().Name));
        Assert.Equal(5, Assert.IsType<DeletePeerStep>(plan.Steps[0]).PeerNodeId);
        Assert.Equal(1003, Assert.IsType<DeleteMinorStep>(plan.Steps[2]).Minor);
    }

    [Fact]
    public void Toggling_to_diskless_detaches_as_an_intentional_client_and_back_attaches_with_metadata()
    {
        var attached = Kernel(DrbdDiskState.UpToDate, 1024, Connection(1, DrbdConnectionState.Connected));
        var toDiskless = Plan(Config(true, 0, Peer("beta", 1)), attached, V2);
        Assert.True(Assert.IsType<DetachStep>(Assert.Single(toDiskless.Steps)).IntentionalDiskless);

        var detached = Kernel(DrbdDiskState.Diskless, 1024, Connection(1, DrbdConnectionState.Connected));
        var toDiskful = Plan(Config(false, 0, Peer("beta", 1)), detached, V2);
        Assert.Equal(["EnsureMetadataStep", "AttachStep"], toDiskful.Steps.Select(s => s.GetType().Name));
    }

    [Fact]
    public void A_grown_volume_is_resized_assuming_clean_on_thin_backing()
    {
        var kernel = Kernel(DrbdDiskState.UpToDate, 512, Connection(1, DrbdConnectionState.Connected));
        var resize = Assert.IsType<ResizeStep>(Assert.Single(Plan(Config(false, 0, Peer("beta", 1)), kernel, V2 with { ThinBacking = true }).Steps));
        Assert.Equal((1000, 1024L, true), (resize.Minor, resize.UsableKiB, resize.AssumeClean));
    }

    [Fact]
    public void A_resource_no_longer_desired_is_taken_down()
    {
        var plan = Plan(null, Kernel(DrbdDiskState.UpToDate), V2);
        Assert.Equal("r1", Assert.IsType<DownStep>(Assert.Single(plan.Steps)).Resource);
        Assert.True(Plan(null, null, V2).InPlace);
    }

    [Fact]
    public void The_lowest_diskful_node_id_creates_the_first_up_to_date_copy_once_every_diskful_peer_is_connected_and_inconsistent()
    {
        var fresh = Kernel(DrbdDiskState.Inconsistent, 1024, Connection(1, DrbdConnectionState.Connected, DrbdDiskState.Inconsistent), Connection(2, DrbdConnectionState.Connected, DrbdDiskState.Diskless));
        var config = Config(false, 0, Peer("beta", 1), Peer("gamma", 2, diskless: true));

        var thick = Assert.IsType<InitialUpToDateStep>(Assert.Single(Plan(config, fresh, V2).Steps));
        Assert.False(thick.SkipInitialSync);
        Assert.Equal([1000], thick.Minors);
        Assert.True(Assert.IsType<InitialUpToDateStep>(Assert.Single(Plan(config, fresh, V2 with { ThinBacking = true }).Steps)).SkipInitialSync);

        // Not on the higher node id.
        Assert.True(Plan(Config(false, 1, Peer("alpha", 0)), fresh with { Connections = fresh.Connections.Remove(1).Remove(2).Add(0, Connection(0, DrbdConnectionState.Connected, DrbdDiskState.Inconsistent)) }, V2).InPlace);
        // Not while a diskful peer is unreachable: it may hold data.
        var peerAway = fresh with { Connections = fresh.Connections.SetItem(1, Connection(1, DrbdConnectionState.Connecting, DrbdDiskState.DUnknown, DrbdReplicationState.Off)) };
        Assert.True(Plan(config, peerAway, V2).InPlace);
        // Not when a peer has data: DRBD syncs from it by itself.
        var peerHasData = fresh with { Connections = fresh.Connections.SetItem(1, Connection(1, DrbdConnectionState.Connected, DrbdDiskState.UpToDate)) };
        Assert.True(Plan(config, peerHasData, V2).InPlace);
    }

    [Fact]
    public void A_lone_replica_is_forced_up_to_date_even_on_thin_backing()
    {
        var step = Assert.IsType<InitialUpToDateStep>(Assert.Single(Plan(Config(), Kernel(DrbdDiskState.Inconsistent), V2 with { ThinBacking = true }).Steps));
        Assert.False(step.SkipInitialSync);
    }

    [Fact]
    public void Drbd_8_4_gets_no_quorum_options_no_peer_device_options_and_refuses_a_third_replica()
    {
        var v1 = V2 with { Api = DrbdApiVersion.V1 };
        var plan = Plan(Config(false, 0, Peer("beta", 1)), null, v1);
        var created = Assert.IsType<NewResourceStep>(plan.Steps[0]);
        Assert.Null(created.Options.Quorum);
        Assert.Null(created.Options.OnNoQuorum);
        Assert.DoesNotContain(plan.Steps, s => s is PeerDeviceOptionsStep);

        var three = Plan(Config(false, 0, Peer("beta", 1), Peer("gamma", 2, diskless: true)), null, v1);
        Assert.Empty(three.Steps);
        Assert.Contains("DRBD 8.4", three.Problem!.Message);
        Assert.Contains("DRBD 9", three.Problem.Correction);
    }

    [Fact]
    public void A_diskless_replica_creates_a_client_minor_and_no_connection_to_another_diskless_one()
    {
        var plan = Plan(Config(true, 2, Peer("alpha", 0), Peer("beta", 1), Peer("delta", 3, diskless: true)), null, V2);
        Assert.True(Assert.IsType<NewMinorStep>(plan.Steps[1]).IntentionalDiskless);
        Assert.DoesNotContain(plan.Steps, s => s is AttachStep or EnsureMetadataStep);
        Assert.Equal([0, 1], plan.Steps.OfType<ConnectStep>().Select(c => c.PeerNodeId));
    }

    [Fact]
    public void On_drbd_8_4_a_connection_of_unknown_peer_id_after_an_agent_restart_is_adopted_as_the_one_peer_not_torn_down()
    {
        var v1 = V2 with { Api = DrbdApiVersion.V1 };
        var kernel = Kernel(DrbdDiskState.UpToDate, 1024, Connection(-1, DrbdConnectionState.Connected));
        var plan = Plan(Config(false, 0, Peer("beta", 1)), kernel, v1);
        Assert.Equal(["NewPeerStep", "NewPathStep"], plan.Steps.Select(s => s.GetType().Name));
        Assert.Equal(1, Assert.IsType<NewPeerStep>(plan.Steps[0]).Peer.Endpoint.NodeId);

        // DRBD 9 knows its peers' node ids: an unknown one there is a stale connection to remove.
        Assert.IsType<DeletePeerStep>(Plan(Config(false, 0, Peer("beta", 1)), kernel, V2).Steps[0]);
    }
}
