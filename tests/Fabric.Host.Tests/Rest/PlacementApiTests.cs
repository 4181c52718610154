using System.Net;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Api;
using Fabric.Core.Tests.Infrastructure;
using Fabric.Host.Tests.Infrastructure;

namespace Fabric.Host.Tests.Rest;

/// <summary>
/// One host and four nodes whose fake agents report them online through the status protocol:
/// a1 (rack r1, data 4,000,000 KiB free, fast 9,000,000), a2 (r1, data 3,000,000, fast 9,000,000),
/// a3 (r2, data 2,000,000), a4 (r3, data 1,000,000); every pool 10,000,000 KiB total, LVM (fat).
/// Tests keep to their own nodes with node_name_list.
/// </summary>
public sealed class PlacementFixture : IAsyncLifetime
{
    public const string ANodes = """["a1","a2","a3","a4"]""";

    private readonly List<FakeNodeAgent> _agents = [];

    public RunningHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await RunningHost.StartAsync(RunningHost.NewSettings());
        var nodes = new (string Name, string Rack, long Data, long? Fast)[]
        {
            ("a1", "r1", 4_000_000, 9_000_000), ("a2", "r1", 3_000_000, 9_000_000), ("a3", "r2", 2_000_000, null), ("a4", "r3", 1_000_000, null),
        };
        foreach (var (name, rack, data, fast) in nodes)
        {
            await AddNodeAsync(name, new() { ["Aux/rack"] = rack });
            await AddPoolAsync(name, "data");
            var agent = new FakeNodeAgent(Host.Fabric, name).SetPool("data", "LVM", data, 10_000_000);
            if (fast is { } f)
            {
                await AddPoolAsync(name, "fast");
                agent.SetPool("fast", "LVM", f, 10_000_000);
            }
            _agents.Add(agent);
        }
        foreach (var agent in _agents)
        {
            await NodeStatusWait.UntilOnlineAsync(Host.Fabric, agent.NodeName, TimeSpan.FromSeconds(30));
        }
    }

    public async Task AddNodeAsync(string name, Dictionary<string, string>? props = null)
    {
        var propsJson = "{" + string.Join(",", (props ?? []).Select(p => $"\"{p.Key}\":\"{p.Value}\"")) + "}";
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes", $$"""{"name":"{{name}}","type":"satellite","props":{{propsJson}},"net_interfaces":[{"name":"default","address":"10.1.0.{{_agents.Count + 10}}"}]}"""))).AssertSuccess(HttpStatusCode.Created);
    }

    public async Task AddPoolAsync(string node, string pool) =>
        Assert.False((await Rc.ReadAsync(Host.PostJsonAsync($"/v1/nodes/{node}/storage-pools", $$$"""{"storage_pool_name":"{{{pool}}}","provider_kind":"LVM","props":{"StorDriver/StorPoolName":"vg/{{{pool}}}"}}"""))).HasError);

    public FakeNodeAgent Agent(FakeNodeAgent agent)
    {
        _agents.Add(agent);
        return agent;
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }
        await Host.DisposeAsync();
    }
}

public sealed class PlacementApiTests(PlacementFixture fixture) : IClassFixture<PlacementFixture>
{
    private RunningHost Host => fixture.Host;

    private ResourceDefinitionState? Rd(string name) => Host.Fabric.Views.Current.Resource(name.ToUpperInvariant());

    private static List<Replica> Diskful(ResourceDefinitionState rd) => rd.Replicas.Values.Where(r => !r.IsDiskless && !r.IsTieBreaker).ToList();

    private async Task CreateGroupAsync(string json) => (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups", json))).AssertSuccess(HttpStatusCode.Created);

    [Fact]
    public async Task Spawn_places_three_replicas_on_different_racks_in_the_requested_pool_with_volume_group_props()
    {
        await CreateGroupAsync($$$"""{"name":"rg-rack","select_filter":{"place_count":3,"storage_pool":"data","replicas_on_different":["Aux/rack"],"node_name_list":{{{PlacementFixture.ANodes}}}}}""");
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-rack/volume-groups", """{"volume_number":0,"props":{"Aux/vg":"zero"}}"""))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-rack/volume-groups", """{"volume_number":1}"""))).AssertSuccess(HttpStatusCode.Created);

        var rc = (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-rack/spawn", """{"resource_definition_name":"rack-rd","volume_sizes":[100000,200000],"resource_definition_props":{"Aux/rd":"y"}}""")))
            .AssertSuccess(HttpStatusCode.Created);

        var rd = Assert.IsType<ResourceDefinitionState>(Rd("rack-rd"));
        var diskful = Diskful(rd);
        Assert.Equal(["a1", "a3", "a4"], diskful.Select(r => r.NodeName).Order());
        Assert.All(diskful, r => Assert.Equal("data", r.StoragePool));
        Assert.Equal("rg-rack", rd.ResourceGroup);
        Assert.Equal([100000L, 200000L], rd.VolumeDefinitions.Values.Select(v => v.SizeKiB));
        Assert.Equal("zero", rd.VolumeDefinitions[0].Props["Aux/vg"]);
        Assert.Equal("y", rd.Props["Aux/rd"]);
        Assert.Equal("majority", rd.Props["DrbdOptions/Resource/quorum"]);
        Assert.Contains(rc.Entries, e => e.GetProperty("message").GetString()!.Contains("created on node 'a3'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Spawn_with_definitions_only_creates_volumes_and_no_replicas()
    {
        await CreateGroupAsync($$$"""{"name":"rg-defonly","select_filter":{"place_count":2,"node_name_list":{{{PlacementFixture.ANodes}}}}}""");
        var rc = (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-defonly/spawn", """{"resource_definition_name":"defonly-rd","volume_sizes":[1024,2048],"definitions_only":true}""")))
            .AssertSuccess(HttpStatusCode.Created);
        var rd = Assert.IsType<ResourceDefinitionState>(Rd("defonly-rd"));
        Assert.Empty(rd.Replicas);
        Assert.Equal([0, 1], rd.VolumeDefinitions.Keys);
        Assert.Contains(rc.Entries, e => ApiConsts.CodeOf(e.GetProperty("ret_code").GetInt64()) == ApiConsts.InfoNoRscSpawned);
    }

    [Fact]
    public async Task Spawn_checks_the_sizes_against_the_volume_groups_and_partial()
    {
        await CreateGroupAsync($$$"""{"name":"rg-partial","select_filter":{"place_count":1,"node_name_list":{{{PlacementFixture.ANodes}}}}}""");
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-partial/volume-groups", """{"props":{"Aux/n":"0"}}"""))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-partial/volume-groups", """{"props":{"Aux/n":"1"}}"""))).AssertSuccess(HttpStatusCode.Created);

        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-partial/spawn", """{"resource_definition_name":"partial-rd","volume_sizes":[1024]}""")))
            .AssertError(ApiConsts.FailInvldVlmSizes, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-partial/spawn", """{"resource_definition_name":"partial-rd","volume_sizes":[1,2,3]}""")))
            .AssertError(ApiConsts.FailInvldVlmSizes, HttpStatusCode.InternalServerError);
        Assert.Null(Rd("partial-rd"));

        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-partial/spawn", """{"resource_definition_name":"partial-rd","volume_sizes":[1024],"partial":true}""")))
            .AssertSuccess(HttpStatusCode.Created);
        var rd = Assert.IsType<ResourceDefinitionState>(Rd("partial-rd"));
        Assert.Equal("0", Assert.Single(rd.VolumeDefinitions.Values).Props["Aux/n"]);
        Assert.Single(Diskful(rd));

        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-partial/spawn", """{"resource_definition_name":"partial-more","volume_sizes":[1,2,3],"partial":true}""")))
            .AssertSuccess(HttpStatusCode.Created);
        var more = Assert.IsType<ResourceDefinitionState>(Rd("partial-more"));
        Assert.Equal([0, 1, 2], more.VolumeDefinitions.Keys);
        Assert.Empty(more.VolumeDefinitions[2].Props);
    }

    [Fact]
    public async Task Spawn_refuses_bad_requests_and_creates_nothing()
    {
        await CreateGroupAsync($$$"""{"name":"rg-bad","select_filter":{"place_count":2,"node_name_list":{{{PlacementFixture.ANodes}}}}}""");
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-bad/spawn", """{"resource_definition_name":"bad-zero","volume_sizes":[0]}"""))).AssertError(ApiConsts.FailInvldVlmSize, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-bad/spawn", """{"resource_definition_name":"bad-neg","volume_sizes":[1024,-5]}"""))).AssertError(ApiConsts.FailInvldVlmSize, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-bad/spawn", """{"resource_definition_name":"bad name","volume_sizes":[1024]}"""))).AssertError(ApiConsts.FailInvldRscName, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/no-such-group/spawn", """{"resource_definition_name":"bad-group","volume_sizes":[1024]}"""))).AssertError(ApiConsts.FailNotFoundRscGrp, HttpStatusCode.NotFound);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-bad/spawn", """{"resource_definition_name":"bad-regex","volume_sizes":[1024],"select_filter":{"not_place_with_rsc_regex":"(["}}"""))).AssertError(ApiConsts.FailInvldPlaceCount, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-bad/spawn", """{"resource_definition_name":"bad-slots","volume_sizes":[1024],"peer_slots":2,"select_filter":{"place_count":4}}"""))).AssertError(ApiConsts.FailInsufficientPeerSlots, HttpStatusCode.InternalServerError);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-bad/spawn", """{"resource_definition_name":"bad-body","volume_sizes":"x"}"""))).Status.Equals(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.BadRequest, (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-bad/spawn", """{"resource_definition_name":"bad-body","volume_sizes":"x"}"""))).Status);
        foreach (var name in new[] { "bad-zero", "bad-neg", "bad-group", "bad-regex", "bad-slots", "bad-body" })
        {
            Assert.Null(Rd(name));
        }

        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-bad/spawn", """{"resource_definition_name":"bad-twice","volume_sizes":[1024]}"""))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-bad/spawn", """{"resource_definition_name":"BAD-TWICE","volume_sizes":[1024]}"""))).AssertError(ApiConsts.FailExistsRscDfn, HttpStatusCode.InternalServerError);
    }

    [Fact]
    public async Task Spawn_that_cannot_place_names_the_offline_node_and_the_excluded_pool_and_creates_nothing()
    {
        await fixture.AddNodeAsync("b1");
        await fixture.AddNodeAsync("b2");
        await fixture.AddNodeAsync("b3");
        foreach (var node in new[] { "b1", "b2", "b3" })
        {
            await fixture.AddPoolAsync(node, "data");
        }
        fixture.Agent(new FakeNodeAgent(Host.Fabric, "b1").SetPool("data", "LVM", 100, 1_000_000));
        fixture.Agent(new FakeNodeAgent(Host.Fabric, "b2").SetPool("data", "LVM", 900_000, 1_000_000));
        await NodeStatusWait.UntilOnlineAsync(Host.Fabric, "b1", TimeSpan.FromSeconds(30));
        await NodeStatusWait.UntilOnlineAsync(Host.Fabric, "b2", TimeSpan.FromSeconds(30));
        await CreateGroupAsync("""{"name":"rg-off","select_filter":{"place_count":3,"node_name_list":["b1","b2","b3"]}}""");

        var rc = (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-off/spawn", """{"resource_definition_name":"off-rd","volume_sizes":[500000]}""")))
            .AssertError(ApiConsts.FailNotEnoughNodes, HttpStatusCode.InternalServerError);
        var error = Assert.Single(rc.Entries);
        var cause = error.GetProperty("cause").GetString()!;
        Assert.Contains("node offline: b3", cause, StringComparison.Ordinal);
        Assert.Contains("b1 (pool data)", cause, StringComparison.Ordinal);
        Assert.Contains("free space", cause, StringComparison.Ordinal);
        Assert.Contains("b3: node offline", error.GetProperty("details").GetString()!, StringComparison.Ordinal);
        Assert.Contains("online", error.GetProperty("correction").GetString()!, StringComparison.Ordinal);
        Assert.Null(Rd("off-rd"));
        Assert.DoesNotContain(Host.Fabric.Views.Current.Resources.Keys, k => k == "OFF-RD");
    }

    [Fact]
    public async Task Autoplace_adds_replicas_and_says_when_there_is_nothing_to_do()
    {
        await CreateGroupAsync($$$"""{"name":"rg-auto","select_filter":{"place_count":2,"storage_pool":"data","node_name_list":{{{PlacementFixture.ANodes}}}}}""");
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-auto/spawn", """{"resource_definition_name":"auto-rd","volume_sizes":[4096]}"""))).AssertSuccess(HttpStatusCode.Created);
        Assert.Equal(["a1", "a2"], Diskful(Rd("auto-rd")!).Select(r => r.NodeName).Order());

        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/auto-rd/autoplace", """{"select_filter":{"additional_place_count":1}}"""))).AssertSuccess(HttpStatusCode.Created);
        var rd = Rd("auto-rd")!;
        Assert.Equal(3, Diskful(rd).Count);
        Assert.DoesNotContain(rd.Replicas.Values, r => r.IsTieBreaker);

        var noop = (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/auto-rd/autoplace", """{"select_filter":{"place_count":3}}"""))).AssertSuccess(HttpStatusCode.Created);
        Assert.Equal(ApiConsts.InfoNoop, ApiConsts.CodeOf(noop.RetCode()));
        Assert.Equal(3, Diskful(Rd("auto-rd")!).Count);

        var tooMany = (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/auto-rd/autoplace", """{"select_filter":{"place_count":4,"replicas_on_different":["Aux/rack"]}}""")))
            .AssertError(ApiConsts.FailNotEnoughNodes, HttpStatusCode.InternalServerError);
        Assert.Contains("replicas_on_different", tooMany.Body, StringComparison.Ordinal);
        Assert.Equal(3, Diskful(Rd("auto-rd")!).Count);

        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/no-such-rd/autoplace", """{"select_filter":{}}"""))).AssertError(ApiConsts.FailNotFoundRscDfn, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Adjust_brings_every_definition_of_the_group_to_its_place_count()
    {
        await CreateGroupAsync($$$"""{"name":"rg-adj","select_filter":{"place_count":2,"storage_pool":"data","node_name_list":{{{PlacementFixture.ANodes}}}}}""");
        foreach (var name in new[] { "adj-1", "adj-2" })
        {
            (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-adj/spawn", $$"""{"resource_definition_name":"{{name}}","volume_sizes":[2048]}"""))).AssertSuccess(HttpStatusCode.Created);
        }

        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-groups/rg-adj", """{"select_filter":{"place_count":3}}"""))).AssertSuccess(HttpStatusCode.OK);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-adj/adjust", "{}"))).AssertSuccess(HttpStatusCode.OK);
        Assert.Equal(3, Diskful(Rd("adj-1")!).Count);
        Assert.Equal(3, Diskful(Rd("adj-2")!).Count);

        var again = (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-adj/adjust", "{}"))).AssertSuccess(HttpStatusCode.OK);
        Assert.Equal(ApiConsts.InfoNoop, ApiConsts.CodeOf(again.RetCode()));

        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/rg-adj/adjust", """{"select_filter":{"place_count":1}}"""))).AssertSuccess(HttpStatusCode.OK);
        Assert.Single(Diskful(Rd("adj-1")!));
        Assert.Single(Diskful(Rd("adj-2")!));

        // adjustall uses each group's own filter (place_count 3 here); other groups' outcomes do not matter to this test.
        await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/adjustall", "{}"));
        Assert.Equal(3, Diskful(Rd("adj-1")!).Count);
        Assert.Equal(3, Diskful(Rd("adj-2")!).Count);

        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-groups/no-such-group/adjust", "{}"))).AssertError(ApiConsts.FailNotFoundRscGrp, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Size_queries_follow_the_reported_capacities()
    {
        await CreateGroupAsync($$$"""{"name":"rg-size","select_filter":{"place_count":3,"storage_pool":"data","replicas_on_different":["Aux/rack"],"node_name_list":{{{PlacementFixture.ANodes}}}}}""");

        var qsi = await PostJsonAsync("/v1/resource-groups/rg-size/query-size-info", "{}");
        var space = qsi.GetProperty("space_info");
        Assert.Equal(1_000_000, space.GetProperty("max_vlm_size_in_kib").GetInt64()); // a1, a3, a4: the smallest is a4
        Assert.Equal(7_000_000, space.GetProperty("available_size_in_kib").GetInt64());
        Assert.Equal(30_000_000, space.GetProperty("capacity_in_kib").GetInt64());
        Assert.Equal(20.0, space.GetProperty("default_max_oversubscription_ratio").GetDouble());
        Assert.Equal(["a1", "a3", "a4"], space.GetProperty("next_spawn_result").EnumerateArray().Select(r => r.GetProperty("node_name").GetString()).Order());
        Assert.All(space.GetProperty("next_spawn_result").EnumerateArray(), r => Assert.Equal("data", r.GetProperty("stor_pool_name").GetString()));

        // The request's filter overrides the group's: without the rack rule a1, a2, a3 hold 2,000,000 KiB.
        var relaxed = await PostJsonAsync("/v1/resource-groups/rg-size/query-size-info", """{"select_filter":{"replicas_on_different":[]}}""");
        Assert.Equal(2_000_000, relaxed.GetProperty("space_info").GetProperty("max_vlm_size_in_kib").GetInt64());

        var impossible = await PostJsonAsync("/v1/resource-groups/rg-size/query-size-info", """{"select_filter":{"place_count":4}}""");
        Assert.Equal(0, impossible.GetProperty("space_info").GetProperty("max_vlm_size_in_kib").GetInt64());
        Assert.Equal(ApiConsts.FailNotEnoughNodes, ApiConsts.CodeOf(impossible.GetProperty("reports")[0].GetProperty("ret_code").GetInt64()));

        var max = await Host.GetJsonAsync("/v1/resource-groups/rg-size/query-max-volume-size");
        var only = Assert.Single(max.GetProperty("candidates").EnumerateArray());
        Assert.Equal("data", only.GetProperty("storage_pool").GetString());
        Assert.Equal(1_000_000, only.GetProperty("max_volume_size_kib").GetInt64());
        Assert.False(only.GetProperty("all_thin").GetBoolean());
        Assert.Equal(["a1", "a3", "a4"], only.GetProperty("node_names").EnumerateArray().Select(n => n.GetString()).Order());

        await CreateGroupAsync($$$"""{"name":"rg-size2","select_filter":{"place_count":2,"node_name_list":{{{PlacementFixture.ANodes}}}}}""");
        var both = (await Host.GetJsonAsync("/v1/resource-groups/rg-size2/query-max-volume-size")).GetProperty("candidates").EnumerateArray().ToList();
        Assert.Equal(["fast", "data"], both.Select(c => c.GetProperty("storage_pool").GetString()));
        Assert.Equal([9_000_000L, 3_000_000L], both.Select(c => c.GetProperty("max_volume_size_kib").GetInt64()));

        (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/resource-groups/no-such-group/query-max-volume-size"))).AssertError(ApiConsts.FailNotFoundRscGrp, HttpStatusCode.NotFound);
        await CreateGroupAsync("""{"name":"rg-size3","select_filter":{"place_count":2,"node_name_list":["nowhere"]}}""");
        (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/resource-groups/rg-size3/query-max-volume-size"))).AssertError(ApiConsts.FailNotEnoughNodes, HttpStatusCode.InternalServerError);
    }

    private async Task<System.Text.Json.JsonElement> PostJsonAsync(string path, string json)
    {
        using var response = await Host.PostJsonAsync(path, json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {path}: {response.StatusCode} {body}");
        return System.Text.Json.JsonDocument.Parse(body).RootElement.Clone();
    }
}
