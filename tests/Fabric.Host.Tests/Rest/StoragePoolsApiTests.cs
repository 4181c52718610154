using System.Net;
using System.Text.Json;
using Fabric.Core.Api;
using Fabric.Host.Tests.Infrastructure;

namespace Fabric.Host.Tests.Rest;

public sealed class StoragePoolsApiTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private RunningHost Host => fixture.Host;

    private async Task NodeAsync(string name) =>
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes", $$"""{"name":"{{name}}","type":"satellite","net_interfaces":[{"name":"default","address":"10.0.0.1"}]}"""))).AssertSuccess(HttpStatusCode.Created);

    private static string PoolJson(string name, string kind, string? backing = "/var/lib/fabric/p") =>
        backing is null
            ? $$"""{"storage_pool_name":"{{name}}","provider_kind":"{{kind}}"}"""
            : $$$"""{"storage_pool_name":"{{{name}}}","provider_kind":"{{{kind}}}","props":{"StorDriver/StorPoolName":"{{{backing}}}"}}""";

    [Fact]
    public async Task Pool_on_an_unconnected_node_is_recorded_with_a_not_connected_warning()
    {
        await NodeAsync("sp-a");
        var rc = (await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes/sp-a/storage-pools", PoolJson("Thin1", "file_thin")))).AssertSuccess(HttpStatusCode.Created);
        Assert.Equal(ApiConsts.MaskStorPool | ApiConsts.MaskCrt | ApiConsts.Created, rc.RetCode(0));
        Assert.True(ApiConsts.IsWarning(rc.RetCode(1)));
        Assert.Equal(ApiConsts.WarnNotConnected, ApiConsts.CodeOf(rc.RetCode(1)));

        var pool = await Host.GetJsonAsync("/v1/nodes/SP-A/storage-pools/thin1");
        Assert.Equal("Thin1", pool.GetProperty("storage_pool_name").GetString());
        Assert.Equal("sp-a", pool.GetProperty("node_name").GetString());
        Assert.Equal("FILE_THIN", pool.GetProperty("provider_kind").GetString());
        Assert.Equal("Thin", pool.GetProperty("static_traits").GetProperty("Provisioning").GetString());
        Assert.Equal("/var/lib/fabric/p", pool.GetProperty("props").GetProperty("StorDriver/StorPoolName").GetString());
        Assert.False(pool.TryGetProperty("free_capacity", out _), "capacity is unknown until an agent reports it");
        Assert.Equal(ApiConsts.WarnNotConnected, ApiConsts.CodeOf(pool.GetProperty("reports")[0].GetProperty("ret_code").GetInt64()));
        Assert.False(pool.GetProperty("external_locking").GetBoolean());
    }

    [Fact]
    public async Task View_lists_pools_of_all_nodes_with_node_and_pool_filters()
    {
        await NodeAsync("sp-v1");
        await NodeAsync("sp-v2");
        await Host.PostJsonAsync("/v1/nodes/sp-v1/storage-pools", PoolJson("vpool", "lvm_thin", "vg0/thin"));
        await Host.PostJsonAsync("/v1/nodes/sp-v2/storage-pools", PoolJson("vpool", "LVM_THIN", "vg0/thin"));
        await Host.PostJsonAsync("/v1/nodes/sp-v2/storage-pools", PoolJson("other", "zfs", "tank"));

        var both = await Host.GetJsonAsync("/v1/view/storage-pools?storage_pools=VPOOL");
        Assert.Equal(["sp-v1", "sp-v2"], both.EnumerateArray().Select(p => p.GetProperty("node_name").GetString()!).Order());
        var v2 = await Host.GetJsonAsync("/v1/view/storage-pools?nodes=sp-v2");
        Assert.Equal(["DfltDisklessStorPool", "other", "vpool"], v2.EnumerateArray().Select(p => p.GetProperty("storage_pool_name").GetString()!).Order(StringComparer.Ordinal));
        var perNode = await Host.GetJsonAsync("/v1/nodes/sp-v2/storage-pools?storage_pools=other");
        Assert.Equal("ZFS", Assert.Single(perNode.EnumerateArray()).GetProperty("provider_kind").GetString());
    }

    [Theory]
    [InlineData("ab", "FILE", "/x", ApiConsts.FailInvldStorPoolName)]
    [InlineData("pool-x", "SPDK", "/x", ApiConsts.FailInvldStorDriver)]
    [InlineData("pool-y", "TAPE", "/x", ApiConsts.FailInvldStorDriver)]
    [InlineData("pool-z", "LVM", null, ApiConsts.FailMissingProps)]
    public async Task Bad_pools_are_refused_and_change_nothing(string name, string kind, string? backing, long code)
    {
        await NodeAsync($"sp-bad-{code}-{name}".Replace("_", "-", StringComparison.Ordinal));
        var node = $"sp-bad-{code}-{name}".Replace("_", "-", StringComparison.Ordinal);
        (await Rc.ReadAsync(Host.PostJsonAsync($"/v1/nodes/{node}/storage-pools", PoolJson(name, kind, backing)))).AssertError(code, HttpStatusCode.InternalServerError);
        var pools = await Host.GetJsonAsync($"/v1/nodes/{node}/storage-pools");
        Assert.Equal(["DfltDisklessStorPool"], pools.EnumerateArray().Select(p => p.GetProperty("storage_pool_name").GetString()!));
    }

    [Fact]
    public async Task Duplicate_pool_and_unknown_node_are_refused()
    {
        await NodeAsync("sp-dup");
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes/sp-dup/storage-pools", PoolJson("dpool", "FILE")))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes/sp-dup/storage-pools", PoolJson("DPOOL", "FILE_THIN")))).AssertError(ApiConsts.FailExistsStorPool, HttpStatusCode.InternalServerError);
        Assert.Equal("FILE", (await Host.GetJsonAsync("/v1/nodes/sp-dup/storage-pools/dpool")).GetProperty("provider_kind").GetString());
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes/sp-ghost/storage-pools", PoolJson("gpool", "FILE")))).AssertError(ApiConsts.FailNotFoundNode, HttpStatusCode.NotFound);
        (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/nodes/sp-ghost/storage-pools"))).AssertError(ApiConsts.FailNotFoundNode, HttpStatusCode.NotFound);
        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/nodes/sp-dup/storage-pools/nopool"))).AssertError(ApiConsts.FailNotFoundStorPool, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Pool_props_are_modified()
    {
        await NodeAsync("sp-mod");
        await Host.PostJsonAsync("/v1/nodes/sp-mod/storage-pools", PoolJson("mpool", "FILE"));
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/nodes/sp-mod/storage-pools/mpool", """{"override_props":{"MaxOversubscriptionRatio":"2.5"}}"""))).AssertSuccess(HttpStatusCode.OK);
        var pool = await Host.GetJsonAsync("/v1/nodes/sp-mod/storage-pools/mpool");
        Assert.Equal("2.5", pool.GetProperty("props").GetProperty("MaxOversubscriptionRatio").GetString());
    }

    [Fact]
    public async Task Storage_pool_definitions_follow_pools_and_refuse_deletion_while_used()
    {
        await NodeAsync("spd-node");
        await Host.PostJsonAsync("/v1/nodes/spd-node/storage-pools", PoolJson("implicitpool", "FILE"));
        var implicitDefinition = await Host.GetJsonAsync("/v1/storage-pool-definitions/IMPLICITPOOL");
        Assert.Equal("implicitpool", implicitDefinition.GetProperty("storage_pool_name").GetString());

        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/storage-pool-definitions/implicitpool", """{"override_props":{"Aux/tier":"gold"}}"""))).AssertSuccess(HttpStatusCode.OK);
        Assert.Equal("gold", (await Host.GetJsonAsync("/v1/storage-pool-definitions/implicitpool")).GetProperty("props").GetProperty("Aux/tier").GetString());
        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/storage-pool-definitions/implicitpool"))).AssertError(ApiConsts.FailInUse, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/storage-pool-definitions", """{"storage_pool_name":"ImplicitPool"}"""))).AssertError(ApiConsts.FailExistsStorPoolDfn, HttpStatusCode.InternalServerError);

        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/storage-pool-definitions", """{"storage_pool_name":"explicitpool","props":{"Aux/a":"b"}}"""))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/storage-pool-definitions", """{"storage_pool_name":"EXPLICITPOOL"}"""))).AssertError(ApiConsts.FailExistsStorPoolDfn, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/storage-pool-definitions", """{"storage_pool_name":"no"}"""))).AssertError(ApiConsts.FailInvldStorPoolName, HttpStatusCode.InternalServerError);
        var names = (await Host.GetJsonAsync("/v1/storage-pool-definitions")).EnumerateArray().Select(d => d.GetProperty("storage_pool_name").GetString()).ToList();
        Assert.Contains("explicitpool", names);
        Assert.Contains("implicitpool", names);
        Assert.Contains("DfltDisklessStorPool", names);

        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/storage-pool-definitions/explicitpool"))).AssertSuccess(HttpStatusCode.OK);
        (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/storage-pool-definitions/explicitpool"))).AssertError(ApiConsts.FailNotFoundStorPoolDfn, HttpStatusCode.NotFound);
    }
}
