using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Entities;
using Fabric.Core.Properties;
using Fabric.Core.Runtime;

namespace Fabric.Core.Tests.Runtime;

public sealed class SqliteRecoveryTests
{
    [Fact]
    public async Task Node_and_pool_survive_a_restart_of_the_actor_system()
    {
        var dataDir = TestCluster.TempDataDir();
        var settings = TestCluster.Sqlite(dataDir);

        await using (var fabric = await FabricSystem.StartAsync(settings))
        {
            await fabric.WaitForReadModelAsync(TimeSpan.FromSeconds(30));
            var created = await fabric.AskAsync(EntityKind.Node, "ALPHA", new CreateNode("alpha", "satellite", Props.Empty, [new NetInterfaceSpec("default", "10.0.0.1", 3366, "plain", true)]));
            Assert.True(created.Accepted, string.Join("; ", created.Messages.Select(m => m.Message)));
            var pool = await fabric.AskAsync(EntityKind.Node, "ALPHA", new CreateStoragePool("pool1", "file_thin", ImmutableSortedDictionary<string, string>.Empty.Add("StorDriver/StorPoolName", "/srv/pool1"), null, false));
            Assert.True(pool.Accepted, string.Join("; ", pool.Messages.Select(m => m.Message)));
            Assert.NotNull(fabric.Views.Current.Node("ALPHA"));
        }

        await using (var fabric = await FabricSystem.StartAsync(settings with { ClusterPort = TestCluster.FreePort() }))
        {
            await fabric.WaitForReadModelAsync(TimeSpan.FromSeconds(30));
            var node = fabric.Views.Current.Node("ALPHA");
            Assert.NotNull(node);
            Assert.Equal("alpha", node.Name);
            Assert.Equal(NodeType.Satellite, node.Type);
            Assert.Equal(ProviderKind.FileThin, node.StoragePools["POOL1"].Kind);
            Assert.Equal("/srv/pool1", node.StoragePools["POOL1"].Props["StorDriver/StorPoolName"]);

            // The entity itself recovered too: a duplicate create is refused.
            var again = await fabric.AskAsync(EntityKind.Node, "ALPHA", new CreateNode("Alpha", "satellite", Props.Empty, []));
            Assert.False(again.Accepted);
            Assert.Equal(Fabric.Core.Api.ApiConsts.FailExistsNode, Fabric.Core.Api.ApiConsts.CodeOf(again.Messages[0].RetCode));
        }
    }
}
