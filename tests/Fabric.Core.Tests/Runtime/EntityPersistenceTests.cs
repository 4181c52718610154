using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Api;
using Fabric.Core.Entities;
using Fabric.Core.Properties;
using Fabric.Core.Runtime;
using Fabric.Core.Views;

namespace Fabric.Core.Tests.Runtime;

/// <summary>Entities and the read model on real journals: SQLite files and PostgreSQL 15.</summary>
public sealed class EntityPersistenceTests
{
    private static CreateNode Create(string name) =>
        new(name, "satellite", Props.Empty, [new NetInterfaceSpec("default", "10.0.0.1", null, null, true)]);

    private static ModifyNode SetProp(int i) => new(null, PropsChange.Of(new Dictionary<string, string> { [$"Aux/k{i:D3}"] = $"v{i}" }));

    private static async Task<CommandReply> AskOkAsync(FabricSystem fabric, string key, INodeCommand command)
    {
        var reply = await fabric.AskAsync(EntityKind.Node, key, command);
        Assert.True(reply.Accepted, string.Join("; ", reply.Messages.Select(m => m.Message)));
        return reply;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Timed out waiting for {what}.");
    }

    [Theory]
    [MemberData(nameof(JournalUnderTest.Kinds), MemberType = typeof(JournalUnderTest))]
    public async Task State_is_recovered_after_the_actor_system_restarts(string kind)
    {
        await using var journal = await JournalUnderTest.CreateAsync(kind);
        await using (var fabric = await FabricSystem.StartAsync(journal.Settings))
        {
            await fabric.WaitForReadModelAsync(TimeSpan.FromSeconds(60));
            await AskOkAsync(fabric, "BRAVO", Create("bravo"));
            await AskOkAsync(fabric, "BRAVO", new CreateStoragePool("thin", "LVM_THIN", ImmutableSortedDictionary<string, string>.Empty.Add("StorDriver/StorPoolName", "vg/thin"), null, false));
            await AskOkAsync(fabric, "BRAVO", SetProp(1));
        }

        await using (var fabric = await FabricSystem.StartAsync(journal.Restarted()))
        {
            await fabric.WaitForReadModelAsync(TimeSpan.FromSeconds(60));
            var node = fabric.Views.Current.Node("BRAVO");
            Assert.NotNull(node);
            Assert.Equal("v1", node.Props["Aux/k001"]);
            Assert.Equal(ProviderKind.LvmThin, node.StoragePools["THIN"].Kind);

            // The entity recovered as well: it refuses a second create and keeps counting sequence numbers.
            var again = await fabric.AskAsync(EntityKind.Node, "BRAVO", Create("BRAVO"));
            Assert.False(again.Accepted);
            Assert.Equal(ApiConsts.FailExistsNode, ApiConsts.CodeOf(again.Messages[0].RetCode));
            var next = await AskOkAsync(fabric, "BRAVO", SetProp(2));
            Assert.Equal(6, next.SequenceNr);
        }
    }

    [Theory]
    [MemberData(nameof(JournalUnderTest.Kinds), MemberType = typeof(JournalUnderTest))]
    public async Task Entity_recovers_from_its_snapshot_when_the_covered_events_are_gone(string kind)
    {
        await using var journal = await JournalUnderTest.CreateAsync(kind);
        var settings = journal.Settings with { EntitySnapshotEvery = 10 };
        await using (var fabric = await FabricSystem.StartAsync(settings))
        {
            await fabric.WaitForReadModelAsync(TimeSpan.FromSeconds(60));
            await AskOkAsync(fabric, "SNAP", Create("snap"));
            for (var i = 0; i < 25; i++)
            {
                await AskOkAsync(fabric, "SNAP", SetProp(i));
            }
            await WaitForAsync(async () => await journal.ScalarAsync("SELECT MAX(sequence_number) FROM snapshot WHERE persistence_id = 'node|SNAP'") >= 20, "the entity snapshot");
        }

        var snapshotSeq = await journal.ScalarAsync("SELECT MAX(sequence_number) FROM snapshot WHERE persistence_id = 'node|SNAP'");
        var deleted = await journal.ExecuteAsync($"DELETE FROM journal WHERE persistence_id = 'node|SNAP' AND sequence_number <= {snapshotSeq}");
        Assert.Equal(snapshotSeq, deleted);

        await using (var fabric = await FabricSystem.StartAsync(journal.Restarted(s => s with { EntitySnapshotEvery = 10 })))
        {
            var reply = await AskOkAsync(fabric, "SNAP", SetProp(99));
            var state = Assert.IsType<NodeState>(reply.State);
            Assert.Equal(26, state.Props.Count);
            Assert.All(Enumerable.Range(0, 25), i => Assert.Equal($"v{i}", state.Props[$"Aux/k{i:D3}"]));
            Assert.Equal("snap", state.Name);
        }
    }

    [Theory]
    [MemberData(nameof(JournalUnderTest.Kinds), MemberType = typeof(JournalUnderTest))]
    public async Task Read_model_starts_from_its_snapshot_and_folds_only_the_tail(string kind)
    {
        await using var journal = await JournalUnderTest.CreateAsync(kind);
        var settings = journal.Settings with { ReadModelSnapshotEvery = 20 };
        await using (var fabric = await FabricSystem.StartAsync(settings))
        {
            await fabric.WaitForReadModelAsync(TimeSpan.FromSeconds(60));
            for (var n = 0; n < 10; n++)
            {
                await AskOkAsync(fabric, $"RM{n}", Create($"rm{n}"));
                await AskOkAsync(fabric, $"RM{n}", SetProp(n));
            }
            await WaitForAsync(async () => await journal.ScalarAsync($"SELECT COUNT(*) FROM snapshot WHERE persistence_id = '{ProjectionActor.SnapshotPersistenceId}'") > 0, "the read model snapshot");
        }

        // Remove every event the snapshot covers: what the read model still shows came from the snapshot.
        var offset = await journal.ScalarAsync($"SELECT MAX(sequence_number) FROM snapshot WHERE persistence_id = '{ProjectionActor.SnapshotPersistenceId}'");
        Assert.True(offset > 0);
        var covered = await journal.ExecuteAsync($"DELETE FROM journal WHERE ordering <= {offset}");
        Assert.Equal(offset, covered);
        await journal.ExecuteAsync($"DELETE FROM tags WHERE ordering_id <= {offset}");

        await using (var fabric = await FabricSystem.StartAsync(journal.Restarted()))
        {
            await fabric.WaitForReadModelAsync(TimeSpan.FromSeconds(60));
            var model = fabric.Views.Current;
            Assert.Equal(Enumerable.Range(0, 10).Select(n => $"rm{n}"), model.ExistingNodes.Select(n => n.Name).Order());
            Assert.All(Enumerable.Range(0, 10), n => Assert.Equal($"v{n}", model.Node($"RM{n}")!.Props[$"Aux/k{n:D3}"]));
        }
    }
}
