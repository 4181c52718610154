using System.Net;
using Fabric.Core.Api;
using Fabric.Host.Tests.Infrastructure;

namespace Fabric.Host.Tests.Rest;

public sealed class ViewResourcesTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private RunningHost Host => fixture.Host;

    [Fact]
    public async Task View_lists_every_replica_with_volumes_and_filters_by_node_resource_pool_and_props()
    {
        await Host.NodeAsync("vw-1", "DfltStorPool", "other");
        await Host.NodeAsync("vw-2", "DfltStorPool");
        await Host.DefinitionAsync("vw-a");
        await Host.DefinitionAsync("vw-b");
        (await Host.ReplicasAsync("vw-a", "vw-1")).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/vw-b/resources", """[{"resource":{"node_name":"vw-1","props":{"StorPoolName":"other","Aux/tag":"t"}}},{"resource":{"node_name":"vw-2","flags":["DISKLESS"]}}]"""))).AssertSuccess(HttpStatusCode.Created);

        var all = await Host.GetJsonAsync("/v1/view/resources");
        Assert.Equal(3, all.GetArrayLength());
        Assert.All(all.EnumerateArray(), r => Assert.Single(r.GetProperty("volumes").EnumerateArray()));
        Assert.All(all.EnumerateArray(), r => Assert.True(r.TryGetProperty("layer_object", out _)));

        static string[] Pairs(System.Text.Json.JsonElement list) => [.. list.EnumerateArray().Select(r => r.GetProperty("name").GetString() + "@" + r.GetProperty("node_name").GetString())];
        Assert.Equal(["vw-a@vw-1", "vw-b@vw-1"], Pairs(await Host.GetJsonAsync("/v1/view/resources?nodes=VW-1")));
        Assert.Equal(["vw-b@vw-1", "vw-b@vw-2"], Pairs(await Host.GetJsonAsync("/v1/view/resources?resources=vw-b")));
        Assert.Equal(["vw-b@vw-1"], Pairs(await Host.GetJsonAsync("/v1/view/resources?storage_pools=other")));
        Assert.Equal(["vw-b@vw-2"], Pairs(await Host.GetJsonAsync("/v1/view/resources?storage_pools=DfltDisklessStorPool")));
        Assert.Equal(["vw-b@vw-1"], Pairs(await Host.GetJsonAsync("/v1/view/resources?props=Aux/tag=t")));
        Assert.Equal(["vw-b@vw-1"], Pairs(await Host.GetJsonAsync("/v1/view/resources?offset=1&limit=1")));
        Assert.Empty(Pairs(await Host.GetJsonAsync("/v1/view/resources?nodes=vw-2&resources=vw-a")));

        (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/view/resources?offset=x"))).AssertError(ApiConsts.FailInvldRequest, HttpStatusCode.BadRequest);
    }
}
