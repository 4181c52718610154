using System.Net;
using System.Text.Json;
using Fabric.Core.Api;
using Fabric.Host.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fabric.Host.Tests.Cluster;

/// <summary>
/// A controller process and satellite processes on loopback, as an administrator runs them: each
/// satellite's node agent provides FILE_THIN volumes as sparse files on real loop devices, reports
/// them through REST, survives kill -9 (its node goes OFFLINE, the others stay ONLINE) and, started
/// again, adopts its loop device instead of attaching a second one.
/// </summary>
[Collection(SatelliteProcessesCollection.Name)]
public sealed class SatelliteProcessTests(ITestOutputHelper output)
{
    private const long SizeKib = 16 * 1024;
    private static readonly string[] Satellites = ["sat-1", "sat-2", "sat-3"];

    [Fact]
    public async Task Three_satellites_provide_file_thin_volumes_and_one_killed_with_kill_9_comes_back_adopting_its_device()
    {
        await using var cluster = await SatelliteCluster.StartAsync(output, Satellites);
        foreach (var node in Satellites)
        {
            await cluster.CreateFileThinPoolAsync(node, "files");
        }
        await cluster.CreateStorageDefinitionAsync("r1", SizeKib);
        (await cluster.CreateReplicasAsync("r1", "files", Satellites)).AssertSuccess(HttpStatusCode.Created);

        // Every satellite reports its volume, and the machine really has it.
        var devices = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in Satellites)
        {
            var volume = await cluster.WaitVolumeUpToDateAsync("r1", node, SizeKib);
            devices[node] = SatelliteCluster.DevicePath(volume)!;
            Assert.Equal("FILE_THIN", volume.GetProperty("provider_kind").GetString());
            Assert.Equal("files", volume.GetProperty("storage_pool_name").GetString());
        }
        cluster.Log("r1 UpToDate on " + string.Join(", ", devices.Select(d => $"{d.Key}={d.Value}")));
        Assert.Equal(3, devices.Values.Distinct(StringComparer.Ordinal).Count());
        foreach (var node in Satellites)
        {
            await AssertSingleLoopAsync(cluster.VolumeFile(node, "r1"), devices[node], SizeKib);
        }
        await AssertViewShowsUpToDateAsync(cluster, "r1", devices);

        // kill -9 of sat-2: its node goes OFFLINE, the others stay ONLINE.
        await cluster.KillSatelliteAsync("sat-2");
        Dictionary<string, string> statuses = [];
        var offlineAfter = await cluster.WaitUntilAsync(async () =>
        {
            statuses = await cluster.NodeStatusesAsync();
            return statuses.GetValueOrDefault("sat-2") == "OFFLINE";
        }, "sat-2 OFFLINE after kill -9", TimeSpan.FromSeconds(40), () => string.Join(", ", statuses));
        cluster.Log($"sat-2 OFFLINE {offlineAfter.TotalSeconds:0.0} s after the kill (status timeout {SatelliteCluster.StatusTimeoutSeconds} s)");
        Assert.Equal("ONLINE", statuses["sat-1"]);
        Assert.Equal("ONLINE", statuses["sat-3"]);

        // While it is down: the replica is still listed, REST no longer claims its disk state, and
        // nothing detached its loop device (the process died, the kernel object did not).
        var whileDown = await cluster.VolumeAsync("r1", "sat-2");
        Assert.NotNull(whileDown);
        Assert.Null(SatelliteCluster.DiskState(whileDown.Value));
        await AssertSingleLoopAsync(cluster.VolumeFile("sat-2", "r1"), devices["sat-2"], SizeKib);
        statuses = await cluster.NodeStatusesAsync();
        Assert.Equal("ONLINE", statuses["sat-1"]);
        Assert.Equal("ONLINE", statuses["sat-3"]);

        // The same process started again: ONLINE, UpToDate on the same loop device, adopted not re-attached.
        cluster.RestartSatellite("sat-2");
        var onlineAfter = await cluster.WaitUntilAsync(async () =>
        {
            statuses = await cluster.NodeStatusesAsync();
            return statuses.GetValueOrDefault("sat-2") == "ONLINE";
        }, "sat-2 ONLINE after the restart", describeLast: () => string.Join(", ", statuses));
        cluster.Log($"sat-2 ONLINE {onlineAfter.TotalSeconds:0.0} s after the restart");
        var back = await cluster.WaitVolumeUpToDateAsync("r1", "sat-2", SizeKib);
        Assert.Equal(devices["sat-2"], SatelliteCluster.DevicePath(back));
        await AssertSingleLoopAsync(cluster.VolumeFile("sat-2", "r1"), devices["sat-2"], SizeKib);

