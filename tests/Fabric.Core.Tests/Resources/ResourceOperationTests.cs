using System.Collections.Immutable;
using Fabric.Core.Aggregates.Allocators;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Allocation;
using Fabric.Core.Entities;
using Fabric.Core.Properties;
using Fabric.Core.Runtime;
using Fabric.Core.Tests.Runtime;

namespace Fabric.Core.Tests.Resources;

/// <summary>Resource operations through the real entities and allocators on a SQLite journal.</summary>
public sealed class ResourceOperationTests
{
    private static ReplicaSpec Diskful(string node) => new(node, "pool1", false, Props.Empty);

    private static CreateResourceDefinition Spawn(string name, ResourcePolicy policy, params string[] nodes) => new(
        name, null, "DfltRscGrp", null, Props.Empty, null, null, null,
        [new VolumeDefinitionSpec(null, 1024 * 1024, Props.Empty, []), new VolumeDefinitionSpec(null, 2048, Props.Empty, [])],
        nodes.Select(Diskful).ToImmutableList(),
        policy);

    [Fact]
    public async Task Spawn_assigns_minors_ports_and_node_ids_before_it_answers()
    {
        await using var fabric = await FabricSystem.StartAsync(TestCluster.Sqlite(TestCluster.TempDataDir()));
        await fabric.WaitForReadModelAsync(TimeSpan.FromSeconds(60));

        var first = await fabric.AskAsync(EntityKind.Resource, "RES1", Spawn("res1", ResourcePolicy.Default, "a", "b", "c"));
        var second = await fabric.AskAsync(EntityKind.Resource, "RES2", Spawn("res2", ResourcePolicy.Default, "a", "b"));

        Assert.True(first.Accepted, string.Join("; ", first.Messages.Select(m => m.Message + " " + m.Cause)));
        Assert.True(second.Accepted);
        var res1 = Assert.IsType<ResourceDefinitionState>(first.State);
        var res2 = Assert.IsType<ResourceDefinitionState>(second.State);
        Assert.Null(res1.Operation);
        Assert.Equal([1000, 1001], res1.VolumeDefinitions.Values.Select(v => v.Minor!.Value));
        Assert.Equal([1002, 1003], res2.VolumeDefinitions.Values.Select(v => v.Minor!.Value));
        Assert.Equal([0, 1, 2], res1.Replicas.Values.Select(r => r.NodeId).Order());
        Assert.All(res1.Replicas.Values, r => Assert.Equal(7000, r.Port));
        Assert.All(res2.Replicas.Values.Where(r => !r.IsTieBreaker), r => Assert.Equal(7001, r.Port));
        Assert.Equal("majority", res1.Props["DrbdOptions/Resource/quorum"]);
        Assert.Equal("off", res2.Props["DrbdOptions/Resource/quorum"]);
    }

    [Fact]
    public async Task An_exhausted_range_undoes_the_spawn_and_gives_every_number_back()
    {
        await using var fabric = await FabricSystem.StartAsync(TestCluster.Sqlite(TestCluster.TempDataDir()));
        await fabric.WaitForReadModelAsync(TimeSpan.FromSeconds(60));
        var narrow = ResourcePolicy.Default with
        {
            Allocation = AllocationPolicy.Default with { PortsByNode = ImmutableSortedDictionary<string, NumberRange>.Empty.Add("C", new NumberRange(7000, 7000)) },
        };
        Assert.True((await fabric.AskAsync(EntityKind.Resource, "RES1", Spawn("res1", narrow, "c"))).Accepted);

        var refused = await fabric.AskAsync(EntityKind.Resource, "RES2", Spawn("res2", narrow, "a", "b", "c"));

        Assert.False(refused.Accepted);
        var error = Assert.Single(refused.Messages);
        Assert.Contains("7000-7000", error.Message);
        Assert.Contains(NumberPools.TcpPortRangeProp, error.Correction);
        await WaitUntilAsync(() => fabric.Views.Current.Resources.TryGetValue("RES2", out var r) && !r.State.Exists && !r.State.HasWork);
        await WaitUntilAsync(() => HeldBy(fabric, AllocatorAggregate.MinorPool).All(o => o.StartsWith("RES1/", StringComparison.Ordinal))
            && HeldBy(fabric, AllocatorAggregate.TcpPortPool("A")).Count == 0
            && HeldBy(fabric, AllocatorAggregate.TcpPortPool("B")).Count == 0);
        Assert.Equal(2, HeldBy(fabric, AllocatorAggregate.MinorPool).Count);

        // The name is free again and the same request fits once the range is wider.
        var retried = await fabric.AskAsync(EntityKind.Resource, "RES2", Spawn("res2", ResourcePolicy.Default, "a", "b", "c"));
        Assert.True(retried.Accepted);
    }

    [Fact]
    public async Task Deleting_a_definition_gives_its_numbers_back()
    {
        await using var fabric = await FabricSystem.StartAsync(TestCluster.Sqlite(TestCluster.TempDataDir()));
        await fabric.WaitForReadModelAsync(TimeSpan.FromSeconds(60));
        Assert.True((await fabric.AskAsync(EntityKind.Resource, "RES1", Spawn("res1", ResourcePolicy.Default, "a", "b", "c"))).Accepted);

        Assert.True((await fabric.AskAsync(EntityKind.Resource, "RES1", new DeleteResourceDefinition())).Accepted);

        await WaitUntilAsync(() => HeldBy(fabric, AllocatorAggregate.MinorPool).Count == 0 && HeldBy(fabric, AllocatorAggregate.TcpPortPool("A")).Count == 0);
        var again = await fabric.AskAsync(EntityKind.Resource, "RES1", Spawn("res1", ResourcePolicy.Default, "a"));
        Assert.True(again.Accepted);
        Assert.Equal(1000, Assert.IsType<ResourceDefinitionState>(again.State).VolumeDefinitions[0].Minor);
    }

    private static IReadOnlyCollection<string> HeldBy(FabricSystem fabric, string allocator) =>
        fabric.Views.Current.Allocators.TryGetValue(allocator, out var a) ? a.State.ByOwner.Keys.ToList() : [];

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(100);
        }
        Assert.True(condition());
    }
}
