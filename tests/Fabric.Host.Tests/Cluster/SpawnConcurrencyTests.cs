using System.Collections.Concurrent;
using System.Net;
using Fabric.Core.Runtime;
using Fabric.Core.Tests.Infrastructure;
using Fabric.Core.Tests.Runtime;
using Fabric.Host.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fabric.Host.Tests.Cluster;

/// <summary>
/// Spawns through REST under load, on nodes whose (fake) agents report them online through the
/// status protocol: concurrent spawns never share a number, and a kill -9 in the middle of 500
/// spawns loses no acknowledged one and leaks nothing.
/// </summary>
public sealed class SpawnConcurrencyTests(ITestOutputHelper output)
{
    private const int Nodes = 6;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    private static string NodeName(int i) => $"spawn-n{i}";

    /// <summary>Registers nodes with a FILE_THIN pool and a resource group placing 3 replicas in it.</summary>
    private static async Task PrepareAsync(HttpClient rest)
    {
        for (var i = 0; i < Nodes; i++)
        {
            var rack = i % 3;
            await PostOkAsync(rest, "/v1/nodes", $$"""{"name":"{{NodeName(i)}}","type":"satellite","props":{"Aux/rack":"r{{rack}}"},"net_interfaces":[{"name":"default","address":"10.1.0.{{i + 1}}"}]}""");
            await PostOkAsync(rest, $"/v1/nodes/{NodeName(i)}/storage-pools", """{"storage_pool_name":"pool1","provider_kind":"FILE_THIN","props":{"StorDriver/StorPoolName":"/srv/pool1"}}""");
        }
        await PostOkAsync(rest, "/v1/resource-groups", """{"name":"burst","select_filter":{"place_count":3,"storage_pool":"pool1"}}""");
    }

