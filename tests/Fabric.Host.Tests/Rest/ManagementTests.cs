using System.Net;
using System.Text.Json;
using Fabric.Host.Tests.Infrastructure;

namespace Fabric.Host.Tests.Rest;

public sealed class ManagementTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private RunningHost Host => fixture.Host;

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Host.Management.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Alive_and_ready_report_every_check()
    {
        Assert.Equal("alive", (await GetAsync("/alive")).GetProperty("status").GetString());
        var ready = await GetAsync("/ready");
        Assert.True(ready.GetProperty("ready").GetBoolean());
        var checks = ready.GetProperty("checks").EnumerateObject().Select(c => c.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "member_up", "sharding_started", "journal_answers", "read_model_current", "own_node_registered" }, checks);
    }

    [Fact]
    public async Task Members_show_self_with_roles_and_reachability()
    {
        var members = await GetAsync("/cluster/members");
        var self = Assert.Single(members.GetProperty("members").EnumerateArray());
        Assert.Equal("Up", self.GetProperty("status").GetString());
        Assert.True(self.GetProperty("reachable").GetBoolean());
        Assert.Equal(["controller", "satellite"], self.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).Where(r => !r.StartsWith("dc-", StringComparison.Ordinal)));
        Assert.Equal(members.GetProperty("self_node").GetString(), self.GetProperty("node").GetString());
    }

    [Fact]
    public async Task Shards_list_every_entity_region_with_counts()
    {
        // The own node's registration woke at least one node entity.
        var shards = await GetAsync("/cluster/shards");
        var regions = shards.GetProperty("regions").EnumerateArray().ToDictionary(r => r.GetProperty("type_name").GetString()!);
        Assert.Superset(new HashSet<string> { "node", "controller", "storage-pool-definition" }, regions.Keys.ToHashSet());
        var nodeShards = regions["node"].GetProperty("local_shards").EnumerateArray().ToList();
        Assert.True(nodeShards.Sum(s => s.GetProperty("entity_count").GetInt32()) >= 1);
    }

    [Fact]
    public async Task Rest_paths_are_not_served_on_the_management_port()
    {
        using var response = await Host.Management.GetAsync("/v1/nodes");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
