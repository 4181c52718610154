using System.Net;
using System.Text.Json;
using Fabric.Core.Api;
using Fabric.Core.Runtime;
using Fabric.Core.Tests.Infrastructure;
using Fabric.Core.Tests.Runtime;
using Fabric.Host.Api;
using Fabric.Host.Tests.Infrastructure;

namespace Fabric.Host.Tests.Rest;

/// <summary>
/// A real host (combined role) and a fake node agent publishing from a second, satellite-only
/// actor system that joins the host's cluster: REST shows what the agent reports, and forgets it
/// when the agent goes silent.
/// </summary>
public sealed class NodeStatusApiTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static async Task<JsonElement> NodeAsync(RunningHost host, string name) =>
        Assert.Single((await host.GetJsonAsync("/v1/nodes")).EnumerateArray(), n => n.GetProperty("name").GetString() == name);

    private static async Task<Dictionary<string, JsonElement>> PoolsAsync(RunningHost host, string node) =>
        (await host.GetJsonAsync($"/v1/view/storage-pools?nodes={node}")).EnumerateArray()
            .ToDictionary(p => p.GetProperty("storage_pool_name").GetString()!, StringComparer.Ordinal);

    private static async Task UntilStatusAsync(RunningHost host, string node, string status)
    {
        var deadline = DateTime.UtcNow + Wait;
        while ((await NodeAsync(host, node)).GetProperty("connection_status").GetString() != status)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{node} did not become {status} in {Wait}.");
            await Task.Delay(50);
        }
    }

    private static long ReportCode(JsonElement pool) => ApiConsts.CodeOf(Assert.Single(pool.GetProperty("reports").EnumerateArray()).GetProperty("ret_code").GetInt64());

    [Fact]
    public async Task Reported_node_is_online_with_pool_capacities_until_its_agent_goes_silent()
    {
        await using var host = await RunningHost.StartAsync(RunningHost.NewSettings() with { NodeStatusTimeout = TimeSpan.FromSeconds(3) });
        (await Rc.ReadAsync(host.PostJsonAsync("/v1/nodes", """{"name":"agent-a","type":"satellite","net_interfaces":[{"name":"default","address":"10.0.0.9"}]}"""))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(host.PostJsonAsync("/v1/nodes/agent-a/storage-pools", """{"storage_pool_name":"thin","provider_kind":"FILE_THIN","props":{"StorDriver/StorPoolName":"/srv/thin"}}"""))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(host.PostJsonAsync("/v1/nodes/agent-a/storage-pools", """{"storage_pool_name":"missing","provider_kind":"FILE","props":{"StorDriver/StorPoolName":"/srv/missing"}}"""))).AssertSuccess(HttpStatusCode.Created);
        Assert.Equal("OFFLINE", (await NodeAsync(host, "agent-a")).GetProperty("connection_status").GetString());

        var satelliteSettings = TestCluster.Sqlite(TestCluster.TempDataDir(), "agent-a") with
        {
            Roles = [FabricSettings.Satellite],
            SeedNodes = [$"127.0.0.1:{host.Settings.ClusterPort}"],
            NodeHeartbeatInterval = TimeSpan.FromMilliseconds(300),
        };
        await using var satellite = await FabricSystem.StartAsync(satelliteSettings);
        await using var agent = new FakeNodeAgent(satellite, "agent-a").SetPool("Thin", "FILE_THIN", 1_000, 4_000);

        await NodeStatusWait.UntilOnlineAsync(host.Fabric, "agent-a", Wait);
        // The fake agent can heartbeat once before SetPool took effect: ONLINE, but no pool reported yet.
        await NodeStatusWait.UntilAsync(host.Fabric, "agent-a", s => s?.Pools.ContainsKey("THIN") == true, "reporting pool thin", Wait);
        Assert.Equal("ONLINE", (await NodeAsync(host, "agent-a")).GetProperty("connection_status").GetString());
        Assert.Equal("ONLINE", (await host.GetJsonAsync("/v1/nodes/AGENT-A")).GetProperty("connection_status").GetString());

        var pools = await PoolsAsync(host, "agent-a");
        Assert.Equal(1_000, pools["thin"].GetProperty("free_capacity").GetInt64());
        Assert.Equal(4_000, pools["thin"].GetProperty("total_capacity").GetInt64());
        Assert.False(pools["thin"].TryGetProperty("reports", out _));
        Assert.False(pools["missing"].TryGetProperty("free_capacity", out _));
        Assert.Equal(ApiConsts.WarnNotFound, ReportCode(pools["missing"]));
        Assert.Contains("did not report", pools["missing"].GetProperty("reports")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(DtoMapping.DisklessCapacity, pools["DfltDisklessStorPool"].GetProperty("free_capacity").GetInt64());
        Assert.False(pools["DfltDisklessStorPool"].TryGetProperty("reports", out _));
        var single = await host.GetJsonAsync("/v1/nodes/agent-a/storage-pools/THIN");
        Assert.Equal(1_000, single.GetProperty("free_capacity").GetInt64());

        // A pool created on an online node carries no not-connected warning.
        var created = (await Rc.ReadAsync(host.PostJsonAsync("/v1/nodes/agent-a/storage-pools", """{"storage_pool_name":"late","provider_kind":"LVM_THIN","props":{"StorDriver/StorPoolName":"vg/late"}}"""))).AssertSuccess(HttpStatusCode.Created);
        Assert.Single(created.Entries);

        // Capacity follows the agent's reports.
        agent.SetPool("missing", "FILE", 7, 9);
        await NodeStatusWait.UntilAsync(host.Fabric, "agent-a", s => s?.Pools.ContainsKey("MISSING") == true, "reporting pool missing", Wait);
        Assert.Equal(9, (await PoolsAsync(host, "agent-a"))["missing"].GetProperty("total_capacity").GetInt64());

        // Silence: after the 3 s timeout the node is offline and its pools lose their capacity.
        agent.Pause();
        await UntilStatusAsync(host, "agent-a", "OFFLINE");
        pools = await PoolsAsync(host, "agent-a");
        Assert.False(pools["thin"].TryGetProperty("free_capacity", out _));
        Assert.Equal(ApiConsts.WarnNotConnected, ReportCode(pools["thin"]));
        Assert.Equal(ApiConsts.WarnNotConnected, ReportCode(pools["DfltDisklessStorPool"]));
        var offlineCreate = (await Rc.ReadAsync(host.PostJsonAsync("/v1/nodes/agent-a/storage-pools", """{"storage_pool_name":"later","provider_kind":"FILE","props":{"StorDriver/StorPoolName":"/srv/later"}}"""))).AssertSuccess(HttpStatusCode.Created);
        Assert.Equal(ApiConsts.WarnNotConnected, ApiConsts.CodeOf(offlineCreate.RetCode(1)));

        // Heartbeats again: online again.
        agent.Resume();
        await UntilStatusAsync(host, "agent-a", "ONLINE");
    }
}
