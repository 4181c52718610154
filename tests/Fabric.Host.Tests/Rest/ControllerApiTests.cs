using System.Net;
using Fabric.Core.Api;
using Fabric.Host.Tests.Infrastructure;

namespace Fabric.Host.Tests.Rest;

public sealed class ControllerApiTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private RunningHost Host => fixture.Host;

    [Fact]
    public async Task Version_reports_the_REST_API_version_clients_check()
    {
        var version = await Host.GetJsonAsync("/v1/controller/version");
        Assert.Equal("1.28.0", version.GetProperty("rest_api_version").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+$", version.GetProperty("version").GetString()!);
    }

    [Fact]
    public async Task Controller_props_are_set_listed_and_deleted()
    {
        var set = (await Rc.ReadAsync(Host.PostJsonAsync("/v1/controller/properties", """{"override_props":{"DrbdOptions/Net/protocol":"C","Aux/x":"1"}}"""))).AssertSuccess(HttpStatusCode.Created);
        Assert.All(set.Entries, e => Assert.True(ApiConsts.CodeOf(e.GetProperty("ret_code").GetInt64()) == ApiConsts.InfoPropSet));
        var props = await Host.GetJsonAsync("/v1/controller/properties");
        Assert.Equal("C", props.GetProperty("DrbdOptions/Net/protocol").GetString());

        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/controller/properties/DrbdOptions/Net/protocol"))).AssertSuccess(HttpStatusCode.OK);
        props = await Host.GetJsonAsync("/v1/controller/properties");
        Assert.False(props.TryGetProperty("DrbdOptions/Net/protocol", out _));
        Assert.Equal("1", props.GetProperty("Aux/x").GetString());

        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/controller/properties", """{"override_props":{"bad key":"1"}}"""))).AssertError(ApiConsts.FailInvldPropKey, HttpStatusCode.InternalServerError);
        Assert.False((await Host.GetJsonAsync("/v1/controller/properties")).TryGetProperty("bad key", out _));
    }
}
