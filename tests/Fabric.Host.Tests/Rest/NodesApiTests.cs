using System.Net;
using System.Text.Json;
using Fabric.Core.Api;
using Fabric.Host.Tests.Infrastructure;

namespace Fabric.Host.Tests.Rest;

public sealed class NodesApiTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private RunningHost Host => fixture.Host;

    private static string NodeJson(string name, string type = "satellite", string address = "10.0.0.1") =>
        $$$"""{"name":"{{{name}}}","type":"{{{type}}}","net_interfaces":[{"name":"default","address":"{{{address}}}","satellite_port":"3366","satellite_encryption_type":"plain"}],"props":{"Aux/rack":"r1"}}""";

    private async Task<string[]> NodeNamesAsync() =>
        (await Host.GetJsonAsync("/v1/nodes")).EnumerateArray().Select(n => n.GetProperty("name").GetString()!).ToArray();

    [Fact]
    public async Task Create_then_list_and_get_shows_the_node_in_LINSTOR_shape()
    {
        var rc = (await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes", NodeJson("Alpha-1")))).AssertSuccess(HttpStatusCode.Created);
        Assert.Equal(ApiConsts.MaskNode | ApiConsts.MaskCrt | ApiConsts.Created, rc.RetCode());
        Assert.Equal("Alpha-1", rc.Entries[0].GetProperty("obj_refs").GetProperty("Node").GetString());

        Assert.Contains("Alpha-1", await NodeNamesAsync());
        var node = await Host.GetJsonAsync("/v1/nodes/alpha-1");
        Assert.Equal("Alpha-1", node.GetProperty("name").GetString());
        Assert.Equal("SATELLITE", node.GetProperty("type").GetString());
        Assert.Equal("OFFLINE", node.GetProperty("connection_status").GetString());
        Assert.Equal("r1", node.GetProperty("props").GetProperty("Aux/rack").GetString());
        var netIf = node.GetProperty("net_interfaces")[0];
        Assert.Equal("10.0.0.1", netIf.GetProperty("address").GetString());
        Assert.Equal(3366, netIf.GetProperty("satellite_port").GetInt32());
        Assert.Equal("PLAIN", netIf.GetProperty("satellite_encryption_type").GetString());
        Assert.False(node.TryGetProperty("flags", out _), "empty fields are omitted");
    }

    [Fact]
    public async Task Duplicate_name_in_another_case_is_refused_and_changes_nothing()
    {
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes", NodeJson("dup-node", address: "10.0.0.2")))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes", NodeJson("DUP-NODE", "combined", "10.0.0.3")))).AssertError(ApiConsts.FailExistsNode, HttpStatusCode.InternalServerError);
        var node = await Host.GetJsonAsync("/v1/nodes/dup-node");
        Assert.Equal("dup-node", node.GetProperty("name").GetString());
        Assert.Equal("SATELLITE", node.GetProperty("type").GetString());
        Assert.Single(await NodeNamesAsync(), n => n.Equals("dup-node", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("bad name", "satellite", ApiConsts.FailInvldNodeName)]
    [InlineData("-leading", "satellite", ApiConsts.FailInvldNodeName)]
    [InlineData("", "satellite", ApiConsts.FailInvldNodeName)]
    [InlineData("typeless", "storagebox", ApiConsts.FailInvldNodeType)]
    public async Task Invalid_input_is_refused_with_message_cause_and_correction(string name, string type, long code)
    {
        var before = await NodeNamesAsync();
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes", NodeJson(name, type)))).AssertError(code, HttpStatusCode.InternalServerError);
        Assert.Equal(before, await NodeNamesAsync());
    }

    [Fact]
    public async Task Missing_type_and_bad_address_are_refused()
    {
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes", """{"name":"notype"}"""))).AssertError(ApiConsts.FailInvldNodeType, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes", NodeJson("badaddr", address: "300.1.2.3")))).AssertError(ApiConsts.FailInvldNetAddr, HttpStatusCode.InternalServerError);
        var names = await NodeNamesAsync();
        Assert.DoesNotContain("notype", names);
        Assert.DoesNotContain("badaddr", names);
    }

    [Theory]
    [InlineData("{\"name\":\"x1\",\"type\":\"satellite\"")]
    [InlineData("{\"name\":\"x2\",\"type\":\"satellite\",\"colour\":\"red\"}")]
    [InlineData("{\"name\":\"x3\",\"type\":[1]}")]
    [InlineData("[]")]
    public async Task Unparsable_or_wrong_shaped_bodies_get_400(string body)
    {
        var rc = await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes", body));
        Assert.Equal(HttpStatusCode.BadRequest, rc.Status);
        Assert.Equal(ApiConsts.ApiCallParseError, rc.RetCode());
        Assert.DoesNotContain((await NodeNamesAsync()), n => n is "x1" or "x2" or "x3");
    }

    [Fact]
    public async Task Oversized_body_gets_413_and_changes_nothing()
    {
        var huge = "{\"name\":\"huge\",\"type\":\"satellite\",\"props\":{\"Aux/x\":\"" + new string('a', 2 * 1024 * 1024) + "\"}}";
        var rc = await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes", huge));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, rc.Status);
        Assert.True(rc.HasError);
        Assert.DoesNotContain("huge", await NodeNamesAsync());
    }

    [Fact]
    public async Task Missing_node_is_404_with_an_ApiCallRc_list()
    {
        using var response = await Host.Rest.GetAsync("/v1/nodes/nosuchnode");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var rc = await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/nodes/nosuchnode"));
        rc.AssertError(ApiConsts.FailNotFoundNode, HttpStatusCode.NotFound);
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/nodes/nosuchnode", "{}"))).AssertError(ApiConsts.FailNotFoundNode, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Modify_sets_and_deletes_props_and_changes_type()
    {
        await Host.PostJsonAsync("/v1/nodes", NodeJson("modnode"));
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/nodes/MODNODE", """{"node_type":"Combined","override_props":{"Aux/a":"1","Aux/tmp/x":"2","Aux/tmp/y":"3"}}"""))).AssertSuccess(HttpStatusCode.OK);
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/nodes/modnode", """{"delete_props":["Aux/rack"],"delete_namespaces":["Aux/tmp"]}"""))).AssertSuccess(HttpStatusCode.OK);
        var node = await Host.GetJsonAsync("/v1/nodes/modnode");
        Assert.Equal("COMBINED", node.GetProperty("type").GetString());
        var props = node.GetProperty("props").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(new Dictionary<string, string?> { ["Aux/a"] = "1" }, props);
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/nodes/modnode", """{"override_props":{"/bad":"1"}}"""))).AssertError(ApiConsts.FailInvldPropKey, HttpStatusCode.InternalServerError);
    }

    [Fact]
    public async Task Delete_refuses_while_pools_exist_and_lost_removes_everything()
    {
        await Host.PostJsonAsync("/v1/nodes", NodeJson("delnode"));
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes/delnode/storage-pools", """{"storage_pool_name":"dpool","provider_kind":"FILE","props":{"StorDriver/StorPoolName":"/tmp/dpool"}}"""))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/nodes/delnode"))).AssertError(ApiConsts.FailInUse, HttpStatusCode.InternalServerError);
        Assert.Contains("delnode", await NodeNamesAsync());

        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/nodes/delnode/storage-pools/dpool"))).AssertSuccess(HttpStatusCode.OK);
        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/nodes/delnode"))).AssertSuccess(HttpStatusCode.OK);
        Assert.DoesNotContain("delnode", await NodeNamesAsync());

        await Host.PostJsonAsync("/v1/nodes", NodeJson("lostnode"));
        await Host.PostJsonAsync("/v1/nodes/lostnode/storage-pools", """{"storage_pool_name":"lpool","provider_kind":"FILE","props":{"StorDriver/StorPoolName":"/tmp/lpool"}}""");
        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/nodes/lostnode/lost"))).AssertSuccess(HttpStatusCode.OK);
        Assert.DoesNotContain("lostnode", await NodeNamesAsync());
        var pools = await Host.GetJsonAsync("/v1/view/storage-pools?nodes=lostnode");
        Assert.Equal(0, pools.GetArrayLength());

        // The name is free again.
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes", NodeJson("delnode")))).AssertSuccess(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Filters_offset_and_limit_apply_to_lists()
    {
        foreach (var name in new[] { "page-a", "page-b", "page-c" })
        {
            await Host.PostJsonAsync("/v1/nodes", NodeJson(name));
        }
        await Host.PutJsonAsync("/v1/nodes/page-b", """{"override_props":{"Aux/zone":"z9"}}""");

        var filtered = await Host.GetJsonAsync("/v1/nodes?nodes=PAGE-A&nodes=page-c");
        Assert.Equal(["page-a", "page-c"], filtered.EnumerateArray().Select(n => n.GetProperty("name").GetString()!).Order());
        var byProp = await Host.GetJsonAsync("/v1/nodes?props=Aux/zone=z9");
        Assert.Equal("page-b", Assert.Single(byProp.EnumerateArray()).GetProperty("name").GetString());

        var all = await NodeNamesAsync();
        var page = await Host.GetJsonAsync("/v1/nodes?offset=1&limit=2");
        Assert.Equal(all.Skip(1).Take(2), page.EnumerateArray().Select(n => n.GetProperty("name").GetString()!));
        var bad = await Rc.ReadAsync(Host.Rest.GetAsync("/v1/nodes?limit=-3"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
    }

    [Fact]
    public async Task Net_interfaces_are_created_modified_listed_and_deleted()
    {
        await Host.PostJsonAsync("/v1/nodes", NodeJson("netnode"));
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes/netnode/net-interfaces", """{"name":"repl","address":"fd00::5"}"""))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes/netnode/net-interfaces", """{"name":"REPL","address":"10.9.9.9"}"""))).AssertError(ApiConsts.FailExistsNetIf, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes/netnode/net-interfaces", """{"name":"x","address":"10.9.9.9"}"""))).AssertError(ApiConsts.FailInvldNetName, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/nodes/netnode/net-interfaces/repl", """{"name":"repl","address":"10.1.1.1","satellite_port":7000}"""))).AssertSuccess(HttpStatusCode.OK);
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/nodes/netnode/net-interfaces/repl", """{"name":"repl","satellite_port":70000}"""))).AssertError(ApiConsts.FailInvldNetPort, HttpStatusCode.InternalServerError);

        var repl = await Host.GetJsonAsync("/v1/nodes/netnode/net-interfaces/REPL");
        Assert.Equal("10.1.1.1", repl.GetProperty("address").GetString());
        Assert.Equal(7000, repl.GetProperty("satellite_port").GetInt32());
        Assert.Equal(2, (await Host.GetJsonAsync("/v1/nodes/netnode/net-interfaces")).GetArrayLength());

        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/nodes/netnode/net-interfaces/repl"))).AssertSuccess(HttpStatusCode.OK);
        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/nodes/netnode/net-interfaces/repl"))).AssertError(ApiConsts.FailNotFoundNetIf, HttpStatusCode.NotFound);
        Assert.Equal(1, (await Host.GetJsonAsync("/v1/nodes/netnode/net-interfaces")).GetArrayLength());
    }

    [Fact]
    public async Task Own_node_is_registered_as_combined_with_the_default_diskless_pool_and_a_file_thin_pool_in_the_data_dir()
    {
        var node = await Host.GetJsonAsync($"/v1/nodes/{Host.Settings.NodeName}");
        Assert.Equal("COMBINED", node.GetProperty("type").GetString());
        var pools = (await Host.GetJsonAsync($"/v1/nodes/{Host.Settings.NodeName}/storage-pools")).EnumerateArray()
            .ToDictionary(p => p.GetProperty("storage_pool_name").GetString()!, p => p);
        Assert.Equal(["DfltDisklessStorPool", "DfltStorPool"], pools.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("DISKLESS", pools["DfltDisklessStorPool"].GetProperty("provider_kind").GetString());
        Assert.Equal("FILE_THIN", pools["DfltStorPool"].GetProperty("provider_kind").GetString());
        var directory = pools["DfltStorPool"].GetProperty("props").GetProperty("StorDriver/StorPoolName").GetString()!;
        Assert.Equal(Path.Combine(Path.GetFullPath(Host.Settings.DataDir), "storage", "DfltStorPool"), directory);
        Assert.True(Directory.Exists(directory));
    }
}
