using System.Net;
using Fabric.Core.Api;
using Fabric.Host.Tests.Infrastructure;

namespace Fabric.Host.Tests.Rest;

/// <summary>/v1/resource-groups and volume groups through the real host (real SQLite journal).</summary>
public sealed class ResourceGroupsApiTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private RunningHost Host => fixture.Host;

    [Fact]
    public async Task Create_get_list_modify_and_delete_a_resource_group()
    {
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups",
            """{"name":"rg-crud","description":"gold","props":{"Aux/tier":"1"},"select_filter":{"place_count":2,"storage_pool":"data"},"peer_slots":5}""")))
            .AssertSuccess(HttpStatusCode.Created);

        var single = await Host.GetJsonAsync("/v1/resource-groups/RG-CRUD");
        Assert.Equal("rg-crud", single.GetProperty("name").GetString());
        Assert.Equal("gold", single.GetProperty("description").GetString());
        Assert.Equal("1", single.GetProperty("props").GetProperty("Aux/tier").GetString());
        Assert.Equal(2, single.GetProperty("select_filter").GetProperty("place_count").GetInt32());
        Assert.Equal("data", single.GetProperty("select_filter").GetProperty("storage_pool").GetString());
        Assert.Equal(5, single.GetProperty("peer_slots").GetInt32());
        Assert.True(Guid.TryParse(single.GetProperty("uuid").GetString(), out _));

        var all = (await Host.GetJsonAsync("/v1/resource-groups")).EnumerateArray().Select(g => g.GetProperty("name").GetString()).ToList();
        Assert.Contains("DfltRscGrp", all);
        Assert.Contains("rg-crud", all);
        Assert.Equal(["rg-crud"], (await Host.GetJsonAsync("/v1/resource-groups?resource_groups=rg-crud")).EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Equal(["rg-crud"], (await Host.GetJsonAsync("/v1/resource-groups?props=Aux/tier=1")).EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Single((await Host.GetJsonAsync("/v1/resource-groups?limit=1")).EnumerateArray());

        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-groups/rg-crud",
            """{"description":"silver","delete_props":["Aux/tier"],"override_props":{"Aux/new":"x"},"select_filter":{"replicas_on_different":["Aux/rack"]},"peer_slots":6}""")))
            .AssertSuccess(HttpStatusCode.OK);
        var modified = await Host.GetJsonAsync("/v1/resource-groups/rg-crud");
        Assert.Equal("silver", modified.GetProperty("description").GetString());
        Assert.False(modified.GetProperty("props").TryGetProperty("Aux/tier", out _));
        Assert.Equal("x", modified.GetProperty("props").GetProperty("Aux/new").GetString());
        var filter = modified.GetProperty("select_filter");
        Assert.Equal(2, filter.GetProperty("place_count").GetInt32()); // merged: untouched fields stay
        Assert.Equal("Aux/rack", filter.GetProperty("replicas_on_different")[0].GetString());
        Assert.Equal(6, modified.GetProperty("peer_slots").GetInt32());

        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/resource-groups/rg-crud"))).AssertSuccess(HttpStatusCode.OK);
        await Host.GetJsonAsync("/v1/resource-groups/rg-crud", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_linstor_errors()
    {
        (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/resource-groups/no-such-group"))).AssertError(ApiConsts.FailNotFoundRscGrp, HttpStatusCode.NotFound);
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-groups/no-such-group", """{"description":"x"}"""))).AssertError(ApiConsts.FailNotFoundRscGrp, HttpStatusCode.NotFound);
        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/resource-groups/no-such-group"))).AssertError(ApiConsts.FailNotFoundRscGrp, HttpStatusCode.NotFound);

        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups", """{"name":"rg-dup"}"""))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups", """{"name":"RG-DUP"}"""))).AssertError(ApiConsts.FailExistsRscGrp, HttpStatusCode.InternalServerError);

        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups", """{"name":"bad name"}"""))).AssertError(ApiConsts.FailInvldRscGrpName, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups", """{"name":"1x"}"""))).AssertError(ApiConsts.FailInvldRscGrpName, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups", """{"name":"rg-zero","select_filter":{"place_count":0}}"""))).AssertError(ApiConsts.FailInvldPlaceCount, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups", """{"name":"rg-regex","select_filter":{"not_place_with_rsc_regex":"(["}}"""))).AssertError(ApiConsts.FailInvldPlaceCount, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-groups/rg-dup", """{"select_filter":{"place_count":-1}}"""))).AssertError(ApiConsts.FailInvldPlaceCount, HttpStatusCode.InternalServerError);
        await Host.GetJsonAsync("/v1/resource-groups/rg-zero", HttpStatusCode.NotFound);
        await Host.GetJsonAsync("/v1/resource-groups/rg-regex", HttpStatusCode.NotFound);

        var unparsable = await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups", """{"name":"""));
        Assert.Equal(HttpStatusCode.BadRequest, unparsable.Status);
        var unknownField = await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups", """{"name":"rg-unknown","colour":"red"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.Status);

        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/resource-groups/DfltRscGrp"))).AssertError(ApiConsts.FailInUse, HttpStatusCode.InternalServerError);
        await Host.GetJsonAsync("/v1/resource-groups/dfltrscgrp");
    }

    [Fact]
    public async Task A_group_in_use_by_a_resource_definition_cannot_be_deleted()
    {
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups", """{"name":"rg-used"}"""))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-used/spawn", """{"resource_definition_name":"used-rd","volume_sizes":[1024],"definitions_only":true}""")))
            .AssertSuccess(HttpStatusCode.Created);

        var refused = (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/resource-groups/rg-used"))).AssertError(ApiConsts.FailExistsRscDfn, HttpStatusCode.InternalServerError);
        Assert.Contains("used-rd", refused.Body, StringComparison.Ordinal);
        await Host.GetJsonAsync("/v1/resource-groups/rg-used");
    }

    [Fact]
    public async Task Volume_groups_crud()
    {
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups", """{"name":"rg-vg"}"""))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-vg/volume-groups", """{"volume_number":0,"props":{"Aux/a":"1"}}"""))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-vg/volume-groups", """{}"""))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-vg/volume-groups", """{"volume_number":0}"""))).AssertError(ApiConsts.FailExistsVlmGrp, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/no-such-group/volume-groups", """{}"""))).AssertError(ApiConsts.FailNotFoundRscGrp, HttpStatusCode.NotFound);
        (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/resource-groups/no-such-group/volume-groups"))).AssertError(ApiConsts.FailNotFoundRscGrp, HttpStatusCode.NotFound);

        var list = (await Host.GetJsonAsync("/v1/resource-groups/rg-vg/volume-groups")).EnumerateArray().ToList();
        Assert.Equal([0, 1], list.Select(v => v.GetProperty("volume_number").GetInt32()));
        var first = await Host.GetJsonAsync("/v1/resource-groups/rg-vg/volume-groups/0");
        Assert.Equal("1", first.GetProperty("props").GetProperty("Aux/a").GetString());

        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-groups/rg-vg/volume-groups/0", """{"override_props":{"Aux/b":"2"},"delete_props":["Aux/a"],"flags":["GROSS_SIZE"]}"""))).AssertSuccess(HttpStatusCode.OK);
        var modified = await Host.GetJsonAsync("/v1/resource-groups/rg-vg/volume-groups/0");
        Assert.Equal("2", modified.GetProperty("props").GetProperty("Aux/b").GetString());
        Assert.False(modified.GetProperty("props").TryGetProperty("Aux/a", out _));
        Assert.Equal("GROSS_SIZE", modified.GetProperty("flags")[0].GetString());
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-groups/rg-vg/volume-groups/0", """{"flags":["NOPE"]}"""))).AssertError(ApiConsts.FailInvldRequest, HttpStatusCode.InternalServerError);

        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/resource-groups/rg-vg/volume-groups/1"))).AssertSuccess(HttpStatusCode.OK);
        (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/resource-groups/rg-vg/volume-groups/1"))).AssertError(ApiConsts.FailNotFoundVlmGrp, HttpStatusCode.NotFound);
        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/resource-groups/rg-vg/volume-groups/1"))).AssertError(ApiConsts.FailNotFoundVlmGrp, HttpStatusCode.NotFound);
    }
}
