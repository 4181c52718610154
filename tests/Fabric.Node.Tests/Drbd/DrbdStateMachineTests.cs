using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.State;
using static Fabric.Node.Drbd.Kernel.DrbdNotificationKind;
using static Fabric.Node.Tests.Drbd.DrbdEvents;

namespace Fabric.Node.Tests.Drbd;

public sealed class DrbdStateMachineTests
{
    private static DrbdHostState Fold(params DrbdEventBatch[] batches) => batches.Aggregate(DrbdHostState.Empty, DrbdStateMachine.Apply);

    [Fact]
    public void Creates_every_object_from_create_notifications()
    {
        var state = Fold(Initial(), Batch(
            Res(Create),
            Dev(Create, DrbdDiskState.Diskless),
            Conn(Create, DrbdConnectionState.StandAlone),
            Peer(Create, DrbdReplicationState.Off, DrbdDiskState.DUnknown),
            Path(Create, established: false)));

        var resource = Assert.Single(state.Resources.Values);
        Assert.True(state.HasInitialState);
        Assert.Equal(DrbdRole.Secondary, resource.Info.Role);
        Assert.Equal(1000, resource.Devices[0].Minor);
        var connection = resource.Connections[1];
        Assert.Equal("some-peer", connection.Name);
        Assert.Equal(DrbdConnectionState.StandAlone, connection.Info.State);
        Assert.Equal(DrbdReplicationState.Off, connection.PeerDevices[0].Replication);
        Assert.False(Assert.Single(connection.Paths).Established);
    }

    [Fact]
    public void Changes_replace_the_object_state()
    {
        var state = Fold(Initial(Res(Exists), Dev(Exists, DrbdDiskState.Diskless), Conn(Exists, DrbdConnectionState.Connecting), Path(Exists, false)),
            Batch(Dev(Change, DrbdDiskState.UpToDate, backing: "/dev/sda"), Path(Change, true)),
            Batch(Conn(Change, DrbdConnectionState.Connected, DrbdRole.Secondary), Peer(Change, DrbdReplicationState.Established, DrbdDiskState.UpToDate)));

        var resource = state.Resources[Resource];
        Assert.Equal(DrbdDiskState.UpToDate, resource.Devices[0].Info.Disk);
        Assert.Equal("/dev/sda", resource.Devices[0].Info.BackingDevice);
        Assert.Equal(DrbdConnectionState.Connected, resource.Connections[1].Info.State);
        Assert.Equal(DrbdRole.Secondary, resource.Connections[1].Info.PeerRole);
        Assert.True(Assert.Single(resource.Connections[1].Paths).Established);
        Assert.Equal(DrbdDiskState.UpToDate, resource.Connections[1].PeerDevices[0].PeerDisk);
    }

    [Fact]
    public void A_replicating_peer_device_means_its_connection_is_connected_as_drbd_8_4_reports_it_on_the_device_only()
    {
        // Seen on the in-tree 8.4.11 driver: the connection's last notification says WFReportParams
        // (Connecting); the step to Connected arrives as a peer-device change only.
        var state = Fold(Initial(Res(Exists), Dev(Exists, DrbdDiskState.Inconsistent), Conn(Exists, DrbdConnectionState.Connecting)),
            Batch(Peer(Change, DrbdReplicationState.Established, DrbdDiskState.Inconsistent)));
        Assert.Equal(DrbdConnectionState.Connected, state.Resources[Resource].Connections[1].Info.State);

        // Off says nothing about the connection: it stays as reported.
        var off = Fold(Initial(Res(Exists), Conn(Exists, DrbdConnectionState.Connecting)), Batch(Peer(Change, DrbdReplicationState.Off, DrbdDiskState.DUnknown)));
        Assert.Equal(DrbdConnectionState.Connecting, off.Resources[Resource].Connections[1].Info.State);
    }

    [Fact]
    public void An_initial_state_replaces_everything_known()
    {
        var before = Fold(Initial(Res(Exists), Dev(Exists, DrbdDiskState.UpToDate)));
        var other = new DrbdResourceNotification(Exists, "other", new DrbdResourceInfo(DrbdRole.Primary, false, false, false, false, false));

        var after = DrbdStateMachine.Apply(before, Initial(other));

        Assert.Equal(["other"], after.Resources.Keys);
        Assert.Equal(DrbdRole.Primary, after.Resources["other"].Info.Role);
    }

