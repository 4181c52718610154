using System.Net;
using Fabric.Core.Api;
using Fabric.Host.Tests.Infrastructure;

namespace Fabric.Host.Tests.Rest;

public sealed class ResourceDefinitionsApiTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private RunningHost Host => fixture.Host;

    [Fact]
    public async Task Definition_is_created_read_modified_and_deleted_with_LINSTOR_shapes()
    {
        var created = (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions", """{"resource_definition":{"name":"Rd-Crud","props":{"Aux/a":"1"}},"drbd_transport_type":"ip"}"""))).AssertSuccess(HttpStatusCode.Created);
        Assert.Equal(ApiConsts.MaskRscDfn | ApiConsts.MaskCrt | ApiConsts.Created, created.RetCode());

        var rd = await Host.GetJsonAsync("/v1/resource-definitions/rd-crud");
        Assert.Equal("Rd-Crud", rd.GetProperty("name").GetString());
        Assert.Equal("DfltRscGrp", rd.GetProperty("resource_group_name").GetString());
        Assert.True(Guid.TryParse(rd.GetProperty("uuid").GetString(), out _));
        Assert.Equal("1", rd.GetProperty("props").GetProperty("Aux/a").GetString());
        Assert.False(rd.TryGetProperty("flags", out _));
        Assert.False(rd.TryGetProperty("volume_definitions", out _));
        Assert.Equal(["DRBD", "STORAGE"], rd.GetProperty("layer_data").Strings("type"));
        var drbd = rd.GetProperty("layer_data")[0].GetProperty("data");
        Assert.Equal(7, drbd.GetProperty("peer_slots").GetInt32());
        Assert.Equal(1, drbd.GetProperty("al_stripes").GetInt32());
        Assert.Equal(32, drbd.GetProperty("al_stripe_size_kib").GetInt64());
        Assert.Equal("IP", drbd.GetProperty("transport_type").GetString());
        Assert.False(string.IsNullOrEmpty(drbd.GetProperty("secret").GetString()));
        Assert.False(rd.GetProperty("layer_data")[1].TryGetProperty("data", out _));

        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-definitions/RD-CRUD", """{"override_props":{"Aux/b":"2"},"delete_props":["Aux/a"],"drbd_peer_slots":9,"resource_group":"dfltrscgrp"}"""))).AssertSuccess(HttpStatusCode.OK);
        rd = await Host.GetJsonAsync("/v1/resource-definitions/rd-crud");
        Assert.Equal("2", rd.GetProperty("props").GetProperty("Aux/b").GetString());
        Assert.False(rd.GetProperty("props").TryGetProperty("Aux/a", out _));
        Assert.Equal(9, rd.GetProperty("layer_data")[0].GetProperty("data").GetProperty("peer_slots").GetInt32());

        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/resource-definitions/rd-crud"))).AssertSuccess(HttpStatusCode.OK);
        (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/resource-definitions/rd-crud"))).AssertError(ApiConsts.FailNotFoundRscDfn, HttpStatusCode.NotFound);
        Assert.DoesNotContain("Rd-Crud", (await Host.GetJsonAsync("/v1/resource-definitions")).Strings("name"));
    }

    [Fact]
    public async Task Layer_data_on_create_sets_the_stack_and_peer_slots_follow_the_controller_default()
    {
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/controller/properties", """{"override_props":{"PeerSlotsNewResource":"4"}}"""))).AssertSuccess(HttpStatusCode.Created);
        try
        {
            (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions", """{"resource_definition":{"name":"rd-slots","layer_data":[{"type":"drbd"},{"type":"storage"}]}}"""))).AssertSuccess(HttpStatusCode.Created);
            (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions", """{"resource_definition":{"name":"rd-slots2"},"drbd_peer_slots":3}"""))).AssertSuccess(HttpStatusCode.Created);
            (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions", """{"resource_definition":{"name":"rd-storage-only","layer_data":[{"type":"STORAGE"}]}}"""))).AssertSuccess(HttpStatusCode.Created);
        }
        finally
        {
            (await Rc.ReadAsync(Host.PostJsonAsync("/v1/controller/properties", """{"delete_props":["PeerSlotsNewResource"]}"""))).AssertSuccess(HttpStatusCode.Created);
        }
        Assert.Equal(4, (await Host.GetJsonAsync("/v1/resource-definitions/rd-slots")).GetProperty("layer_data")[0].GetProperty("data").GetProperty("peer_slots").GetInt32());
        Assert.Equal(3, (await Host.GetJsonAsync("/v1/resource-definitions/rd-slots2")).GetProperty("layer_data")[0].GetProperty("data").GetProperty("peer_slots").GetInt32());
        Assert.Equal(["STORAGE"], (await Host.GetJsonAsync("/v1/resource-definitions/rd-storage-only")).GetProperty("layer_data").Strings("type"));
    }

    [Fact]
    public async Task List_filters_by_name_and_props_pages_and_includes_volume_definitions_on_request()
    {
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions", """{"resource_definition":{"name":"rdf-one","props":{"Aux/flt":"x"}}}"""))).AssertSuccess(HttpStatusCode.Created);
        await Host.DefinitionAsync("rdf-two", 4096);

        var byName = await Host.GetJsonAsync("/v1/resource-definitions?resource_definitions=RDF-TWO&resource_definitions=rdf-one");
        Assert.Equal(["rdf-one", "rdf-two"], byName.Strings("name"));
        Assert.Equal(["rdf-one"], (await Host.GetJsonAsync("/v1/resource-definitions?props=Aux/flt=x")).Strings("name"));
        Assert.Equal(["rdf-two"], (await Host.GetJsonAsync("/v1/resource-definitions?resource_definitions=rdf-one,rdf-two&offset=1&limit=1")).Strings("name"));

        var with = await Host.GetJsonAsync("/v1/resource-definitions?resource_definitions=rdf-two&with_volume_definitions=true");
        var vd = Assert.Single(with[0].GetProperty("volume_definitions").EnumerateArray());
        Assert.Equal(4096, vd.GetProperty("size_kib").GetInt64());

        (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/resource-definitions?limit=-1"))).AssertError(ApiConsts.FailInvldRequest, HttpStatusCode.BadRequest);
        (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/resource-definitions?with_volume_definitions=maybe"))).AssertError(ApiConsts.FailInvldRequest, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Volume_definitions_are_created_with_a_minor_grown_and_deleted()
    {
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions", """{"resource_definition":{"name":"rd-vd"}}"""))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/rd-vd/volume-definitions", """{"volume_definition":{"size_kib":1024,"props":{"Aux/v":"1"}}}"""))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/rd-vd/volume-definitions", """{"volume_definition":{"volume_number":3,"size_kib":"2048"},"drbd_minor_number":30000}"""))).AssertSuccess(HttpStatusCode.Created);

        var list = await Host.GetJsonAsync("/v1/resource-definitions/rd-vd/volume-definitions");
        Assert.Equal([0, 3], list.EnumerateArray().Select(v => v.GetProperty("volume_number").GetInt32()));
        var vd0 = await Host.GetJsonAsync("/v1/resource-definitions/rd-vd/volume-definitions/0");
        Assert.Equal(1024, vd0.GetProperty("size_kib").GetInt64());
        Assert.Equal("1", vd0.GetProperty("props").GetProperty("Aux/v").GetString());
        Assert.True(Guid.TryParse(vd0.GetProperty("uuid").GetString(), out _));
        Assert.Equal(["DRBD", "STORAGE"], vd0.GetProperty("layer_data").Strings("type"));
        var drbd = vd0.GetProperty("layer_data")[0].GetProperty("data");
        Assert.Equal(0, drbd.GetProperty("volume_number").GetInt32());
        Assert.InRange(drbd.GetProperty("minor_number").GetInt32(), 1000, 49999);
        Assert.Equal(30000, (await Host.GetJsonAsync("/v1/resource-definitions/rd-vd/volume-definitions/3")).GetProperty("layer_data")[0].GetProperty("data").GetProperty("minor_number").GetInt32());

        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-definitions/rd-vd/volume-definitions/0", """{"size_kib":4096,"flags":["GROSS_SIZE"]}"""))).AssertSuccess(HttpStatusCode.OK);
        vd0 = await Host.GetJsonAsync("/v1/resource-definitions/rd-vd/volume-definitions/0");
        Assert.Equal(4096, vd0.GetProperty("size_kib").GetInt64());
        Assert.Equal(["GROSS_SIZE"], vd0.StringList("flags"));

        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/resource-definitions/rd-vd/volume-definitions/3"))).AssertSuccess(HttpStatusCode.OK);
        (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/resource-definitions/rd-vd/volume-definitions/3"))).AssertError(ApiConsts.FailNotFoundVlmDfn, HttpStatusCode.NotFound);
        (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/resource-definitions/rd-vd/volume-definitions/x"))).AssertError(ApiConsts.FailNotFoundVlmDfn, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"resource_definition":{"name":"1bad"}}""", ApiConsts.FailInvldRscName, HttpStatusCode.InternalServerError)]
    [InlineData("""{"resource_definition":{"name":"rd-nogrp","resource_group_name":"NoSuchGroup"}}""", ApiConsts.FailNotFoundRscGrp, HttpStatusCode.NotFound)]
    [InlineData("""{"resource_definition":{"name":"rd-badlayer","layer_data":[{"type":"DRBD"}]}}""", ApiConsts.FailInvldLayerStack, HttpStatusCode.InternalServerError)]
    [InlineData("""{"resource_definition":{"name":"rd-badslots"},"drbd_peer_slots":40}""", ApiConsts.FailInvldRequest, HttpStatusCode.InternalServerError)]
    [InlineData("""{"resource_definition":{"name":"rd-zero","volume_definitions":[{"size_kib":0}]}}""", ApiConsts.FailInvldVlmSize, HttpStatusCode.InternalServerError)]
    [InlineData("""{"resource_definition":{"name":"rd-unknown-field"},"colour":"red"}""", ApiConsts.FailInvldRequest, HttpStatusCode.BadRequest)]
    [InlineData("""{"resource_definition":""", ApiConsts.FailInvldRequest, HttpStatusCode.BadRequest)]
    public async Task Bad_definitions_are_refused_and_leave_nothing(string body, long code, HttpStatusCode status)
    {
        var before = (await Host.GetJsonAsync("/v1/resource-definitions")).GetArrayLength();
        var rc = await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions", body));
        if (status == HttpStatusCode.BadRequest)
        {
            Assert.Equal(status, rc.Status);
            Assert.True(rc.HasError, rc.Body);
        }
        else
        {
            rc.AssertError(code, status);
        }
        Assert.Equal(before, (await Host.GetJsonAsync("/v1/resource-definitions")).GetArrayLength());
    }

    [Fact]
    public async Task Duplicates_unknown_definitions_and_bad_volume_changes_are_refused_and_change_nothing()
    {
        await Host.DefinitionAsync("rd-err", 2048);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions", """{"resource_definition":{"name":"RD-ERR"}}"""))).AssertError(ApiConsts.FailExistsRscDfn, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/rd-err/volume-definitions", """{"volume_definition":{"volume_number":0,"size_kib":10}}"""))).AssertError(ApiConsts.FailExistsVlmDfn, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/rd-err/volume-definitions", """{"volume_definition":{"size_kib":-5}}"""))).AssertError(ApiConsts.FailInvldVlmSize, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-definitions/rd-err/volume-definitions/0", """{"size_kib":0}"""))).AssertError(ApiConsts.FailInvldVlmSize, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-definitions/rd-err", """{"resource_group":"ghost-group"}"""))).AssertError(ApiConsts.FailNotFoundRscGrp, HttpStatusCode.NotFound);
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-definitions/rd-err", """{"layer_stack":["STORAGE","DRBD"]}"""))).AssertError(ApiConsts.FailInvldLayerStack, HttpStatusCode.InternalServerError);
        var unparsable = await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-definitions/rd-err", """{"override_props":"x"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, unparsable.Status);
        Assert.True(unparsable.HasError);

        var rd = await Host.GetJsonAsync("/v1/resource-definitions/rd-err?x=1");
        Assert.Equal("DfltRscGrp", rd.GetProperty("resource_group_name").GetString());
        Assert.Equal(["DRBD", "STORAGE"], rd.GetProperty("layer_data").Strings("type"));
        var vds = await Host.GetJsonAsync("/v1/resource-definitions/rd-err/volume-definitions");
        Assert.Equal(2048, Assert.Single(vds.EnumerateArray()).GetProperty("size_kib").GetInt64());

        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/ghost-rd/volume-definitions", """{"volume_definition":{"size_kib":10}}"""))).AssertError(ApiConsts.FailNotFoundRscDfn, HttpStatusCode.NotFound);
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-definitions/ghost-rd", """{"override_props":{"Aux/x":"1"}}"""))).AssertError(ApiConsts.FailNotFoundRscDfn, HttpStatusCode.NotFound);
        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/resource-definitions/ghost-rd"))).AssertError(ApiConsts.FailNotFoundRscDfn, HttpStatusCode.NotFound);
        (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/resource-definitions/ghost-rd/volume-definitions"))).AssertError(ApiConsts.FailNotFoundRscDfn, HttpStatusCode.NotFound);
        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/resource-definitions/rd-err/volume-definitions/7"))).AssertError(ApiConsts.FailNotFoundVlmDfn, HttpStatusCode.NotFound);
        Assert.DoesNotContain("ghost-rd", (await Host.GetJsonAsync("/v1/resource-definitions")).Strings("name"));
    }
}
