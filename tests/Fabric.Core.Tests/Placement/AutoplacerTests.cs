using System.Collections.Immutable;
using System.Diagnostics;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Placement;
using static Fabric.Core.Tests.Placement.B;

namespace Fabric.Core.Tests.Placement;

public class AutoplacerTests
{
    private static PlacementRequest Req(int count = 2, long size = 1_000) => PlacementRequest.For("res1", size, count);

    // ------------------------------------------------------------ targets

    [Fact]
    public void Places_on_the_pools_with_the_most_free_space()
    {
        var nodes = new[]
        {
            Node("a", Pool("p", free: 10_000)), Node("b", Pool("p", free: 50_000)),
            Node("c", Pool("p", free: 30_000)), Node("d", Pool("p", free: 20_000)),
        };
        var placed = Place(Req(2), nodes).Placed();
        Assert.Equal(["b", "c"], placed.NodeNames());
        Assert.Empty(placed.Diskless);
        Assert.All(placed.Diskful, r => Assert.False(r.Diskless));
    }

    [Fact]
    public void Without_counts_the_default_is_two_replicas()
    {
        var req = Req() with { PlaceCount = null };
        var placed = Place(req, [Node("a", Pool("p")), Node("b", Pool("p")), Node("c", Pool("p"))]).Placed();
        Assert.Equal(2, placed.Diskful.Count);
    }

    [Fact]
    public void Existing_diskful_replicas_count_toward_place_count_and_a_met_target_is_nothing_to_do()
    {
        var nodes = new[] { Node("a", Pool("p")), Node("b", Pool("p")), Node("c", Pool("p")) };
        var existing = new[] { new ExistingReplica("a", "p", ProviderKind.Lvm, false) };
        var placed = Place(Req(2), nodes, existing).Placed();
        var single = Assert.Single(placed.Diskful);
        Assert.NotEqual("a", single.NodeName);

        var two = new[] { existing[0], new ExistingReplica("b", "p", ProviderKind.Lvm, false) };
        Assert.IsType<PlacementOutcome.NothingToDo>(Place(Req(2), nodes, two));
    }

    [Fact]
    public void Additional_place_count_adds_on_top_of_existing_ones()
    {
        var nodes = new[] { Node("a", Pool("p")), Node("b", Pool("p")), Node("c", Pool("p")), Node("d", Pool("p")) };
        var existing = new[] { new ExistingReplica("a", "p", ProviderKind.Lvm, false), new ExistingReplica("b", "p", ProviderKind.Lvm, false) };
        var req = Req(2) with { PlaceCount = null, AdditionalPlaceCount = 1 };
        var placed = Place(req, nodes, existing).Placed();
        Assert.Single(placed.Diskful, r => r.NodeName is "c" or "d");
    }

    // ------------------------------------------------------------ node filters

