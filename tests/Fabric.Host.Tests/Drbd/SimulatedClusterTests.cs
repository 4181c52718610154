using System.Net;
using System.Text.Json;
using Fabric.Host.Tests.Infrastructure;

namespace Fabric.Host.Tests.Drbd;

/// <summary>
/// The host with <c>--simulate-nodes 3</c>: its satellites run the simulated DRBD 9 kernel, so a
/// replicated cluster works on any machine. Spawn with place_count 2 gives two diskful replicas and
/// the auto-tiebreaker, with unique minors, ports and node ids, and REST shows them UpToDate and
/// connected, from what the agents reported.
/// </summary>
public sealed class SimulatedClusterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Spawn_with_two_replicas_on_three_simulated_nodes_gives_two_up_to_date_replicas_and_a_connected_tiebreaker()
    {
        await using var host = await RunningHost.StartAsync(RunningHost.NewSettings() with { SimulateNodes = 3, NodeHeartbeatInterval = TimeSpan.FromMilliseconds(500) });
        await UntilAsync(async () =>
        {
            var nodes = await host.GetJsonAsync("/v1/nodes");
            return nodes.EnumerateArray().Count(n => n.GetProperty("name").GetString()!.StartsWith("sim-", StringComparison.Ordinal) && Str(n, "connection_status") == "ONLINE") == 3;
        }, "three simulated nodes ONLINE");
        (await host.PostJsonAsync("/v1/resource-groups", """{"name":"gold","select_filter":{"place_count":2,"storage_pool":"DfltStorPool"}}""")).EnsureSuccessStatusCode();
        foreach (var name in new[] { "vm1", "vm2" })
        {
            using var spawned = await host.PostJsonAsync("/v1/resource-groups/gold/spawn", $$"""{"resource_definition_name":"{{name}}","volume_sizes":[102400]}""");
            Assert.True(spawned.StatusCode == HttpStatusCode.Created, await spawned.Content.ReadAsStringAsync());
        }

        JsonElement view = default;
        await UntilAsync(async () =>
        {
            view = await host.GetJsonAsync("/v1/view/resources");
            return view.GetArrayLength() == 6 && view.EnumerateArray().All(r =>
                DiskState(r) is "UpToDate" or "Diskless" && Drbd(r).TryGetProperty("connections", out var c) && c.EnumerateObject().Count() == 2 && c.EnumerateObject().All(x => x.Value.GetProperty("connected").GetBoolean()));
        }, "six replicas UpToDate or Diskless and connected", () => view.ValueKind == JsonValueKind.Undefined ? "(none)" : view.ToString());

        foreach (var rd in view.EnumerateArray().GroupBy(r => r.GetProperty("name").GetString()))
        {
            var replicas = rd.ToList();
            Assert.Equal(2, replicas.Count(r => DiskState(r) == "UpToDate"));
            var tiebreaker = Assert.Single(replicas, r => DiskState(r) == "Diskless");
            Assert.Contains("TIE_BREAKER", tiebreaker.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
            Assert.Equal(3, replicas.Select(r => Drbd(r).GetProperty("node_id").GetInt32()).Distinct().Count());
            Assert.Single(replicas.Select(r => Volume(r).GetProperty("device_path").GetString()).Distinct());
            Assert.All(replicas.Where(r => DiskState(r) == "UpToDate"), r =>
            {
                Assert.True(Drbd(r).GetProperty("may_promote").GetBoolean());
                var replication = Volume(r).GetProperty("state").GetProperty("replication_states");
                Assert.All(replication.EnumerateObject(), p => Assert.Equal("Established", p.Value.GetProperty("replication_state").GetString()));
            });
        }
        var minors = view.EnumerateArray().GroupBy(r => r.GetProperty("name").GetString()).Select(g => Volume(g.First()).GetProperty("device_path").GetString()).ToList();
        Assert.Equal(2, minors.Distinct().Count());
        var portsPerNode = view.EnumerateArray().GroupBy(r => r.GetProperty("node_name").GetString())
            .Select(g => g.Select(r => Drbd(r).GetProperty("tcp_ports")[0].GetInt32()).ToList());
        Assert.All(portsPerNode, ports => Assert.Equal(ports.Count, ports.Distinct().Count()));
    }

    private static JsonElement Drbd(JsonElement resource) => resource.GetProperty("layer_object").GetProperty("drbd");

    private static JsonElement Volume(JsonElement resource) => resource.GetProperty("volumes")[0];

    private static string? DiskState(JsonElement resource) =>
        Volume(resource).TryGetProperty("state", out var s) && s.TryGetProperty("disk_state", out var d) ? d.GetString() : null;

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;

    private static async Task UntilAsync(Func<Task<bool>> condition, string what, Func<string>? last = null)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not within {Wait}: {what}; last seen: {last?.Invoke()}");
            }
            await Task.Delay(200);
        }
    }
}
