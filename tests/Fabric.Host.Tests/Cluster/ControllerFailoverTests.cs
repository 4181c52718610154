using System.Net;
using System.Text;
using System.Text.Json;
using Fabric.Core.Tests.Infrastructure;
using Fabric.Host.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fabric.Host.Tests.Cluster;

/// <summary>
/// Three controller processes on loopback share one PostgreSQL journal. Any of them serves any
/// node; kill -9 of one (the oldest, which hosts the shard coordinator) and its entities come
/// back on the survivors with their state.
/// </summary>
public sealed class ControllerFailoverTests(ITestOutputHelper output)
{
    private const int NodeCount = 24;

    [Fact]
    public async Task Three_controllers_share_entities_and_survive_kill_9_of_the_oldest()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var clusterPorts = Enumerable.Range(0, 3).Select(_ => RunningHost.FreePort()).ToArray();
        var seeds = string.Join(",", clusterPorts.Select(p => $"127.0.0.1:{p}"));
        var logDir = RunningHost.NewDataDir();
        var controllers = new List<HostProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                controllers.Add(HostProcess.Start(clusterPorts[i], [
                    "--roles", "controller", "--journal", "postgresql", "--journal-connection", database.ConnectionString,
                    "--seed-nodes", seeds, "--sbr-stable-after", "3", "--node-name", $"ctrl{i}", "--data-dir", Path.Combine(logDir, $"c{i}"),
                ], Path.Combine(logDir, $"controller{i}.log")));
                if (i == 0)
                {
                    // The first seed forms the cluster; the others join it.
                    await WaitAsync(() => controllers[0].IsReadyAsync(), TimeSpan.FromSeconds(90), "controller 0 ready", controllers);
                }
            }
            await WaitAsync(async () => (await Task.WhenAll(controllers.Select(c => c.IsReadyAsync()))).All(r => r), TimeSpan.FromSeconds(90), "all controllers ready", controllers);
            await WaitAsync(async () => await UpMembersAsync(controllers[2]) == 3, TimeSpan.FromSeconds(60), "three members up", controllers);

            // Writes through one controller; every controller lists them.
            for (var n = 0; n < NodeCount; n++)
            {
                var via = controllers[n % 3];
                using var created = await Post(via, "/v1/nodes", $$"""{"name":"fo-{{n}}","type":"satellite","net_interfaces":[{"name":"default","address":"10.1.0.{{n + 1}}"}]}""");
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }
            foreach (var controller in controllers)
            {
                await WaitAsync(async () => (await NodeNamesAsync(controller)).Count(n => n.StartsWith("fo-", StringComparison.Ordinal)) == NodeCount, TimeSpan.FromSeconds(20), $"controller on {controller.RestPort} lists all nodes", controllers);
            }
            var entitiesOnVictim = await LocalNodeEntitiesAsync(controllers[0]);
            output.WriteLine($"node entities hosted by the victim before the kill: {entitiesOnVictim}");

            var victim = controllers[0];
            var killedAt = DateTime.UtcNow;
            victim.KillHard();
            var survivors = controllers.Skip(1).ToList();

            // Reads never wait for the failure to be resolved: they come from the local read model.
            var listDuringFailure = await NodeNamesAsync(survivors[0]);
            Assert.Equal(NodeCount, listDuringFailure.Count(n => n.StartsWith("fo-", StringComparison.Ordinal)));

            await WaitAsync(async () => await UpMembersAsync(survivors[0]) == 2 && await UpMembersAsync(survivors[1]) == 2, TimeSpan.FromSeconds(60), "the victim removed by the split-brain resolver", survivors);
            output.WriteLine($"victim removed after {(DateTime.UtcNow - killedAt).TotalSeconds:0.0} s");

            // Every entity answers again, wherever it lived, with its state intact.
            for (var n = 0; n < NodeCount; n++)
            {
                var via = survivors[n % 2];
                await WaitAsync(async () =>
                {
                    using var modified = await Put(via, $"/v1/nodes/fo-{n}", $$$"""{"override_props":{"Aux/after":"{{{n}}}"}}""");
                    return modified.StatusCode == HttpStatusCode.OK;
                }, TimeSpan.FromSeconds(60), $"fo-{n} modifiable after failover", survivors);
                using var duplicate = await Post(via, "/v1/nodes", $$"""{"name":"FO-{{n}}","type":"satellite"}""");
                Assert.Equal(HttpStatusCode.InternalServerError, duplicate.StatusCode);
            }
            output.WriteLine($"all entities answering {(DateTime.UtcNow - killedAt).TotalSeconds:0.0} s after the kill");
            foreach (var survivor in survivors)
            {
                await WaitAsync(async () =>
                {
                    var nodes = await NodesAsync(survivor);
                    return Enumerable.Range(0, NodeCount).All(n => nodes.TryGetValue($"fo-{n}", out var node)
                        && node.TryGetProperty("props", out var props) && props.TryGetProperty("Aux/after", out var v) && v.GetString() == $"{n}"
                        && node.GetProperty("net_interfaces")[0].GetProperty("address").GetString() == $"10.1.0.{n + 1}");
                }, TimeSpan.FromSeconds(20), $"survivor {survivor.RestPort} shows every change", survivors);
            }
        }
        finally
        {
            foreach (var controller in controllers)
            {
                await controller.DisposeAsync();
            }
        }
    }

    private static Task<HttpResponseMessage> Post(HostProcess host, string path, string json) =>
        host.Rest.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static Task<HttpResponseMessage> Put(HostProcess host, string path, string json) =>
        host.Rest.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<Dictionary<string, JsonElement>> NodesAsync(HostProcess host)
    {
        var body = await host.Rest.GetStringAsync("/v1/nodes");
        return JsonDocument.Parse(body).RootElement.EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!, n => n.Clone());
    }

    private static async Task<List<string>> NodeNamesAsync(HostProcess host) => (await NodesAsync(host)).Keys.ToList();

    private static async Task<int> UpMembersAsync(HostProcess host)
    {
        try
        {
            var members = JsonDocument.Parse(await host.Management.GetStringAsync("/cluster/members")).RootElement;
            return members.GetProperty("members").EnumerateArray().Count(m => m.GetProperty("status").GetString() == "Up" && m.GetProperty("reachable").GetBoolean());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return -1;
        }
    }

    private static async Task<int> LocalNodeEntitiesAsync(HostProcess host)
    {
        var shards = JsonDocument.Parse(await host.Management.GetStringAsync("/cluster/shards")).RootElement;
        return shards.GetProperty("regions").EnumerateArray()
            .Where(r => r.GetProperty("type_name").GetString() == "node")
            .Sum(r => r.GetProperty("local_shards").EnumerateArray().Sum(s => s.GetProperty("entity_count").GetInt32()));
    }

    private async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, IReadOnlyList<HostProcess> processes)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        foreach (var p in processes)
        {
            output.WriteLine($"---- {p.LogPath} ----\n{p.ReadLog()}");
        }
        throw new TimeoutException($"Timed out waiting for: {what}");
    }
}
