using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Aggregates.ResourceGroups;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Placement;
using Fabric.Core.Properties;
using Fabric.Core.Protocol;
using Fabric.Core.Views;

namespace Fabric.Core.Tests.Placement;

public sealed class PlacementInputsTests
{
    private static StoragePool Pool(string name, ProviderKind kind) => new(name, kind, Guid.NewGuid(), Props.Empty, null, false);

    private static NodeState Node(string name, params StoragePool[] pools) => NodeState.Absent(name.ToUpperInvariant()) with
    {
        Exists = true,
        Name = name,
        Props = Props.Empty.Add("Aux/rack", "r-" + name),
        StoragePools = pools.Append(Pool("DfltDisklessStorPool", ProviderKind.Diskless)).ToImmutableSortedDictionary(p => p.Name.ToUpperInvariant(), p => p, StringComparer.Ordinal),
    };

    private static Replica Replica(string node, string pool, long flags = 0) =>
        new(node, Guid.NewGuid(), 0, flags, pool, Props.Empty, 0, null, ImmutableSortedDictionary<int, ImmutableSortedDictionary<string, string>>.Empty);

    private static ResourceDefinitionState Rd(string name, long[] sizes, params Replica[] replicas) => ResourceDefinitionState.Absent(name.ToUpperInvariant()) with
    {
        Exists = true,
        Name = name,
        VolumeDefinitions = sizes.Select((s, i) => new VolumeDefinition(i, Guid.NewGuid(), s, Props.Empty, [], 1000 + i)).ToImmutableSortedDictionary(v => v.VolumeNumber, v => v),
        Replicas = replicas.ToImmutableSortedDictionary(r => r.NodeName.ToUpperInvariant(), r => r, StringComparer.Ordinal),
    };

    private static NodeLiveStatus Live(params PoolCapacity[] pools) => new(true, 0, Guid.NewGuid(), 1,
        pools.ToImmutableSortedDictionary(p => p.PoolName.ToUpperInvariant(), p => p, StringComparer.Ordinal), ["DRBD", "STORAGE"], []);

    [Fact]
    public void Candidates_take_liveness_and_capacity_from_the_board_and_reservations_from_the_replicas()
    {
        var model = ReadModel.Empty
            .Upsert("node|A", 1, Node("a", Pool("data", ProviderKind.LvmThin)))
            .Upsert("node|B", 1, Node("b", Pool("data", ProviderKind.LvmThin), Pool("silent", ProviderKind.Lvm)))
            .Upsert("node|C", 1, Node("c", Pool("data", ProviderKind.Lvm)))
            .Upsert("resource|R1", 1, Rd("r1", [100, 50], Replica("a", "data"), Replica("b", "data"), Replica("c", "DfltDisklessStorPool", ResourceFlags.DrbdDiskless)))
            .Upsert("resource|R2", 1, Rd("r2", [10], Replica("a", "data")));
        var board = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, NodeLiveStatus>
        {
            ["A"] = Live(new PoolCapacity("data", "LVM_THIN", 700, 1000)),
            ["B"] = Live(new PoolCapacity("data", "LVM_THIN", 800, 2000)),
            ["C"] = Live(new PoolCapacity("data", "LVM", 5, 5)) with { Online = false },
        });

        var nodes = PlacementInputs.Candidates(model, board).ToDictionary(n => n.Name);

        var a = nodes["a"].Pools.Single(p => p.PoolName == "data");
        Assert.True(nodes["a"].Online);
        Assert.Equal((700L, 1000L, 160L, 2), (a.FreeKiB!.Value, a.TotalKiB!.Value, a.ReservedKiB, a.ResourceCount));
        Assert.Equal(["R1", "R2"], nodes["a"].ResourceKeys.Order());
        Assert.Equal("r-a", nodes["a"].Props["Aux/rack"]);
        Assert.Contains("DRBD", nodes["a"].SupportedLayers);
        Assert.Null(nodes["b"].Pools.Single(p => p.PoolName == "silent").FreeKiB);
        Assert.Equal(150, nodes["b"].Pools.Single(p => p.PoolName == "data").ReservedKiB);
        Assert.False(nodes["c"].Online);
        Assert.Null(nodes["c"].Pools.Single(p => p.PoolName == "data").FreeKiB);
        Assert.Equal(["R1"], nodes["c"].ResourceKeys);
        Assert.Equal(0, nodes["c"].Pools.Single(p => p.PoolName == "DfltDisklessStorPool").ReservedKiB);

        var existing = PlacementInputs.Existing(model.Resource("R1")!, model);
        Assert.Equal([("a", ProviderKind.LvmThin, false), ("b", ProviderKind.LvmThin, false), ("c", ProviderKind.Diskless, true)],
            existing.Select(e => (e.NodeName, e.Kind, e.Diskless)));
    }

    [Fact]
    public void Request_merges_storage_pool_fields_and_keeps_unset_fields_empty()
    {
        var filter = new AutoSelectFilter { PlaceCount = 3, StoragePool = "data", StoragePoolList = ["DATA", "fast"], ProviderList = ["LVM", "bogus"], ReplicasOnDifferent = ["Aux/rack"] };

        var request = PlacementInputs.Request("r", 42, filter);

        Assert.Equal(["data", "fast"], request.StoragePools);
        Assert.Equal([ProviderKind.Lvm], request.Providers);
        Assert.Equal(3, request.PlaceCount);
        Assert.Equal(42, request.SizeKiB);
        Assert.Empty(request.NodeNames);
        Assert.False(request.DisklessOnRemaining);
    }

    [Fact]
    public void Max_size_is_the_largest_size_that_still_places()
    {
        static CandidateNode N(string name, long free, ProviderKind kind = ProviderKind.Lvm) => new(name, true, false, Props.Empty,
            [new CandidatePool("data", kind, free, 10_000, 0, 0, Props.Empty, null)], [], []);
        var nodes = new[] { N("a", 500), N("b", 300), N("c", 100) };

        var (answer, _) = SizeQuery.MaxSize(PlacementRequest.For("x", 0, 2), nodes, [], new PlacementSettings());
        Assert.Equal(300, answer!.MaxSizeKiB);
        Assert.Equal(["a", "b"], answer.Placement.Diskful.Select(p => p.NodeName).Order());

        var (none, outcome) = SizeQuery.MaxSize(PlacementRequest.For("x", 0, 4), nodes, [], new PlacementSettings());
        Assert.Null(none);
        Assert.IsType<PlacementOutcome.NotPlaced>(outcome);

        // Thin pools: min(free * ratio, total * ratio - reserved) with ratio 2.
        var thin = new[] { N("a", 1_000, ProviderKind.LvmThin), N("b", 2_000, ProviderKind.LvmThin) };
        var (thinAnswer, _) = SizeQuery.MaxSize(PlacementRequest.For("x", 0, 2), thin, [], new PlacementSettings(MaxOversubscriptionRatio: 2));
        Assert.Equal(2_000, thinAnswer!.MaxSizeKiB);
    }
}
