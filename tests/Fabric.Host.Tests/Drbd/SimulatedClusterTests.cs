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

    [Fact]
    public async Task Toggle_disk_detaches_a_replica_and_deletes_its_backing_volume_then_gives_it_a_disk_that_resyncs_to_UpToDate()
    {
        await using var host = await RunningHost.StartAsync(RunningHost.NewSettings() with { SimulateNodes = 3, NodeHeartbeatInterval = TimeSpan.FromMilliseconds(500) });
        await UntilAsync(async () =>
        {
            var nodes = await host.GetJsonAsync("/v1/nodes");
            return nodes.EnumerateArray().Count(n => n.GetProperty("name").GetString()!.StartsWith("sim-", StringComparison.Ordinal) && Str(n, "connection_status") == "ONLINE") == 3;
        }, "three simulated nodes ONLINE");
        (await host.PostJsonAsync("/v1/resource-groups", """{"name":"toggle","select_filter":{"place_count":2,"storage_pool":"DfltStorPool"}}""")).EnsureSuccessStatusCode();
        using (var spawned = await host.PostJsonAsync("/v1/resource-groups/toggle/spawn", """{"resource_definition_name":"tgl","volume_sizes":[102400]}"""))
        {
            Assert.True(spawned.StatusCode == HttpStatusCode.Created, await spawned.Content.ReadAsStringAsync());
        }
        JsonElement view = default;
        async Task<Dictionary<string, JsonElement>> Replicas()
        {
            view = await host.GetJsonAsync("/v1/view/resources?resources=tgl");
            return view.EnumerateArray().ToDictionary(r => r.GetProperty("node_name").GetString()!);
        }
        string Seen() => view.ValueKind == JsonValueKind.Undefined ? "(none)" : view.ToString();
        static bool Connected(JsonElement r, int peers) =>
            Drbd(r).TryGetProperty("connections", out var c) && c.EnumerateObject().Count() == peers && c.EnumerateObject().All(x => x.Value.GetProperty("connected").GetBoolean());

        await UntilAsync(async () => (await Replicas()) is { Count: 3 } r && r.Values.All(x => DiskState(x) is "UpToDate" or "Diskless" && Connected(x, 2)), "two UpToDate replicas and a tiebreaker, connected", Seen);
        var before = await Replicas();
        var tiebreaker = before.Single(r => Flags(r.Value).Contains("TIE_BREAKER")).Key;
        var (toggled, peer) = before.Keys.Where(k => k != tiebreaker).Order(StringComparer.Ordinal).ToArray() switch { [var a, var b] => (a, b), _ => throw new InvalidOperationException(Seen()) };
        Assert.NotNull(StorageVolume(before[toggled]).GetProperty("device_path").GetString());

        using (var diskless = await host.PutJsonAsync($"/v1/resource-definitions/tgl/resources/{toggled}/toggle-disk", """{"operation":"INTO_DRBD_DISKLESS"}"""))
        {
            Assert.True(diskless.StatusCode == HttpStatusCode.OK, await diskless.Content.ReadAsStringAsync());
        }

        // One diskful replica is left: the tiebreaker goes; the toggled replica is a connected diskless client without a backing volume.
        await UntilAsync(async () => (await Replicas()) is { Count: 2 } r && r.TryGetValue(toggled, out var t)
            && DiskState(t) == "Diskless" && !StorageVolume(t).TryGetProperty("device_path", out _) && Str(StorageVolume(t), "disk_state") == "Diskless"
            && Connected(t, 1) && DiskState(r[peer]) == "UpToDate" && Connected(r[peer], 1), $"{toggled} diskless without backing volume, {peer} UpToDate", Seen);
        var afterDiskless = await Replicas();
        Assert.Equal(["DISKLESS", "DRBD_DISKLESS"], Flags(afterDiskless[toggled]));
        Assert.Equal("DfltDisklessStorPool", Volume(afterDiskless[toggled]).GetProperty("storage_pool_name").GetString());

        using (var diskful = await host.PutJsonAsync($"/v1/resource-definitions/tgl/resources/{toggled}/toggle-disk", """{"operation":"INTO_DRBD_DISKFUL"}"""))
        {
            Assert.True(diskful.StatusCode == HttpStatusCode.OK, await diskful.Content.ReadAsStringAsync());
        }

        // A new backing volume, attached with fresh meta-data, synced from the peer; the tiebreaker is back.
        await UntilAsync(async () => (await Replicas()) is { Count: 3 } r && r.Values.All(x => Connected(x, 2))
            && DiskState(r[toggled]) == "UpToDate" && StorageVolume(r[toggled]).TryGetProperty("device_path", out _) && DiskState(r[peer]) == "UpToDate"
            && r.Values.Count(x => Flags(x).Contains("TIE_BREAKER")) == 1, $"{toggled} UpToDate again, with a tiebreaker", Seen);
        var after = await Replicas();
        Assert.Empty(Flags(after[toggled]));
        Assert.Equal("DfltStorPool", Volume(after[toggled]).GetProperty("storage_pool_name").GetString());
        Assert.Equal("UpToDate", Str(StorageVolume(after[toggled]), "disk_state"));
        var replication = Volume(after[toggled]).GetProperty("state").GetProperty("replication_states").GetProperty(peer);
        Assert.Equal("Established", replication.GetProperty("replication_state").GetString());
        Assert.Equal("majority", (await host.GetJsonAsync("/v1/resource-definitions/tgl")).GetProperty("props").GetProperty("DrbdOptions/Resource/quorum").GetString());
    }

    private static string[] Flags(JsonElement resource) =>
        resource.TryGetProperty("flags", out var flags) ? [.. flags.EnumerateArray().Select(f => f.GetString()!)] : [];

    private static JsonElement StorageVolume(JsonElement resource) =>
        resource.GetProperty("layer_object").GetProperty("children")[0].GetProperty("storage").GetProperty("storage_volumes")[0];

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