    [Fact]
    public void A_change_of_an_unknown_object_creates_it_and_its_parents()
    {
        var state = Fold(Initial(), Batch(Peer(Change, DrbdReplicationState.SyncTarget, DrbdDiskState.UpToDate, peer: 2)));

        var resource = state.Resources[Resource];
        Assert.Equal(DrbdRole.Unknown, resource.Info.Role);
        var connection = resource.Connections[2];
        Assert.Equal("some-peer", connection.Name);
        // A peer device that syncs is on a connected connection.
        Assert.Equal(DrbdConnectionState.Connected, connection.Info.State);
        Assert.Equal(DrbdReplicationState.SyncTarget, connection.PeerDevices[0].Replication);
    }

    [Fact]
    public void Destroying_a_connection_drops_its_peer_devices_and_paths()
    {
        var state = Fold(Initial(Res(Exists), Conn(Exists, DrbdConnectionState.Connected), Peer(Exists, DrbdReplicationState.Established, DrbdDiskState.UpToDate), Path(Exists, true)),
            Batch(new DrbdConnectionNotification(Destroy, Resource, 1, "some-peer", null)));

        Assert.Empty(state.Resources[Resource].Connections);
    }

    [Fact]
    public void Destroys_follow_the_kernel_teardown_order()
    {
        var state = Fold(Initial(Res(Exists), Dev(Exists, DrbdDiskState.UpToDate), Conn(Exists, DrbdConnectionState.Connected),
                Peer(Exists, DrbdReplicationState.Established, DrbdDiskState.UpToDate), Path(Exists, true)),
            Batch(Path(Destroy, false)),
            Batch(new DrbdPeerDeviceNotification(Destroy, Resource, 1, "some-peer", 0, null)));
        var resource = state.Resources[Resource];
        Assert.Empty(resource.Connections[1].Paths);
        Assert.Empty(resource.Connections[1].PeerDevices);

        state = DrbdStateMachine.Apply(state, Batch(
            new DrbdConnectionNotification(Destroy, Resource, 1, "some-peer", null),
            new DrbdDeviceNotification(Destroy, Resource, 0, 1000, null)));
        Assert.Empty(state.Resources[Resource].Devices);

        state = DrbdStateMachine.Apply(state, Batch(new DrbdResourceNotification(Destroy, Resource, null)));
        Assert.Empty(state.Resources);
    }

    [Fact]
    public void Destroying_what_is_not_known_changes_nothing()
    {
        var state = Fold(Initial(), Batch(new DrbdDeviceNotification(Destroy, "ghost", 0, 7, null), Path(Destroy, false)));

        Assert.Empty(state.Resources);
    }

    [Fact]
    public void A_rename_moves_the_resource()
    {
        var state = Fold(Initial(Res(Exists), Dev(Exists, DrbdDiskState.UpToDate)),
            Batch(new DrbdResourceNotification(Rename, Resource, null, "renamed")));

        var renamed = Assert.Single(state.Resources.Values);
        Assert.Equal("renamed", renamed.Name);
        Assert.Equal(DrbdDiskState.UpToDate, renamed.Devices[0].Info.Disk);
    }

    [Fact]
    public void Helper_calls_change_nothing()
    {
        var before = Fold(Initial(Res(Exists)));

        var after = DrbdStateMachine.Apply(before, Batch(new DrbdHelperNotification(Call, Resource, "quorum-lost", 0, null, null)));

        Assert.Equal(before.Resources[Resource], after.Resources[Resource]);
    }

    [Fact]
    public void Until_an_initial_state_arrives_the_picture_is_partial()
    {
        var state = Fold(Batch(Res(Create)));

        Assert.False(state.HasInitialState);
        Assert.True(DrbdStateMachine.Apply(state, Initial()).HasInitialState);
    }

    [Fact]
    public void Touched_resources_name_every_resource_a_batch_mentions()
    {
        var before = Fold(Initial(Res(Exists)));

        Assert.Equal(["some-resource"], DrbdStateMachine.TouchedResources(before, Batch(Dev(Change, DrbdDiskState.UpToDate))));
        Assert.Equal(["renamed", "some-resource"], DrbdStateMachine.TouchedResources(before, Batch(new DrbdResourceNotification(Rename, Resource, null, "renamed"))));
        Assert.Equal(["some-resource"], DrbdStateMachine.TouchedResources(before, Initial()));
    }
}
