using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Entities;
using Fabric.Core.Protocol;
using Fabric.Core.Quorum;
using Fabric.Core.Views;

namespace Fabric.Core.Tests.Protocol;

public sealed class DesiredStateRulesTests
{
    private static readonly ImmutableSortedDictionary<string, string> NoProps = ImmutableSortedDictionary<string, string>.Empty;

    private static NodeState Node(string name, params (string Pool, ProviderKind Kind)[] pools) => NodeState.Absent(name.ToUpperInvariant()) with
    {
        Exists = true,
        Name = name,
        StoragePools = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, pools.Select(p => KeyValuePair.Create(
            p.Pool.ToUpperInvariant(),
            new StoragePool(p.Pool, p.Kind, Guid.NewGuid(), ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("StorDriver/StorPoolName", "/srv/" + p.Pool)]), null, false)))),
    };

    private static Replica Replica(string node, int nodeId, bool diskless = false) =>
        new(node, Guid.NewGuid(), nodeId, diskless ? ResourceFlags.Diskless : 0, diskless ? "DfltDisklessStorPool" : "files", NoProps, 0, 7000 + nodeId, ImmutableSortedDictionary<int, ImmutableSortedDictionary<string, string>>.Empty);

    private static ResourceDefinitionState Definition(string name, long sizeKiB, params Replica[] replicas) => ResourceDefinitionState.Absent(name.ToUpperInvariant()) with
    {
        Exists = true,
        Name = name,
        Uuid = Guid.NewGuid(),
        VolumeDefinitions = ImmutableSortedDictionary.CreateRange([KeyValuePair.Create(0, new VolumeDefinition(0, Guid.NewGuid(), sizeKiB, NoProps, [], 1000))]),
        Replicas = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, replicas.Select(r => KeyValuePair.Create(r.NodeName.ToUpperInvariant(), r))),
    };

    private static ReadModel Model(IEnumerable<NodeState> nodes, IEnumerable<ResourceDefinitionState> resources)
    {
        var model = ReadModel.Empty;
        foreach (var node in nodes)
        {
            model = model.Upsert(PersistenceIds.Of("node", node.Key), 1, node);
        }
        foreach (var resource in resources)
        {
            model = model.Upsert(PersistenceIds.Of("resource", resource.Key), 1, resource);
        }
        return model;
    }

    [Fact]
    public void A_node_gets_its_pools_and_only_the_replicas_it_hosts_with_their_peers()
    {
        var a = Node("a", ("files", ProviderKind.FileThin));
        var model = Model([a, Node("b", ("files", ProviderKind.FileThin))], [Definition("r1", 1024, Replica("a", 0), Replica("b", 1)), Definition("r2", 2048, Replica("b", 0))]);

        var desired = DesiredStateRules.ForNode(model, "A")!;

        Assert.Equal(["FILES"], desired.Pools.Keys);
        Assert.Equal("/srv/files", desired.Pools["FILES"].Props["StorDriver/StorPoolName"]);
        var r1 = Assert.Single(desired.Resources).Value;
        Assert.Equal("r1", r1.Name);
        Assert.Equal([new DesiredVolume(0, 1024, 1000)], r1.Volumes);
        Assert.Equal([new DesiredPeer("b", 1, 7001, false)], r1.Peers);
        Assert.Null(DesiredStateRules.ForNode(model, "NOPE"));
    }

    [Fact]
    public void Peers_say_whether_they_are_diskless_clients_or_tiebreakers()
    {
        var client = Replica("c", 2, diskless: true);
        var tiebreaker = Replica("t", 3) with { Flags = ResourceFlags.TieBreaker, StoragePool = "DfltDisklessStorPool" };
        var definition = Definition("r1", 1024, Replica("a", 0), client, tiebreaker);

        var peers = DesiredStateRules.ForResource(definition, "A")!.Peers.ToDictionary(p => p.NodeName);

        Assert.Equal((true, false), (peers["c"].Diskless, peers["c"].TieBreaker));
        Assert.Equal((true, true), (peers["t"].Diskless, peers["t"].TieBreaker));
        Assert.True(DesiredStateRules.ForResource(definition, "T")!.Diskless);
    }

    [Fact]
    public void A_replica_still_being_added_is_not_desired_until_its_operation_completes()
    {
        var operation = new ResourceOperation(Guid.NewGuid(), "add", AllocationPolicy.Default, QuorumPolicy.Default, false, ["A"], []);
        var definition = Definition("r1", 1024, Replica("a", 0), Replica("b", 1)) with { Operation = operation };

        Assert.Null(DesiredStateRules.ForResource(definition, "A"));
        var onB = DesiredStateRules.ForResource(definition, "B")!;
        Assert.Empty(onB.Peers);
        Assert.NotNull(DesiredStateRules.ForResource(definition with { Operation = null }, "A"));
    }

    [Fact]
    public void Diff_lists_changed_added_and_removed_entries_only()
    {
        var before = DesiredStateRules.ForNode(Model([Node("a", ("files", ProviderKind.FileThin))], [Definition("r1", 1024, Replica("a", 0)), Definition("r2", 1024, Replica("a", 0))]), "A")!;
        var grown = before.Resources["R1"] with { Volumes = [new DesiredVolume(0, 4096, 1000)] };
        var added = before.Resources["R2"] with { Name = "r3" };
        var after = before with { Resources = before.Resources.SetItem("R1", grown).Remove("R2").Add("R3", added) };

        var change = DesiredStateRules.Diff(before, after);

        Assert.Equal(["r1", "r3"], change.ResourceUpserts.Select(r => r.Name).Order());
        Assert.Equal(["R2"], change.ResourceRemovals);
        Assert.Empty(change.PoolUpserts);
        Assert.True(DesiredStateRules.Diff(after, after).IsEmpty);
        // Applying the change on the agent's side gives the controller's new state.
        var applied = DesiredStateRules.Apply(before, change);
        Assert.True(DesiredStateRules.Diff(applied, after).IsEmpty);
    }

    [Fact]
    public void Refresh_looks_only_at_the_changed_entities_and_finds_grown_and_deleted_replicas()
    {
        var r1 = Definition("r1", 1024, Replica("a", 0));
        var r2 = Definition("r2", 1024, Replica("a", 0));
        var node = Node("a", ("files", ProviderKind.FileThin));
        var model = Model([node], [r1, r2]);
        var current = DesiredStateRules.ForNode(model, "A")!;
        var grown = r1 with { VolumeDefinitions = r1.VolumeDefinitions.SetItem(0, r1.VolumeDefinitions[0] with { SizeKiB = 8192 }) };
        var next = model.Upsert("resource|R1", 2, grown).Upsert("resource|R2", 2, r2 with { Exists = false });

        var (state, change) = DesiredStateRules.Refresh(current, next, "A", [("resource", "R1"), ("resource", "R2"), ("resource", "OTHER")]);

        Assert.Equal(8192, Assert.Single(change.ResourceUpserts).Volumes[0].SizeKiB);
        Assert.Equal(["R2"], change.ResourceRemovals);
        Assert.Equal(["R1"], state.Resources.Keys);
        var (same, none) = DesiredStateRules.Refresh(state, next, "A", [("resource", "R1")]);
        Assert.True(none.IsEmpty);
        Assert.Same(state, same);
    }

    [Fact]
    public void Refresh_picks_up_a_new_pool_of_the_node()
    {
        var model = Model([Node("a", ("files", ProviderKind.FileThin))], []);
        var current = DesiredStateRules.ForNode(model, "A")!;
        var next = model.Upsert("node|A", 2, Node("a", ("files", ProviderKind.FileThin), ("thin", ProviderKind.LvmThin)));

        var (state, change) = DesiredStateRules.Refresh(current, next, "A", [("node", "A"), ("node", "B")]);

        Assert.Equal("thin", Assert.Single(change.PoolUpserts).Name);
        Assert.Equal(["FILES", "THIN"], state.Pools.Keys);
    }

    private static NodeState WithAddress(NodeState node, string address) => node with
    {
        NetInterfaces = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("DEFAULT", new NetInterface("default", address, null, null, true, Guid.NewGuid()))]),
    };

    private static ResourceDefinitionState Drbd(ResourceDefinitionState definition, string group) =>
        definition with { LayerStack = ["DRBD", "STORAGE"], ResourceGroup = group };

    [Fact]
    public void Refresh_gives_a_peers_new_address_to_the_replicas_that_connect_to_it_and_only_to_them()
    {
        var a = WithAddress(Node("a", ("files", ProviderKind.FileThin)), "10.0.0.1");
        var b = WithAddress(Node("b", ("files", ProviderKind.FileThin)), "10.0.0.2");
        var withPeer = Drbd(Definition("r1", 1024, Replica("a", 0), Replica("b", 1)), "DfltRscGrp");
        var alone = Drbd(Definition("r2", 1024, Replica("a", 0)), "DfltRscGrp");
        var model = Model([a, b], [withPeer, alone]);
        var current = DesiredStateRules.ForNode(model, "A")!;

        var next = model.Upsert("node|B", 2, WithAddress(b, "10.0.0.22"));
        var (state, change) = DesiredStateRules.Refresh(current, next, "A", [("node", "B")]);

        var upsert = Assert.Single(change.ResourceUpserts);
        Assert.Equal("r1", upsert.Name);
        Assert.Equal("10.0.0.22", Assert.Single(upsert.Peers).Address);
        Assert.Equal("10.0.0.22", Assert.Single(state.Resources["R1"].Peers).Address);
    }

    [Fact]
    public void Refresh_passes_the_own_nodes_new_address_and_drbd_options_to_every_replica_it_hosts()
    {
        var a = WithAddress(Node("a", ("files", ProviderKind.FileThin)), "10.0.0.1");
        var model = Model([a], [Drbd(Definition("r1", 1024, Replica("a", 0)), "DfltRscGrp"), Drbd(Definition("r2", 1024, Replica("a", 0)), "DfltRscGrp")]);
        var current = DesiredStateRules.ForNode(model, "A")!;
        var moved = WithAddress(a, "10.0.0.9") with { Props = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("DrbdOptions/Net/ko-count", "4")]) };

        var (_, change) = DesiredStateRules.Refresh(current, model.Upsert("node|A", 2, moved), "A", [("node", "A")]);

        Assert.Equal(["r1", "r2"], change.ResourceUpserts.Select(r => r.Name));
        Assert.All(change.ResourceUpserts, r => Assert.Equal("10.0.0.9", r.Drbd!.LocalAddress));
        Assert.All(change.ResourceUpserts, r => Assert.Equal("4", r.Drbd!.Options["DrbdOptions/Net/ko-count"]));
    }

    [Fact]
    public void Refresh_passes_controller_drbd_options_to_every_replica_and_group_options_to_the_groups_replicas()
    {
        var a = WithAddress(Node("a", ("files", ProviderKind.FileThin)), "10.0.0.1");
        var model = Model([a], [Drbd(Definition("r1", 1024, Replica("a", 0)), "fast"), Drbd(Definition("r2", 1024, Replica("a", 0)), "DfltRscGrp")]);
        var current = DesiredStateRules.ForNode(model, "A")!;
        var timeout = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("DrbdOptions/Net/timeout", "90")]);

        var controller = model.Upsert("controller|CONTROLLER", 2, new Fabric.Core.Aggregates.Controller.ControllerState(timeout));
        var (_, all) = DesiredStateRules.Refresh(current, controller, "A", [("controller", "CONTROLLER")]);
        Assert.Equal(["r1", "r2"], all.ResourceUpserts.Select(r => r.Name));
        Assert.All(all.ResourceUpserts, r => Assert.Equal("90", r.Drbd!.Options["DrbdOptions/Net/timeout"]));

        var group = Fabric.Core.Aggregates.ResourceGroups.ResourceGroupAggregate.Instance.Initial("FAST") with { Exists = true, Name = "fast", Props = timeout };
        var (_, grouped) = DesiredStateRules.Refresh(current, model.Upsert("resource-group|FAST", 1, group), "A", [("resource-group", "FAST")]);
        Assert.Equal("r1", Assert.Single(grouped.ResourceUpserts).Name);
    }
}