        // Nothing was lost: the definition, its three replicas, the other nodes' volumes unchanged.
        var definition = await cluster.GetOkAsync("/v1/resource-definitions/r1");
        Assert.Equal("r1", definition.GetProperty("name").GetString());
        var replicas = await cluster.GetOkAsync("/v1/resource-definitions/r1/resources");
        Assert.Equal(Satellites, replicas.Strings("node_name").Order(StringComparer.Ordinal));
        foreach (var node in Satellites)
        {
            var volume = await cluster.WaitVolumeUpToDateAsync("r1", node, SizeKib);
            Assert.Equal(devices[node], SatelliteCluster.DevicePath(volume));
            await AssertSingleLoopAsync(cluster.VolumeFile(node, "r1"), devices[node], SizeKib);
        }
        await AssertViewShowsUpToDateAsync(cluster, "r1", devices);
        statuses = await cluster.NodeStatusesAsync();
        Assert.All(Satellites, node => Assert.Equal("ONLINE", statuses[node]));
        cluster.Passed();
    }

    [Fact]
    public async Task A_file_thin_pool_on_a_missing_directory_is_refused_by_the_satellites_agent_and_not_created()
    {
        await using var cluster = await SatelliteCluster.StartAsync(output, "sat-1");
        var missing = Path.Combine(cluster.Root, "no-such-directory");

        var refused = await cluster.PostAsync("/v1/nodes/sat-1/storage-pools",
            $$$"""{"storage_pool_name":"nodir","provider_kind":"FILE_THIN","props":{"StorDriver/StorPoolName":"{{{missing}}}"}}""");
        cluster.Log("refused: " + refused.Body);
        refused.AssertError(ApiConsts.FailStorPoolConfigurationError, HttpStatusCode.InternalServerError);
        var error = refused.Entries.First(e => ApiConsts.IsError(e.GetProperty("ret_code").GetInt64()));
        var retCode = error.GetProperty("ret_code").GetInt64();
        Assert.Equal(990, ApiConsts.CodeOf(retCode));
        Assert.Equal(ApiConsts.MaskStorPool, retCode & ApiConsts.MaskStorPool);
        Assert.Equal(ApiConsts.MaskCrt, retCode & ApiConsts.MaskCrt);
        Assert.Contains(missing, error.GetProperty("message").GetString() + error.GetProperty("cause").GetString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));

        var pools = await cluster.GetOkAsync("/v1/nodes/sat-1/storage-pools");
        Assert.DoesNotContain("nodir", pools.Strings("storage_pool_name"));
        var view = await cluster.GetOkAsync("/v1/view/storage-pools");
        Assert.DoesNotContain(view.EnumerateArray(), p => p.GetProperty("storage_pool_name").GetString() == "nodir");

        // The same pool on a directory that exists is accepted: the agent checks, it does not refuse blindly.
        Directory.CreateDirectory(missing);
        (await cluster.PostAsync("/v1/nodes/sat-1/storage-pools",
            $$$"""{"storage_pool_name":"nodir","provider_kind":"FILE_THIN","props":{"StorDriver/StorPoolName":"{{{missing}}}"}}"""))
            .AssertSuccess(HttpStatusCode.Created);
        pools = await cluster.GetOkAsync("/v1/nodes/sat-1/storage-pools");
        Assert.Contains("nodir", pools.Strings("storage_pool_name"));
        cluster.Passed();
    }

    /// <summary>Exactly one loop device is attached to the volume's file: the one REST reports, of the expected size.</summary>
    private static async Task AssertSingleLoopAsync(string file, string device, long sizeKib)
    {
        Assert.True(File.Exists(file), $"{file} does not exist");
        var loops = await HostLoops.AttachedToAsync(file);
        Assert.True(loops.Count == 1, $"{file}: expected one loop device, found {loops.Count}: {string.Join(", ", loops)}");
        Assert.Equal(device, loops[0].Device);
        Assert.False(loops[0].Deleted);
        Assert.Equal(sizeKib * 1024, await HostLoops.SizeBytesAsync(device));
        Assert.Equal(sizeKib * 1024, new FileInfo(file).Length);
    }

    /// <summary>GET /v1/view/resources lists the resource on every node, UpToDate on the device seen before.</summary>
    private static async Task AssertViewShowsUpToDateAsync(SatelliteCluster cluster, string rd, IReadOnlyDictionary<string, string> devices)
    {
        var view = await cluster.GetOkAsync("/v1/view/resources");
        var rows = view.EnumerateArray().Where(r => r.GetProperty("name").GetString() == rd).ToList();
        Assert.Equal(devices.Keys.Order(StringComparer.Ordinal), rows.Select(r => r.GetProperty("node_name").GetString()!).Order(StringComparer.Ordinal));
        foreach (var row in rows)
        {
            var volume = row.GetProperty("volumes").EnumerateArray().Single();
            Assert.Equal("UpToDate", SatelliteCluster.DiskState(volume));
            Assert.Equal(devices[row.GetProperty("node_name").GetString()!], SatelliteCluster.DevicePath(volume));
        }
    }
}