    private static async Task PostOkAsync(HttpClient rest, string path, string json)
    {
        using var response = await rest.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A satellite-role system in this process joins the host's cluster and reports every node online.</summary>
    private static async Task<(FabricSystem Satellite, List<FakeNodeAgent> Agents)> AgentsAsync(int hostClusterPort, FabricSystem? controller)
    {
        var settings = TestCluster.Sqlite(TestCluster.TempDataDir(), "agents") with
        {
            Roles = [FabricSettings.Satellite],
            SeedNodes = [$"127.0.0.1:{hostClusterPort}"],
            NodeHeartbeatInterval = TimeSpan.FromMilliseconds(500),
        };
        var satellite = await FabricSystem.StartAsync(settings);
        var agents = Enumerable.Range(0, Nodes).Select(i => new FakeNodeAgent(satellite, NodeName(i)).SetPool("pool1", "FILE_THIN", 1L << 40, 1L << 40)).ToList();
        if (controller is not null)
        {
            foreach (var i in Enumerable.Range(0, Nodes))
            {
                await NodeStatusWait.UntilOnlineAsync(controller, NodeName(i), Wait);
            }
        }
        return (satellite, agents);
    }

    private static async Task UntilOnlineViaRestAsync(HttpClient rest)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var body = await rest.GetStringAsync("/v1/nodes");
            if (Enumerable.Range(0, Nodes).All(i => body.Contains($"\"name\":\"{NodeName(i)}\"", StringComparison.Ordinal))
                && CountOf(body, "\"connection_status\":\"ONLINE\"") >= Nodes)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "The fake agents did not bring the nodes online.");
            await Task.Delay(100);
        }
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    private static async Task<HttpStatusCode> SpawnAsync(HttpClient rest, string name)
    {
        using var response = await rest.PostAsync("/v1/resource-groups/burst/spawn", new StringContent($$"""{"resource_definition_name":"{{name}}","volume_sizes":[1048576]}""", System.Text.Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    private static async Task UntilSettledAsync(FabricSystem fabric)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!ResourceInvariants.Settled(fabric.Views.Current))
        {
            Assert.True(DateTime.UtcNow < deadline, "Open resource operations did not finish.");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Allocator states reach the read model through the journal projection only (replies carry just
    /// the number), so the last reservations may trail the resources by a refresh interval or two.
    /// </summary>
    private static async Task<List<string>> ViolationsOnceProjectedAsync(FabricSystem fabric, int expectedReplicas)
    {
        var violations = ResourceInvariants.Violations(fabric.Views.Current, expectedReplicas);
        for (var i = 0; i < 100 && violations.Count > 0; i++)
        {
            await Task.Delay(100);
            violations = ResourceInvariants.Violations(fabric.Views.Current, expectedReplicas);
        }
        return violations;
    }

    [Fact]
    public async Task Two_hundred_concurrent_spawns_get_unique_minors_ports_and_node_ids()
    {
        await using var host = await RunningHost.StartAsync(RunningHost.NewSettings());
        await PrepareAsync(host.Rest);
        var (satellite, agents) = await AgentsAsync(host.Settings.ClusterPort, host.Fabric);
        await using (satellite)
        {
            using var rest = new HttpClient { BaseAddress = host.Rest.BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
            var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => SpawnAsync(rest, $"burst-{i:D3}")));

            Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
            await UntilSettledAsync(host.Fabric);
            var model = host.Fabric.Views.Current;
            Assert.Equal(200, model.ExistingResources.Count());
            var violations = await ViolationsOnceProjectedAsync(host.Fabric, expectedReplicas: 3);
        Assert.True(violations.Count == 0, string.Join("\n", violations.Take(20)));
            Assert.Equal(200, model.ExistingResources.Select(r => r.VolumeDefinitions[0].Minor).Distinct().Count());
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Kill_9_during_500_spawns_keeps_every_acknowledged_spawn_and_leaks_nothing()
    {
        var dataDir = TestCluster.TempDataDir();
        var clusterPort = TestCluster.FreePort();
        var acknowledged = new ConcurrentBag<string>();
        var failed = new ConcurrentBag<string>();
        await using (var process = HostProcess.Start(clusterPort, ["--data-dir", dataDir, "--node-name", "crashhost", "--log-level", "Warning"], Path.Combine(dataDir, "host.log")))
        {
            var deadline = DateTime.UtcNow + Wait;
            while (!await process.IsReadyAsync())
            {
                Assert.True(DateTime.UtcNow < deadline && !process.HasExited, "The host process did not become ready: " + process.ReadLog());
                await Task.Delay(200);
            }
            await PrepareAsync(process.Rest);
            var (satellite, _) = await AgentsAsync(clusterPort, controller: null);
            try
            {
                await UntilOnlineViaRestAsync(process.Rest);
                using var rest = new HttpClient { BaseAddress = process.Rest.BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
                var spawns = Enumerable.Range(0, 500).Select(async i =>
                {
                    var name = $"crash-{i:D3}";
                    try
                    {
                        var status = await SpawnAsync(rest, name);
                        (status == HttpStatusCode.Created ? acknowledged : failed).Add(name);
                    }
                    catch (Exception)
                    {
                        failed.Add(name); // the connection died with the process: not acknowledged
                    }
                }).ToList();
                var killAt = DateTime.UtcNow + TimeSpan.FromSeconds(60);
                while (acknowledged.Count < 100 && DateTime.UtcNow < killAt)
                {
                    await Task.Delay(10);
                }
                process.KillHard();
                await Task.WhenAll(spawns);
            }
            finally
            {
                // Its cluster died with the host; it cannot rejoin a new incarnation.
                await satellite.System.Terminate();
            }
        }
        output.WriteLine($"acknowledged before the kill: {acknowledged.Count}, not acknowledged: {failed.Count}");
        Assert.InRange(acknowledged.Count, 1, 499);

        await using var restarted = await RunningHost.StartAsync(RunningHost.NewSettings(dataDir, "crashhost"));
        await UntilSettledAsync(restarted.Fabric);
        var model = restarted.Fabric.Views.Current;
        var present = model.ExistingResources.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        Assert.All(acknowledged, name => Assert.Contains(name, present));
        var violations = await ViolationsOnceProjectedAsync(restarted.Fabric, expectedReplicas: 3);
        Assert.True(violations.Count == 0, string.Join("\n", violations.Take(20)));
        output.WriteLine($"present after restart: {present.Count} (unacknowledged ones either finished or were never started)");

        // And through REST: every acknowledged definition lists with its three replicas.
        var listed = await restarted.GetJsonAsync("/v1/resource-definitions");
        var names = listed.EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToHashSet(StringComparer.Ordinal);
        Assert.All(acknowledged, name => Assert.Contains(name, names));
    }
}
