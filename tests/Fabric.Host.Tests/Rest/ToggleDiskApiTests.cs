using System.Net;
using System.Text.Json;
using Fabric.Core.Api;
using Fabric.Core.Tests.Infrastructure;
using Fabric.Host.Tests.Infrastructure;

namespace Fabric.Host.Tests.Rest;

/// <summary>
/// Toggle-disk through REST on a real host: the unified ToggleDiskRequest and the deprecated
/// diskless/diskful paths, pool resolution, LINSTOR's ret codes and statuses, and the
/// tiebreaker/quorum consequences. Nodes are online through <see cref="FakeNodeAgent"/>s
/// (toggle-disk needs another diskful replica online; a tiebreaker needs an online node).
/// </summary>
public sealed class ToggleDiskApiTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly TimeSpan Online = TimeSpan.FromSeconds(30);

    private RunningHost Host => fixture.Host;

    private async Task<FakeNodeAgent> AgentAsync(string node)
    {
        var agent = new FakeNodeAgent(Host.Fabric, node);
        await NodeStatusWait.UntilOnlineAsync(Host.Fabric, node, Online);
        return agent;
    }

    private Task<Rc> ToggleAsync(string rd, string node, string body) =>
        Rc.ReadAsync(Host.PutJsonAsync($"/v1/resource-definitions/{rd}/resources/{node}/toggle-disk", body));

    private Task<Rc> PutAsync(string path) => Rc.ReadAsync(Host.Rest.PutAsync(path, null));

    private async Task<Dictionary<string, JsonElement>> ReplicasAsync(string rd) =>
        (await Host.GetJsonAsync($"/v1/view/resources?resources={rd}")).EnumerateArray().ToDictionary(r => r.GetProperty("node_name").GetString()!);

    private static string PoolOf(JsonElement replica) => replica.GetProperty("volumes")[0].GetProperty("storage_pool_name").GetString()!;

    private async Task<string> QuorumAsync(string rd) =>
        (await Host.GetJsonAsync($"/v1/resource-definitions/{rd}")).GetProperty("props").GetProperty("DrbdOptions/Resource/quorum").GetString()!;

    private static bool Has(Rc rc, long code) => rc.Entries.Any(e => ApiConsts.CodeOf(e.GetProperty("ret_code").GetInt64()) == code);

    [Fact]
    public async Task Into_diskless_and_back_drops_and_restores_the_tiebreaker_and_quorum()
    {
        await Host.NodeAsync("td-a", "DfltStorPool");
        await Host.NodeAsync("td-b", "DfltStorPool");
        await Host.NodeAsync("td-c");
        await using var a = await AgentAsync("td-a");
        await using var b = await AgentAsync("td-b");
        await using var c = await AgentAsync("td-c");
        await Host.DefinitionAsync("td1");
        (await Host.ReplicasAsync("td1", "td-a", "td-b")).AssertSuccess(HttpStatusCode.Created);
        Assert.Contains("TIE_BREAKER", (await ReplicasAsync("td1"))["td-c"].StringList("flags"));

        var toDiskless = (await ToggleAsync("td1", "td-b", """{"operation":"INTO_DRBD_DISKLESS"}""")).AssertSuccess(HttpStatusCode.OK);

        Assert.Equal(ApiConsts.MaskRsc | ApiConsts.MaskMod | ApiConsts.Modified, toDiskless.RetCode());
        Assert.True(Has(toDiskless, ApiConsts.InfoTieBreakerDeleting), toDiskless.Body);
        var replicas = await ReplicasAsync("td1");
        Assert.Equal(["td-a", "td-b"], replicas.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["DISKLESS", "DRBD_DISKLESS"], replicas["td-b"].StringList("flags"));
        Assert.Equal("DfltDisklessStorPool", PoolOf(replicas["td-b"]));
        Assert.Equal("DISKLESS", replicas["td-b"].GetProperty("volumes")[0].GetProperty("provider_kind").GetString());
        Assert.Equal("DfltDisklessStorPool", replicas["td-b"].GetProperty("props").GetProperty("StorPoolName").GetString());
        Assert.Equal("off", await QuorumAsync("td1"));

        var again = (await ToggleAsync("td1", "td-b", """{"operation":"INTO_DRBD_CLIENT"}""")).AssertSuccess(HttpStatusCode.OK);
        Assert.True(ApiConsts.IsWarning(again.RetCode()));
        Assert.Equal(ApiConsts.WarnRscAlreadyDiskless, ApiConsts.CodeOf(again.RetCode()));

        var toDiskful = (await ToggleAsync("td1", "td-b", """{"operation":"into_drbd_diskful"}""")).AssertSuccess(HttpStatusCode.OK);

        Assert.True(Has(toDiskful, ApiConsts.InfoTieBreakerCreated), toDiskful.Body);
        replicas = await ReplicasAsync("td1");
        Assert.Empty(replicas["td-b"].StringList("flags"));
        Assert.Equal("DfltStorPool", PoolOf(replicas["td-b"]));
        Assert.Equal("DfltStorPool", replicas["td-b"].GetProperty("props").GetProperty("StorPoolName").GetString());
        Assert.Contains("TIE_BREAKER", replicas["td-c"].StringList("flags"));
        Assert.True(replicas["td-c"].GetProperty("layer_object").GetProperty("drbd").TryGetProperty("tcp_ports", out _), "the new tiebreaker got its port before the answer");
        Assert.Equal("majority", await QuorumAsync("td1"));
    }

    [Fact]
    public async Task Deprecated_paths_resolve_pools_like_LINSTOR()
    {
        await Host.NodeAsync("tp-x", "fast");
        await Host.NodeAsync("tp-y", "DfltStorPool", "fast", "other");
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes/tp-y/storage-pools", """{"storage_pool_name":"nodisk","provider_kind":"DISKLESS"}"""))).AssertSuccess(HttpStatusCode.Created);
        await using var x = await AgentAsync("tp-x");
        await using var y = await AgentAsync("tp-y");
        await Host.DefinitionAsync("tp1");
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/tp1/resources", """
            [{"resource":{"node_name":"tp-x","props":{"StorPoolName":"fast"}}},{"resource":{"node_name":"tp-y","props":{"StorPoolName":"fast"}}}]
            """))).AssertSuccess(HttpStatusCode.Created);

        (await PutAsync("/v1/resource-definitions/tp1/resources/tp-y/toggle-disk/diskless/nodisk")).AssertSuccess(HttpStatusCode.OK);
        Assert.Equal("nodisk", PoolOf((await ReplicasAsync("tp1"))["tp-y"]));

        // No pool named anywhere above the replica: the diskful peer's pool, which tp-y has, wins over DfltStorPool.
        (await PutAsync("/v1/resource-definitions/tp1/resources/tp-y/toggle-disk/diskful")).AssertSuccess(HttpStatusCode.OK);
        Assert.Equal("fast", PoolOf((await ReplicasAsync("tp1"))["tp-y"]));

        (await PutAsync("/v1/resource-definitions/tp1/resources/tp-y/toggle-disk/diskless")).AssertSuccess(HttpStatusCode.OK);
        Assert.Equal("DfltDisklessStorPool", PoolOf((await ReplicasAsync("tp1"))["tp-y"]));

        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-definitions/tp1/resources/tp-y/toggle-disk/diskful/other", """{"layer_list":["drbd","storage"]}"""))).AssertSuccess(HttpStatusCode.OK);
        var yReplica = (await ReplicasAsync("tp1"))["tp-y"];
        Assert.Equal("other", PoolOf(yReplica));
        Assert.Equal("FILE_THIN", yReplica.GetProperty("volumes")[0].GetProperty("provider_kind").GetString());
    }

    [Fact]
    public async Task Bad_toggles_are_refused_with_LINSTORs_codes_and_change_nothing()
    {
        await Host.NodeAsync("tr-a", "DfltStorPool");
        await Host.NodeAsync("tr-b", "DfltStorPool");
        await Host.NodeAsync("tr-n", "DfltStorPool");
        await using var agent = await AgentAsync("tr-a");
        await Host.DefinitionAsync("tr1");
        (await Host.ReplicasAsync("tr1", "tr-a", "tr-b")).AssertSuccess(HttpStatusCode.Created);
        var before = (await Host.GetJsonAsync("/v1/view/resources?resources=tr1")).ToString();

        (await ToggleAsync("tr-ghost", "tr-a", """{"operation":"INTO_DRBD_DISKLESS"}""")).AssertError(ApiConsts.FailNotFoundRscDfn, HttpStatusCode.NotFound);
        (await ToggleAsync("tr1", "tr-ghost", """{"operation":"INTO_DRBD_DISKLESS"}""")).AssertError(ApiConsts.FailNotFoundNode, HttpStatusCode.NotFound);
        (await ToggleAsync("tr1", "tr-n", """{"operation":"INTO_DRBD_DISKLESS"}""")).AssertError(ApiConsts.FailNotFoundRsc, HttpStatusCode.NotFound);
        // tr-b's agent is offline: tr-a is the only diskful replica online.
        (await ToggleAsync("tr1", "tr-a", """{"operation":"INTO_DRBD_DISKLESS"}""")).AssertError(ApiConsts.FailInsufficientReplicaCount, HttpStatusCode.InternalServerError);
        (await PutAsync("/v1/resource-definitions/tr1/resources/tr-b/toggle-disk/diskless/DfltStorPool")).AssertError(ApiConsts.FailInvldStorPoolName, HttpStatusCode.InternalServerError);
        (await PutAsync("/v1/resource-definitions/tr1/resources/tr-b/toggle-disk/diskless/ghost")).AssertError(ApiConsts.FailNotFoundStorPool, HttpStatusCode.NotFound);
        (await ToggleAsync("tr1", "tr-a", """{"operation":"INTO_DRBD_DISKLESS","migrate_from":"tr-b"}""")).AssertError(ApiConsts.FailInvldRequest, HttpStatusCode.InternalServerError);
        (await ToggleAsync("tr1", "tr-a", """{"storage_pool":"DfltStorPool"}""")).AssertError(ApiConsts.FailInvldRequest, HttpStatusCode.InternalServerError);
        (await ToggleAsync("tr1", "tr-a", """{"operation":"INTO_NOWHERE"}""")).AssertError(ApiConsts.FailInvldRequest, HttpStatusCode.InternalServerError);
        (await ToggleAsync("tr1", "tr-b", """{"operation":"INTO_DRBD_DISKLESS","layer_list":["STORAGE"]}""")).AssertError(ApiConsts.FailInvldLayerStack, HttpStatusCode.InternalServerError);
        Assert.Equal(HttpStatusCode.BadRequest, (await ToggleAsync("tr1", "tr-a", """{"operation":""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutAsync("/v1/resource-definitions/tr1/resources/tr-a/toggle-disk")).Status);
        var hasDisk = (await ToggleAsync("tr1", "tr-a", """{"operation":"INTO_DRBD_DISKFUL"}""")).AssertSuccess(HttpStatusCode.OK);
        Assert.Equal(ApiConsts.WarnRscAlreadyHasDisk, ApiConsts.CodeOf(hasDisk.RetCode()));

        Assert.Equal(before, (await Host.GetJsonAsync("/v1/view/resources?resources=tr1")).ToString());

        // The offline replica may go diskless (tr-a keeps the data); the answer says its node is not connected.
        var offline = (await PutAsync("/v1/resource-definitions/tr1/resources/tr-b/toggle-disk/diskless")).AssertSuccess(HttpStatusCode.OK);
        Assert.True(Has(offline, ApiConsts.WarnNotConnected), offline.Body);
        var b = await Host.GetJsonAsync("/v1/resource-definitions/tr1/resources/tr-b/volumes/0");
        Assert.Equal("DfltDisklessStorPool", b.GetProperty("storage_pool_name").GetString());
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-definitions/tr1/resources/tr-b/toggle-disk/diskful/DfltDisklessStorPool", ""))).AssertError(ApiConsts.FailInvldStorPoolName, HttpStatusCode.InternalServerError);
        (await ToggleAsync("tr1", "tr-b", """{"operation":"INTO_DRBD_DISKFUL","storage_pool":"ghost"}""")).AssertError(ApiConsts.FailNotFoundStorPool, HttpStatusCode.NotFound);
    }
}
