using Fabric.Core.Tests.Infrastructure;
using System.Net;
using System.Text.Json;
using Fabric.Core.Api;
using Fabric.Host.Tests.Infrastructure;

namespace Fabric.Host.Tests.Rest;

public sealed class ResourcesApiTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private RunningHost Host => fixture.Host;

    [Fact]
    public async Task Replica_has_LINSTOR_resource_volume_and_layer_shapes()
    {
        await Host.NodeAsync("rs-shape", "DfltStorPool");
        await Host.DefinitionAsync("rs-shape", 2048);
        var rc = (await Host.ReplicasAsync("rs-shape", "rs-shape")).AssertSuccess(HttpStatusCode.Created);
        Assert.Equal(ApiConsts.MaskRsc | ApiConsts.MaskCrt | ApiConsts.Created, rc.RetCode());

        var list = await Host.GetJsonAsync("/v1/resource-definitions/rs-shape/resources");
        var rsc = Assert.Single(list.EnumerateArray());
        Assert.Equal("rs-shape", rsc.GetProperty("name").GetString());
        Assert.Equal("rs-shape", rsc.GetProperty("node_name").GetString());
        Assert.False(rsc.TryGetProperty("flags", out _), "a diskful replica has no flags");
        Assert.False(rsc.TryGetProperty("state", out _), "no agent has reported a state");
        Assert.False(rsc.TryGetProperty("volumes", out _), "the per-definition list answers Resource, not ResourceWithVolumes");
        Assert.True(Guid.TryParse(rsc.GetProperty("uuid").GetString(), out _));
        Assert.True(rsc.GetProperty("create_timestamp").GetInt64() > 1_600_000_000_000);

        var layer = rsc.GetProperty("layer_object");
        Assert.Equal("DRBD", layer.GetProperty("type").GetString());
        var drbd = layer.GetProperty("drbd");
        Assert.Equal(0, drbd.GetProperty("node_id").GetInt32());
        var port = Assert.Single(drbd.GetProperty("tcp_ports").EnumerateArray()).GetInt32();
        Assert.InRange(port, 7000, 7999);
        Assert.Equal(7, drbd.GetProperty("peer_slots").GetInt32());
        Assert.Equal(1, drbd.GetProperty("al_stripes").GetInt32());
        Assert.Equal(32, drbd.GetProperty("al_size").GetInt64());
        var rdLayer = drbd.GetProperty("drbd_resource_definition");
        Assert.Equal(port, rdLayer.GetProperty("port").GetInt32());
        Assert.Equal("IP", rdLayer.GetProperty("transport_type").GetString());
        Assert.Equal(32, rdLayer.GetProperty("al_stripe_size_kib").GetInt64());
        var drbdVolume = Assert.Single(drbd.GetProperty("drbd_volumes").EnumerateArray());
        var minor = drbdVolume.GetProperty("drbd_volume_definition").GetProperty("minor_number").GetInt32();
        Assert.Equal($"/dev/drbd{minor}", drbdVolume.GetProperty("device_path").GetString());
        var storage = Assert.Single(layer.GetProperty("children").EnumerateArray());
        Assert.Equal("STORAGE", storage.GetProperty("type").GetString());
        Assert.Equal(0, Assert.Single(storage.GetProperty("storage").GetProperty("storage_volumes").EnumerateArray()).GetProperty("volume_number").GetInt32());

        var single = await Host.GetJsonAsync("/v1/resource-definitions/RS-SHAPE/resources/RS-SHAPE");
        Assert.Equal(rsc.GetProperty("uuid").GetString(), single.GetProperty("uuid").GetString());

        var volume = Assert.Single((await Host.GetJsonAsync("/v1/resource-definitions/rs-shape/resources/rs-shape/volumes")).EnumerateArray());
        Assert.Equal(0, volume.GetProperty("volume_number").GetInt32());
        Assert.Equal("DfltStorPool", volume.GetProperty("storage_pool_name").GetString());
        Assert.Equal("FILE_THIN", volume.GetProperty("provider_kind").GetString());
        Assert.Equal($"/dev/drbd{minor}", volume.GetProperty("device_path").GetString());
        Assert.False(volume.TryGetProperty("state", out _));
        Assert.Equal(["DRBD", "STORAGE"], volume.GetProperty("layer_data_list").Strings("type"));
        Assert.Equal(minor, volume.GetProperty("layer_data_list")[0].GetProperty("data").GetProperty("drbd_volume_definition").GetProperty("minor_number").GetInt32());
        Assert.Equal(0, volume.GetProperty("layer_data_list")[1].GetProperty("data").GetProperty("volume_number").GetInt32());
        var single0 = await Host.GetJsonAsync("/v1/resource-definitions/rs-shape/resources/rs-shape/volumes/0");
        Assert.Equal(volume.GetProperty("uuid").GetString(), single0.GetProperty("uuid").GetString());
    }

    [Fact]
    public async Task Pools_come_from_StorPoolName_by_priority_and_diskless_replicas_use_the_diskless_pool()
    {
        await Host.NodeAsync("rs-p1", "DfltStorPool", "fast");
        await Host.NodeAsync("rs-p2", "DfltStorPool", "fast");
        await Host.NodeAsync("rs-p3");
        await Host.NodeAsync("rs-p4", "slow");
        await Host.DefinitionAsync("rs-pools");
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/nodes/rs-p4", """{"override_props":{"StorPoolName":"slow"}}"""))).AssertSuccess(HttpStatusCode.OK);

        var body = """
            [{"resource":{"node_name":"rs-p1","props":{"StorPoolName":"fast"}}},
             {"resource":{"node_name":"rs-p2"}},
             {"resource":{"node_name":"rs-p3","flags":["DRBD_DISKLESS"]}},
             {"resource":{"node_name":"rs-p4"},"drbd_node_id":9}]
            """;
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/rs-pools/resources", body))).AssertSuccess(HttpStatusCode.Created);

        var view = await Host.GetJsonAsync("/v1/view/resources?resources=rs-pools");
        var byNode = view.EnumerateArray().ToDictionary(r => r.GetProperty("node_name").GetString()!);
        Assert.Equal(["rs-p1", "rs-p2", "rs-p3", "rs-p4"], byNode.Keys.Order(StringComparer.Ordinal));
        string Pool(string node) => byNode[node].GetProperty("volumes")[0].GetProperty("storage_pool_name").GetString()!;
        Assert.Equal("fast", Pool("rs-p1"));
        Assert.Equal("DfltStorPool", Pool("rs-p2"));
        Assert.Equal("DfltDisklessStorPool", Pool("rs-p3"));
        Assert.Equal("slow", Pool("rs-p4"));
        Assert.Equal(["DISKLESS", "DRBD_DISKLESS"], byNode["rs-p3"].StringList("flags"));
        Assert.Equal("DISKLESS", byNode["rs-p3"].GetProperty("volumes")[0].GetProperty("provider_kind").GetString());
        Assert.Equal(9, byNode["rs-p4"].GetProperty("layer_object").GetProperty("drbd").GetProperty("node_id").GetInt32());
    }

    [Fact]
    public async Task Effective_props_show_the_winning_level_and_what_it_overrides()
    {
        await Host.NodeAsync("rs-eff", "DfltStorPool");
        await Host.DefinitionAsync("rs-eff");
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/nodes/rs-eff", """{"override_props":{"Aux/k":"node","Aux/n":"node-only"}}"""))).AssertSuccess(HttpStatusCode.OK);
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-definitions/rs-eff", """{"override_props":{"Aux/k":"rd"}}"""))).AssertSuccess(HttpStatusCode.OK);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/rs-eff/resources", """[{"resource":{"node_name":"rs-eff","props":{"Aux/k":"rsc"}}}]"""))).AssertSuccess(HttpStatusCode.Created);

        var eff = (await Host.GetJsonAsync("/v1/resource-definitions/rs-eff/resources/rs-eff")).GetProperty("effective_props");
        var k = eff.GetProperty("Aux/k");
        Assert.Equal("rsc", k.GetProperty("value").GetString());
        Assert.Equal("RESOURCE", k.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(k.GetProperty("descr").GetString()));
        Assert.Equal(["rd", "node"], k.GetProperty("other").Strings("value"));
        Assert.Equal(["RESOURCE_DEFINITION", "NODE"], k.GetProperty("other").Strings("type"));
        Assert.Equal("NODE", eff.GetProperty("Aux/n").GetProperty("type").GetString());
        Assert.False(eff.GetProperty("Aux/n").TryGetProperty("other", out _));
    }

    [Fact]
    public async Task Replicas_and_volumes_are_modified_made_available_and_deleted()
    {
        await Host.NodeAsync("rs-m1", "DfltStorPool");
        await Host.NodeAsync("rs-m2", "DfltStorPool");
        await Host.DefinitionAsync("rs-mod");
        (await Host.ReplicasAsync("rs-mod", "rs-m1")).AssertSuccess(HttpStatusCode.Created);

        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-definitions/rs-mod/resources/rs-m1", """{"override_props":{"Aux/r":"1"}}"""))).AssertSuccess(HttpStatusCode.OK);
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-definitions/rs-mod/resources/rs-m1/volumes/0", """{"override_props":{"Aux/v":"2"}}"""))).AssertSuccess(HttpStatusCode.OK);
        Assert.Equal("1", (await Host.GetJsonAsync("/v1/resource-definitions/rs-mod/resources/rs-m1")).GetProperty("props").GetProperty("Aux/r").GetString());
        Assert.Equal("2", (await Host.GetJsonAsync("/v1/resource-definitions/rs-mod/resources/rs-m1/volumes/0")).GetProperty("props").GetProperty("Aux/v").GetString());

        var again = (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/rs-mod/resources/rs-m1/make-available", "{}"))).AssertSuccess(HttpStatusCode.OK);
        Assert.Equal(ApiConsts.InfoRscAlreadyExists, ApiConsts.CodeOf(again.RetCode()));
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/rs-mod/resources/rs-m2/make-available", "{}"))).AssertSuccess(HttpStatusCode.OK);
        var client = await Host.GetJsonAsync("/v1/resource-definitions/rs-mod/resources/rs-m2");
        Assert.Contains("DRBD_DISKLESS", client.StringList("flags"));

        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/resource-definitions/rs-mod/resources/rs-m2"))).AssertSuccess(HttpStatusCode.OK);
        (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/resource-definitions/rs-mod/resources/rs-m2"))).AssertError(ApiConsts.FailNotFoundRsc, HttpStatusCode.NotFound);
        Assert.Equal(["rs-m1"], (await Host.GetJsonAsync("/v1/resource-definitions/rs-mod/resources")).Strings("node_name"));
    }

    [Fact]
    public async Task Bad_replica_requests_are_refused_and_change_nothing()
    {
        await Host.NodeAsync("rs-e1", "DfltStorPool");
        await Host.NodeAsync("rs-e2", "DfltStorPool");
        await Host.NodeAsync("rs-e3", "DfltStorPool");
        await Host.NodeAsync("rs-nopool");
        await Host.DefinitionAsync("rs-err", extra: ""","drbd_peer_slots":1""");
        (await Host.ReplicasAsync("rs-err", "rs-e1", "rs-e2")).AssertSuccess(HttpStatusCode.Created);

        async Task<string[]> Nodes() => [.. (await Host.GetJsonAsync("/v1/resource-definitions/rs-err/resources")).Strings("node_name")];
        var before = await Nodes();
        Assert.Equal(["rs-e1", "rs-e2"], before);

        (await Host.ReplicasAsync("rs-err", "rs-ghost")).AssertError(ApiConsts.FailNotFoundNode, HttpStatusCode.NotFound);
        (await Host.ReplicasAsync("rs-err", "rs-nopool")).AssertError(ApiConsts.FailNotFoundStorPool, HttpStatusCode.NotFound);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/rs-err/resources", """[{"resource":{"node_name":"rs-e3","props":{"StorPoolName":"nope"}}}]"""))).AssertError(ApiConsts.FailNotFoundStorPool, HttpStatusCode.NotFound);
        (await Host.ReplicasAsync("rs-err", "RS-E1")).AssertError(ApiConsts.FailExistsRsc, HttpStatusCode.InternalServerError);
        (await Host.ReplicasAsync("rs-err", "rs-e3")).AssertError(ApiConsts.FailInsufficientPeerSlots, HttpStatusCode.InternalServerError);
        (await Host.ReplicasAsync("rs-err", "bad name")).AssertError(ApiConsts.FailInvldNodeName, HttpStatusCode.InternalServerError);
        (await Host.ReplicasAsync("rs-ghost-rd", "rs-e3")).AssertError(ApiConsts.FailNotFoundRscDfn, HttpStatusCode.NotFound);
        var unparsable = await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/rs-err/resources", """{"resource":{"node_name":"rs-e3"}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, unparsable.Status);
        var unknownField = await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/rs-err/resources", """[{"resource":{"node_name":"rs-e3"},"drbd_diskless":true}]"""));
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.Status);
        var badFlag = await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/resource-definitions/rs-err/resources/rs-e1?keep_tiebreaker=perhaps"));
        Assert.Equal(HttpStatusCode.BadRequest, badFlag.Status);
        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/resource-definitions/rs-err/resources/rs-e3"))).AssertError(ApiConsts.FailNotFoundRsc, HttpStatusCode.NotFound);
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-definitions/rs-err/resources/rs-e1/volumes/5", """{"override_props":{"Aux/x":"1"}}"""))).AssertError(ApiConsts.FailNotFoundVlm, HttpStatusCode.NotFound);
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-definitions/rs-err/volume-definitions/0", """{"size_kib":512}"""))).AssertError(ApiConsts.FailInvldVlmSize, HttpStatusCode.InternalServerError);

        Assert.Equal(before, await Nodes());
        Assert.Equal(1024, (await Host.GetJsonAsync("/v1/resource-definitions/rs-err/volume-definitions/0")).GetProperty("size_kib").GetInt64());
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-definitions/rs-err/volume-definitions/0", """{"size_kib":4096}"""))).AssertSuccess(HttpStatusCode.OK);
        Assert.Equal(4096, (await Host.GetJsonAsync("/v1/resource-definitions/rs-err/volume-definitions/0")).GetProperty("size_kib").GetInt64());
    }
}

/// <summary>Auto-tiebreaker and auto-quorum as REST shows them, on a cluster of its own so the candidate is known.</summary>
public sealed class TiebreakerRestTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private RunningHost Host => fixture.Host;

    [Fact]
    public async Task Two_diskful_replicas_get_a_diskless_tiebreaker_and_quorum_which_go_again_with_one_replica()
    {
        await Host.NodeAsync("alpha", "DfltStorPool");
        await Host.NodeAsync("bravo", "DfltStorPool");
        await Host.NodeAsync("charlie");
        await Host.DefinitionAsync("tb1");
        // Only an online node can take the tiebreaker; charlie's (fake) agent reports it.
        await using var agent = new FakeNodeAgent(Host.Fabric, "charlie");
        await NodeStatusWait.UntilOnlineAsync(Host.Fabric, "charlie", TimeSpan.FromSeconds(30));

        var rc = (await Host.ReplicasAsync("tb1", "alpha", "bravo")).AssertSuccess(HttpStatusCode.Created);
        Assert.Contains(rc.Entries, e => ApiConsts.CodeOf(e.GetProperty("ret_code").GetInt64()) == ApiConsts.InfoTieBreakerCreated);

        var replicas = (await Host.GetJsonAsync("/v1/resource-definitions/tb1/resources")).EnumerateArray().ToDictionary(r => r.GetProperty("node_name").GetString()!);
        Assert.Equal(["alpha", "bravo", "charlie"], replicas.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["DISKLESS", "DRBD_DISKLESS", "TIE_BREAKER"], replicas["charlie"].StringList("flags"));
        Assert.Empty(replicas["alpha"].StringList("flags"));
        var tbVolume = await Host.GetJsonAsync("/v1/resource-definitions/tb1/resources/charlie/volumes/0");
        Assert.Equal("DfltDisklessStorPool", tbVolume.GetProperty("storage_pool_name").GetString());
        var props = (await Host.GetJsonAsync("/v1/resource-definitions/tb1")).GetProperty("props");
        Assert.Equal("majority", props.GetProperty("DrbdOptions/Resource/quorum").GetString());

        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/resource-definitions/tb1/resources/bravo"))).AssertSuccess(HttpStatusCode.OK);
        Assert.Equal(["alpha"], (await Host.GetJsonAsync("/v1/resource-definitions/tb1/resources")).Strings("node_name"));
        props = (await Host.GetJsonAsync("/v1/resource-definitions/tb1")).GetProperty("props");
        Assert.Equal("off", props.GetProperty("DrbdOptions/Resource/quorum").GetString());
    }

    [Fact]
    public async Task Keep_tiebreaker_turns_the_deleted_diskful_replica_into_the_tiebreaker()
    {
        await Host.NodeAsync("kt-a", "DfltStorPool");
        await Host.NodeAsync("kt-b", "DfltStorPool");
        await Host.NodeAsync("kt-c", "DfltStorPool");
        await Host.DefinitionAsync("tb2");
        (await Host.ReplicasAsync("tb2", "kt-a", "kt-b", "kt-c")).AssertSuccess(HttpStatusCode.Created);
        Assert.Equal(3, (await Host.GetJsonAsync("/v1/resource-definitions/tb2/resources")).GetArrayLength());

        (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/resource-definitions/tb2/resources/kt-c?keep_tiebreaker=true"))).AssertSuccess(HttpStatusCode.OK);

        var c = await Host.GetJsonAsync("/v1/resource-definitions/tb2/resources/kt-c");
        Assert.Contains("TIE_BREAKER", c.StringList("flags"));
        Assert.Equal(3, (await Host.GetJsonAsync("/v1/resource-definitions/tb2/resources")).GetArrayLength());
    }
}