    [Fact]
    public void Offline_node_is_excluded_and_named()
    {
        var nodes = new[] { Node("a", Pool("p")), Node("b", Pool("p")) with { Online = false } };
        var np = Place(Req(2), nodes).NotPlaced();
        Assert.Single(np.Exclusions, e => e.NodeName == "b" && e.Constraint == "node offline" && e.PoolName is null);
        Assert.Contains("node offline: b", np.Cause);
        Assert.Contains("Not enough nodes to place 2 replicas of 'res1': 1 candidate remains", np.Message);
        Assert.Contains("bring nodes online", np.Correction, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Evacuating_node_is_excluded()
    {
        var nodes = new[] { Node("a", Pool("p")), Node("b", Pool("p")) with { Evacuating = true }, Node("c", Pool("p", free: 1)) };
        var placed = Place(Req(2, size: 1), nodes).Placed();
        Assert.Equal(["a", "c"], placed.NodeNames());
    }

    [Fact]
    public void Node_with_any_replica_of_the_resource_is_excluded()
    {
        var nodes = new[] { Node("a", Pool("p", free: 90_000)), Node("b", Pool("p")), Node("c", Pool("p", free: 50_000)) };
        var existing = new[] { new ExistingReplica("b", Autoplacer.DefaultDisklessPool, ProviderKind.Diskless, true) };
        var placed = Place(Req(2), nodes, existing).Placed();
        Assert.Equal(["a", "c"], placed.NodeNames());

        // Also when only the node's resource list knows about it.
        var known = new[] { nodes[0], nodes[1].WithResources("RES1"), nodes[2] };
        Assert.Equal(["a", "c"], Place(Req(2), known).Placed().NodeNames());
    }

    [Fact]
    public void Node_name_list_restricts_the_nodes_case_insensitively()
    {
        var nodes = new[] { Node("a", Pool("p", free: 1_000)), Node("b", Pool("p")), Node("c", Pool("p", free: 2_000)) };
        var req = Req(2) with { NodeNames = ["A", "c"] };
        Assert.Equal(["a", "c"], Place(req, nodes).Placed().NodeNames());
    }

    [Fact]
    public void Storage_pool_list_restricts_the_pools_case_insensitively()
    {
        var nodes = new[] { Node("a", Pool("fast", free: 1_000), Pool("big", free: 90_000)), Node("b", Pool("Fast", free: 1_000)) };
        var req = Req(2) with { StoragePools = ["FAST"] };
        var placed = Place(req, nodes).Placed();
        Assert.All(placed.Diskful, r => Assert.Equal("FAST", r.PoolName.ToUpperInvariant()));

        var np = Place(Req(2) with { StoragePools = ["other"] }, nodes).NotPlaced();
        Assert.Contains("storage_pool: a (pool big), a (pool fast), b (pool Fast)", np.Cause);
    }

    [Fact]
    public void Diskful_placement_never_uses_diskless_pools()
    {
        var nodes = new[] { Node("a", Pool("p")), Node("b"), Node("c", Pool("p")) };
        var placed = Place(Req(2), nodes).Placed();
        Assert.Equal(["a", "c"], placed.NodeNames());
        var np = Place(Req(3), nodes).NotPlaced();
        Assert.Single(np.Exclusions, e => e.NodeName == "b" && e.Constraint == "no diskful storage pool");
    }

    [Fact]
    public void Provider_list_restricts_kinds()
    {
        var nodes = new[] { Node("a", Pool("lvm", free: 90_000), Pool("zfs", ProviderKind.Zfs, free: 10_000)), Node("b", Pool("zfs", ProviderKind.Zfs)) };
        var req = Req(2) with { Providers = [ProviderKind.Zfs] };
        Assert.All(Place(req, nodes).Placed().Diskful, r => Assert.Equal(ProviderKind.Zfs, r.Kind));
    }

    [Fact]
    public void Layer_stack_needs_every_layer_on_the_node_and_unknown_means_drbd_and_storage()
    {
        var nodes = new[]
        {
            Node("a", Pool("p")) with { SupportedLayers = ["STORAGE"] },
            Node("b", Pool("p")),
            Node("c", Pool("p")) with { SupportedLayers = ["DRBD", "STORAGE", "LUKS"] },
        };
        var drbd = Req(2) with { LayerStack = ["drbd", "storage"] };
        Assert.Equal(["b", "c"], Place(drbd, nodes).Placed().NodeNames());

        var luks = Req(1) with { LayerStack = ["DRBD", "LUKS", "STORAGE"] };
        Assert.Equal(["c"], Place(luks, nodes).Placed().NodeNames());
        var np = Place(Req(2) with { LayerStack = ["DRBD", "LUKS", "STORAGE"] }, nodes).NotPlaced();
        Assert.Single(np.Exclusions, e => e.NodeName == "b" && e.Constraint == "layer_stack" && e.Detail.Contains("LUKS"));
    }

    [Fact]
    public void Not_place_with_rsc_and_regex_exclude_nodes_hosting_those_resources()
    {
        var nodes = new[]
        {
            Node("a", Pool("p", free: 90_000)).WithResources("db1"),
            Node("b", Pool("p", free: 80_000)).WithResources("web-7"),
            Node("c", Pool("p", free: 10_000)),
            Node("d", Pool("p", free: 5_000)).WithResources("other"),
        };
        Assert.Equal(["b", "c"], Place(Req(2) with { NotPlaceWithRsc = ["DB1"] }, nodes).Placed().NodeNames());
        Assert.Equal(["a", "c"], Place(Req(2) with { NotPlaceWithRscRegex = "WEB-.*" }, nodes).Placed().NodeNames());
        // The regex must match the whole name, like LINSTOR's Matcher.matches.
        Assert.Equal(["a", "b"], Place(Req(2) with { NotPlaceWithRscRegex = "web" }, nodes).Placed().NodeNames());

        var np = Place(Req(3) with { NotPlaceWithRsc = ["db1"], NotPlaceWithRscRegex = "web-\\d" }, nodes).NotPlaced();
        Assert.Contains("not_place_with_rsc: a", np.Cause);
        Assert.Contains("not_place_with_rsc_regex: b", np.Cause);
    }

    [Fact]
    public void An_invalid_regex_is_not_placed_with_a_clear_message()
    {
        var np = Place(Req(1) with { NotPlaceWithRscRegex = "([a-" }, [Node("a", Pool("p"))]).NotPlaced();
        Assert.Contains("not_place_with_rsc_regex", np.Message);
        Assert.Contains("not a valid regular expression", np.Message);
    }

    [Fact]
    public void AutoplaceTarget_false_on_node_or_pool_excludes()
    {
        var nodes = new[]
        {
            Node("a", Pool("p", free: 90_000)).WithProps((Autoplacer.AutoplaceTargetProp, "false")),
            Node("b", Pool("p", free: 80_000, props: (Autoplacer.AutoplaceTargetProp, "False")), Pool("q", free: 1_000)),
            Node("c", Pool("p", free: 10_000)),
        };
        var placed = Place(Req(2), nodes).Placed();
        Assert.Equal(["b", "c"], placed.NodeNames());
        Assert.Single(placed.Diskful, r => r.NodeName == "b" && r.PoolName == "q");
    }

    // ------------------------------------------------------------ capacity

    [Fact]
    public void Pool_without_reported_capacity_is_excluded()
    {
        var np = Place(Req(2), [Node("a", Pool("p")), Node("b", Pool("p", free: null))]).NotPlaced();
        Assert.Single(np.Exclusions, e => e.NodeName == "b" && e.PoolName == "p" && e.Constraint == "no capacity reported");
    }

    [Fact]
    public void Fat_pool_needs_the_full_size_free()
    {
        var nodes = new[] { Node("a", Pool("p", free: 999)), Node("b", Pool("p", free: 1_000)), Node("c", Pool("p", free: 5_000)) };
        Assert.Equal(["b", "c"], Place(Req(2, size: 1_000), nodes).Placed().NodeNames());
        var np = Place(Req(3, size: 1_000), nodes).NotPlaced();
        Assert.Single(np.Exclusions, e => e.NodeName == "a" && e.Constraint == "free space");
        Assert.Contains("free space: a (pool p)", np.Cause);
    }

    [Fact]
    public void Thin_pool_may_oversubscribe_up_to_the_ratio_minus_what_is_reserved()
    {
        // free 1000 of 1000 total: ratio 20 gives 20000 KiB, minus 15000 reserved = 5000.
        var thin = Pool("t", ProviderKind.LvmThin, free: 1_000, total: 1_000, reserved: 15_000);
        Assert.IsType<PlacementOutcome.Placed>(Place(Req(1, size: 5_000), [Node("a", thin)]));
        Assert.IsType<PlacementOutcome.NotPlaced>(Place(Req(1, size: 5_001), [Node("a", thin)]));
        var strict = new PlacementSettings(MaxOversubscriptionRatio: 1);
        Assert.IsType<PlacementOutcome.NotPlaced>(Place(Req(1, size: 1_000), [Node("a", thin with { ReservedKiB = 1 })], settings: strict));
        Assert.IsType<PlacementOutcome.Placed>(Place(Req(1, size: 1_000), [Node("a", thin with { ReservedKiB = 0 })], settings: strict));
    }

    [Fact]
    public void Thin_pool_below_min_free_percent_is_excluded()
    {
        var nearlyFull = Pool("t", ProviderKind.ZfsThin, free: 99, total: 1_000);
        var np = Place(Req(1, size: 10), [Node("a", nearlyFull)]).NotPlaced();
        Assert.Single(np.Exclusions, e => e.Constraint == PlacementSettings.MinThinFreeSpaceKey);
        Assert.IsType<PlacementOutcome.Placed>(Place(Req(1, size: 10), [Node("a", nearlyFull with { FreeKiB = 100 })]));
        Assert.IsType<PlacementOutcome.Placed>(Place(Req(1, size: 10), [Node("a", nearlyFull)], settings: new PlacementSettings(MinThinFreeSpacePercent: 5)));
    }

    // ------------------------------------------------------------ replica constraints

    [Fact]
    public void Replicas_on_same_bare_key_keeps_all_replicas_on_one_value()
    {
        var nodes = new[]
        {
            Node("a", Pool("p", free: 90_000)).Rack("r1"),
            Node("b", Pool("p", free: 80_000)).Rack("r2"),
            Node("c", Pool("p", free: 10_000)).Rack("r1"),
            Node("d", Pool("p", free: 99_000)),
        };
        var req = Req(2) with { ReplicasOnSame = ["Aux/rack"] };
        var np0 = Place(req with { PlaceCount = 3 }, nodes).NotPlaced();
        Assert.Single(np0.Exclusions, e => e.NodeName == "d" && e.Constraint == "replicas_on_same(Aux/rack)");
        Assert.Equal(["a", "c"], Place(req, nodes).Placed().NodeNames());

        // The existing replica pins the value.
        var existing = new[] { new ExistingReplica("e", "p", ProviderKind.Lvm, false) };
        var withE = nodes.Append(Node("e", Pool("p")).Rack("r2")).ToArray();
        var np = Place(req with { PlaceCount = 3 }, withE, existing).NotPlaced();
        Assert.Contains("replicas_on_same(Aux/rack): a, c, d", np.Cause);
        Assert.Contains("relax replicas_on_same", np.Correction, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["b"], Place(req with { PlaceCount = 2 }, withE, existing).Placed().NodeNames());
    }

    [Fact]
    public void Replicas_on_same_with_conflicting_existing_values_is_not_placed()
    {
        var nodes = new[] { Node("a", Pool("p")).Rack("r1"), Node("b", Pool("p")).Rack("r2"), Node("c", Pool("p")).Rack("r1") };
        var existing = new[] { new ExistingReplica("a", "p", ProviderKind.Lvm, false), new ExistingReplica("b", "p", ProviderKind.Lvm, false) };
        var np = Place(Req(3) with { ReplicasOnSame = ["Aux/rack"] }, nodes, existing).NotPlaced();
        Assert.Contains("replicas_on_same(Aux/rack)", np.Message);
        Assert.Contains("r1, r2", np.Cause);
    }

    [Fact]
    public void Replicas_on_same_key_value_requires_that_value()
    {
        var nodes = new[] { Node("a", Pool("p", free: 90_000)).Rack("r1"), Node("b", Pool("p")).Rack("r2"), Node("c", Pool("p", free: 10)).Rack("r2") };
        Assert.Equal(["b", "c"], Place(Req(2, size: 1) with { ReplicasOnSame = ["Aux/rack=r2"] }, nodes).Placed().NodeNames());
    }

    [Fact]
    public void Replicas_on_different_spreads_over_values_and_nodes_lacking_the_key_count_as_distinct()
    {
        var nodes = new[]
        {
            Node("a", Pool("p", free: 90_000)).Rack("r1"),
            Node("b", Pool("p", free: 89_000)).Rack("r1"),
            Node("c", Pool("p", free: 10_000)).Rack("r2"),
            Node("d", Pool("p", free: 5_000)),
            Node("e", Pool("p", free: 4_000)),
        };
        var req = Req(2, size: 1) with { ReplicasOnDifferent = ["Aux/rack"] };
        Assert.Equal(["a", "c"], Place(req, nodes).Placed().NodeNames());
        Assert.Equal(["a", "c", "d", "e"], Place(req with { PlaceCount = 4 }, nodes).Placed().NodeNames());

        var np = Place(req with { PlaceCount = 5 }, nodes).NotPlaced();
        Assert.Contains("5 candidates remain, but no 5 of them satisfy replicas_on_different(Aux/rack)", np.Message);
        Assert.Contains("relax replicas_on_different", np.Correction, StringComparison.OrdinalIgnoreCase);

        // Existing replica in r1 removes r1 nodes up front, naming them.
        var existing = new[] { new ExistingReplica("a", "p", ProviderKind.Lvm, false) };
        var np2 = Place(req with { PlaceCount = 5 }, nodes, existing).NotPlaced();
        Assert.Single(np2.Exclusions, e => e.NodeName == "b" && e.Constraint == "replicas_on_different(Aux/rack)");
    }

    [Fact]
    public void Replicas_on_different_key_value_excludes_nodes_with_that_value()
    {
        var nodes = new[] { Node("a", Pool("p", free: 90_000)).Rack("bad"), Node("b", Pool("p")).Rack("r2"), Node("c", Pool("p")) };
        Assert.Equal(["b", "c"], Place(Req(2) with { ReplicasOnDifferent = ["Aux/rack=bad"] }, nodes).Placed().NodeNames());
    }

    [Fact]
    public void X_replicas_on_different_caps_replicas_per_value()
    {
        var nodes = new[]
        {
            Node("a", Pool("p", free: 90_000)).Rack("r1"), Node("b", Pool("p", free: 80_000)).Rack("r1"),
            Node("c", Pool("p", free: 70_000)).Rack("r1"), Node("d", Pool("p", free: 1_000)).Rack("r2"),
        };
        var req = Req(3) with { XReplicasOnDifferent = ImmutableSortedDictionary<string, int>.Empty.Add("Aux/rack", 2) };
        Assert.Equal(["a", "b", "d"], Place(req, nodes).Placed().NodeNames());
        Assert.IsType<PlacementOutcome.NotPlaced>(Place(req with { PlaceCount = 4 }, nodes));
    }

    // ------------------------------------------------------------ rating

    [Fact]
    public void Min_reserved_space_weight_prefers_pools_with_less_reserved()
    {
        var nodes = new[]
        {
            Node("a", Pool("p", free: 100_000, reserved: 90_000)),
            Node("b", Pool("p", free: 90_000, reserved: 0)),
            Node("c", Pool("p", free: 95_000, reserved: 10_000)),
        };
        Assert.Equal(["a"], Place(Req(1), nodes).Placed().NodeNames());
        var settings = new PlacementSettings(MinReservedSpaceWeight: 1);
        Assert.Equal(["b"], Place(Req(1), nodes, settings: settings).Placed().NodeNames());
    }

    [Fact]
    public void Min_resource_count_weight_prefers_pools_with_fewer_resources()
    {
        var nodes = new[] { Node("a", Pool("p", free: 100_000, resources: 50)), Node("b", Pool("p", free: 99_000, resources: 1)) };
        Assert.Equal(["a"], Place(Req(1), nodes).Placed().NodeNames());
        var settings = new PlacementSettings(MaxFreeSpaceWeight: 1, MinRscCountWeight: 1);
        Assert.Equal(["b"], Place(Req(1), nodes, settings: settings).Placed().NodeNames());
    }

    [Fact]
    public void Score_is_the_sum_of_normalised_weighted_strategy_values()
    {
        var nodes = new[] { Node("a", Pool("p", free: 100, reserved: 10, resources: 2)), Node("b", Pool("p", free: 50, reserved: 20, resources: 4)) };
        var settings = new PlacementSettings(MaxFreeSpaceWeight: 2, MinReservedSpaceWeight: 1, MinRscCountWeight: 0.5);
        var placed = Place(Req(1, size: 1), nodes, settings: settings).Placed();
        // a: 2*1 - 1*0.5 - 0.5*0.5 = 1.25; b: 2*0.5 - 1 - 0.5 = -0.5.
        Assert.Equal(["a"], placed.NodeNames());
        Assert.Equal(1.25, placed.Score, 9);
        Assert.Equal(0.75, Place(Req(2, size: 1), nodes, settings: settings).Placed().Score, 9);
    }

    [Fact]
    public void One_pool_per_node_the_best_one()
    {
        var nodes = new[] { Node("a", Pool("p1", free: 90_000), Pool("p2", free: 95_000)), Node("b", Pool("p", free: 10_000)) };
        var placed = Place(Req(2), nodes).Placed();
        Assert.Equal(["a", "b"], placed.NodeNames());
        Assert.Single(placed.Diskful, r => r.PoolName == "p2");
    }

    [Fact]
    public void Selection_is_exact_where_greedy_would_fail()
    {
        // Greedy takes a (r1, best) and then cannot complete 3 distinct racks with the remaining r1 pair;
        // the best valid set skips a.
        var nodes = new[]
        {
            Node("a", Pool("p", free: 100_000)).Rack("r1"),
            Node("b", Pool("p", free: 99_000)).Rack("r2"),
            Node("c", Pool("p", free: 98_000)).Rack("r2"),
            Node("d", Pool("p", free: 10_000)).Rack("r3"),
            Node("e", Pool("p", free: 9_000)).Rack("r1"),
        };
        var req = Req(3) with { ReplicasOnDifferent = ["Aux/rack"] };
        Assert.Equal(["a", "b", "d"], Place(req, nodes).Placed().NodeNames());
    }

    // ------------------------------------------------------------ mixing and shared space

    [Fact]
    public void Providers_do_not_mix_without_the_setting_and_mix_within_a_family_with_it()
    {
        var nodes = new[]
        {
            Node("a", Pool("p")),
            Node("b", Pool("thin", ProviderKind.LvmThin, free: 150_000)),
            Node("c", Pool("z", ProviderKind.Zfs, free: 140_000)),
            Node("d", Pool("p", free: 1_000)),
        };
        var existing = new[] { new ExistingReplica("a", "p", ProviderKind.Lvm, false) };
        var np = Place(Req(2), nodes, existing).Placed();
        Assert.Equal(["d"], np.NodeNames());
        var excluded = Place(Req(4), nodes, existing).NotPlaced();
        Assert.Single(excluded.Exclusions, e => e.NodeName == "b" && e.Constraint == "provider mixing");
        Assert.Contains("AllowMixingStoragePoolDriver", excluded.Correction);

        var mixing = new PlacementSettings(AllowMixingProviders: true);
        Assert.Equal(["b"], Place(Req(2), nodes, existing, mixing).Placed().NodeNames());
        Assert.Equal(["b", "d"], Place(Req(3), nodes, existing, mixing).Placed().NodeNames());
    }

    [Fact]
    public void New_replicas_do_not_mix_among_themselves()
    {
        var nodes = new[]
        {
            Node("a", Pool("z", ProviderKind.Zfs, free: 150_000)),
            Node("b", Pool("p", free: 100_000)),
            Node("c", Pool("p", free: 90_000)),
        };
        Assert.Equal(["b", "c"], Place(Req(2), nodes).Placed().NodeNames());
    }

    [Fact]
    public void At_most_one_replica_per_shared_space()
    {
        var nodes = new[]
        {
            Node("a", Pool("p", free: 100_000, shared: "san1")),
            Node("b", Pool("p", free: 99_000, shared: "san1")),
            Node("c", Pool("p", free: 10_000)),
        };
        Assert.Equal(["a", "c"], Place(Req(2), nodes).Placed().NodeNames());
        var existing = new[] { new ExistingReplica("a", "p", ProviderKind.Lvm, false) };
        var np = Place(Req(3), nodes, existing).NotPlaced();
        Assert.Single(np.Exclusions, e => e.NodeName == "b" && e.Constraint == "shared space");
    }

    // ------------------------------------------------------------ diskless

    [Fact]
    public void Diskless_on_remaining_adds_a_diskless_replica_on_every_other_eligible_node()
    {
        var nodes = new[]
        {
            Node("a", Pool("p", free: 90_000)), Node("b", Pool("p", free: 80_000)),
            Node("c", Pool("p", free: 1_000)), Node("d"),
            Node("e") with { Online = false }, Node("f").WithResources("db"),
            new CandidateNode("g", true, false, Props(), [Pool("p", free: 10)], [], []), // no diskless pool
            Node("h") with { Evacuating = true },
        };
        var req = Req(2) with { DisklessOnRemaining = true, NotPlaceWithRsc = ["db"] };
        var placed = Place(req, nodes).Placed();
        Assert.Equal(["a", "b"], placed.NodeNames());
        Assert.Equal(["c", "d"], placed.Diskless.Select(r => r.NodeName));
        Assert.All(placed.Diskless, r =>
        {
            Assert.True(r.Diskless);
            Assert.Equal(ProviderKind.Diskless, r.Kind);
            Assert.Equal(Autoplacer.DefaultDisklessPool, r.PoolName);
        });

        Assert.Empty(Place(req with { DisklessOnRemaining = false }, nodes).Placed().Diskless);
    }

    [Fact]
    public void Diskless_on_remaining_uses_the_requested_diskless_pools()
    {
        var nodes = new[]
        {
            Node("a", Pool("p")), Node("b", Pool("p")),
            Node("c") with { Pools = [Diskless(), Diskless("dl2")] },
            Node("d"),
        };
        var req = Req(2) with { DisklessOnRemaining = true, DisklessStoragePools = ["DL2"] };
        var placed = Place(req, nodes).Placed();
        var single = Assert.Single(placed.Diskless);
        Assert.Equal(("c", "dl2"), (single.NodeName, single.PoolName));
    }

    [Fact]
    public void Unsupported_diskless_type_is_not_placed()
    {
        var nodes = new[] { Node("a", Pool("p")) };
        Assert.IsType<PlacementOutcome.Placed>(Place(Req(1) with { DisklessType = "drbd_diskless" }, nodes));
        var np = Place(Req(1) with { DisklessType = "NVME_INITIATOR" }, nodes).NotPlaced();
        Assert.Contains("NVME_INITIATOR", np.Message);
        Assert.Contains("not supported", np.Message);
    }

    [Fact]
    public void Tiebreaker_goes_to_the_eligible_diskless_node_with_fewest_resources_then_name()
    {
        var nodes = new[]
        {
            Node("a", Pool("p")), Node("b", Pool("p")),
            Node("c").WithResources("x", "y"), Node("e").WithResources("x"), Node("d").WithResources("z"),
            Node("f") with { Online = false }, Node("g") with { Evacuating = true },
            new CandidateNode("h", true, false, Props(), [], [], []),
        };
        var existing = new[] { new ExistingReplica("a", "p", ProviderKind.Lvm, false), new ExistingReplica("b", "p", ProviderKind.Lvm, false) };
        var tb = Autoplacer.PlaceTiebreaker("res1", nodes, existing, []);
        Assert.NotNull(tb);
        Assert.Equal(new PlacedReplica("d", Autoplacer.DefaultDisklessPool, ProviderKind.Diskless, true), tb);

        Assert.Null(Autoplacer.PlaceTiebreaker("res1", nodes, existing, ["nope"]));
        Assert.Null(Autoplacer.PlaceTiebreaker("res1", nodes.Take(2).ToList(), existing, []));
    }

    // ------------------------------------------------------------ removal

    [Fact]
    public void Choose_to_remove_prefers_violations_then_least_free_space_then_name()
    {
        var nodes = new[]
        {
            Node("a", Pool("p", free: 10_000)).Rack("r1"),
            Node("b", Pool("p", free: 90_000)).Rack("r1"),
            Node("c", Pool("p", free: 5_000)).Rack("r2"),
            Node("d", Pool("p", free: 5_000)).Rack("r3"),
        };
        var existing = nodes.Select(n => new ExistingReplica(n.Name, "p", ProviderKind.Lvm, false))
            .Append(new ExistingReplica("x", Autoplacer.DefaultDisklessPool, ProviderKind.Diskless, true)).ToList();

        // No constraints: least free space, then name.
        Assert.Equal(["c", "d"], Autoplacer.ChooseToRemove(Req(2), nodes, existing, 2).Select(r => r.NodeName));

        // a and b share r1: one of them (less free: a) goes first, after that nothing violates.
        var different = Req(2) with { ReplicasOnDifferent = ["Aux/rack"] };
        Assert.Equal(["a", "c"], Autoplacer.ChooseToRemove(different, nodes, existing, 2).Select(r => r.NodeName));

        // Offline node violates.
        var offline = nodes.Select(n => n.Name == "b" ? n with { Online = false } : n).ToList();
        Assert.Equal(["b"], Autoplacer.ChooseToRemove(Req(2), offline, existing, 1).Select(r => r.NodeName));

        // Never more than the diskful replicas, never diskless ones.
        Assert.Equal(4, Autoplacer.ChooseToRemove(Req(2), nodes, existing, 10).Count);
        Assert.Empty(Autoplacer.ChooseToRemove(Req(2), nodes, existing, 0));
    }

    // ------------------------------------------------------------ settings, determinism, speed

    [Fact]
    public void Settings_are_read_from_controller_props_with_defaults_for_bad_values()
    {
        var s = PlacementSettings.FromControllerProps(new Dictionary<string, string>
        {
            [PlacementSettings.MaxFreeSpaceWeightKey] = "2.5",
            [PlacementSettings.MinReservedSpaceWeightKey] = "abc",
            [PlacementSettings.MinRscCountWeightKey] = "0.5",
            [PlacementSettings.MaxOversubscriptionRatioKey] = "-3",
            [PlacementSettings.MinThinFreeSpaceKey] = "25%",
            [PlacementSettings.AllowMixingKey] = "True",
        });
        Assert.Equal(new PlacementSettings(2.5, 0.0, 0.5, 20, 25, true), s);
        Assert.Equal(new PlacementSettings(), PlacementSettings.FromControllerProps(new Dictionary<string, string>()));
        Assert.Equal(1.5, PlacementSettings.FromControllerProps(new Dictionary<string, string> { ["MaxOversubscriptionRatio"] = "1.5" }).MaxOversubscriptionRatio);
    }

    [Fact]
    public void Same_inputs_in_any_order_give_the_same_result()
    {
        var nodes = Enumerable.Range(0, 12).Select(i => Node($"n{i:00}", Pool("p", free: 50_000 + (i % 3) * 10)).Rack($"r{i % 4}")).ToList();
        var req = Req(3) with { ReplicasOnDifferent = ["Aux/rack"] };
        var first = Place(req, nodes).Placed();
        var shuffled = nodes.OrderBy(n => n.Name.GetHashCode(StringComparison.Ordinal)).Reverse().ToList();
        var second = Place(req, shuffled).Placed();
        Assert.Equal(first.Diskful, second.Diskful);
        Assert.Equal(first.Score, second.Score);
    }

    [Fact]
    public void Hundred_nodes_two_pools_place_three_on_different_racks_is_fast()
    {
        var rnd = new Random(42);
        var nodes = Enumerable.Range(0, 100).Select(i => Node(
                $"node-{i:000}",
                Pool("fast", ProviderKind.LvmThin, free: rnd.Next(100_000, 1_000_000), total: 2_000_000, reserved: rnd.Next(0, 500_000), resources: rnd.Next(0, 40)),
                Pool("slow", free: rnd.Next(100_000, 1_000_000), total: 2_000_000, resources: rnd.Next(0, 40)))
            .Rack($"rack{i % 10}"))
            .ToList();
        var req = Req(3, size: 50_000) with { ReplicasOnDifferent = ["Aux/rack"], Providers = [] };
        var settings = new PlacementSettings(AllowMixingProviders: true);
        Place(req, nodes, settings: settings); // warm up
        var best = TimeSpan.MaxValue;
        PlacementOutcome.Placed? placed = null;
        for (int i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            placed = Place(req, nodes, settings: settings).Placed();
            sw.Stop();
            best = sw.Elapsed < best ? sw.Elapsed : best;
        }

        Assert.Equal(3, placed!.Diskful.Select(r => nodes.Single(n => n.Name == r.NodeName).Props["Aux/rack"]).Distinct().Count());
        Assert.True(best < TimeSpan.FromMilliseconds(10), $"took {best.TotalMilliseconds} ms");
    }
}
