using System.Net;
using Fabric.Host.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fabric.Host.Tests.Cluster;

/// <summary>
/// The node agent holds no durable state: killed with kill -9 while the desired state changes
/// (a volume grows, a resource is added, another deleted), the satellite started again converges
/// to it from its first full generation, on the real loop devices.
/// </summary>
[Collection(SatelliteProcessesCollection.Name)]
public sealed class SatelliteConvergenceTests(ITestOutputHelper output)
{
    private const string Node = "sat-1";
    private const long SizeKib = 16 * 1024;
    private const long GrownKib = 40 * 1024;

    [Fact]
    public async Task A_satellite_killed_while_the_desired_state_changes_converges_when_started_again()
    {
        await using var cluster = await SatelliteCluster.StartAsync(output, Node);
        await cluster.CreateFileThinPoolAsync(Node, "files");
        foreach (var rd in new[] { "grows", "goes" })
        {
            await cluster.CreateStorageDefinitionAsync(rd, SizeKib);
            (await cluster.CreateReplicasAsync(rd, "files", Node)).AssertSuccess(HttpStatusCode.Created);
        }
        var grows = SatelliteCluster.DevicePath(await cluster.WaitVolumeUpToDateAsync("grows", Node, SizeKib))!;
        var goes = SatelliteCluster.DevicePath(await cluster.WaitVolumeUpToDateAsync("goes", Node, SizeKib))!;
        Assert.Equal(SizeKib * 1024, await HostLoops.SizeBytesAsync(grows));
        Assert.Equal([goes], (await HostLoops.AttachedToAsync(cluster.VolumeFile(Node, "goes"))).Select(l => l.Device));
        cluster.Log($"before the kill: grows={grows} goes={goes}");

        await cluster.KillSatelliteAsync(Node);
        await cluster.WaitUntilAsync(async () => (await cluster.NodeStatusesAsync()).GetValueOrDefault(Node) == "OFFLINE", $"{Node} OFFLINE after kill -9");

        // While the agent is down: grow one volume, add a resource, delete another.
        (await cluster.PutAsync("/v1/resource-definitions/grows/volume-definitions/0", $$"""{"size_kib":{{GrownKib}}}""")).AssertSuccess(HttpStatusCode.OK);
        await cluster.CreateStorageDefinitionAsync("comes", SizeKib);
        var added = await cluster.CreateReplicasAsync("comes", "files", Node);
        cluster.Log("resource created on the offline node: " + added.Body);
        Assert.Equal(HttpStatusCode.Created, added.Status);
        Assert.False(added.HasError, added.Body);
        (await cluster.DeleteAsync("/v1/resource-definitions/goes")).AssertSuccess(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await cluster.GetAsync("/v1/resource-definitions/goes")).Status);
        // Nothing on the machine changed yet: there is no agent to do it.
        Assert.Equal(SizeKib * 1024, await HostLoops.SizeBytesAsync(grows));
        Assert.True(File.Exists(cluster.VolumeFile(Node, "goes")));
        Assert.False(File.Exists(cluster.VolumeFile(Node, "comes")));

        cluster.RestartSatellite(Node);
        await cluster.WaitUntilAsync(async () => (await cluster.NodeStatusesAsync()).GetValueOrDefault(Node) == "ONLINE", $"{Node} ONLINE after the restart");
        cluster.Log($"{Node} ONLINE again");

        // The grown volume: same loop device (adopted), new size on the machine and in REST.
        var grown = await cluster.WaitVolumeUpToDateAsync("grows", Node, GrownKib);
        Assert.Equal(grows, SatelliteCluster.DevicePath(grown));
        Assert.Equal([grows], (await HostLoops.AttachedToAsync(cluster.VolumeFile(Node, "grows"))).Select(l => l.Device));
        Assert.Equal(GrownKib * 1024, await HostLoops.SizeBytesAsync(grows));
        Assert.Equal(GrownKib * 1024, new FileInfo(cluster.VolumeFile(Node, "grows")).Length);

        // The new resource: its file and loop device exist.
        var comes = SatelliteCluster.DevicePath(await cluster.WaitVolumeUpToDateAsync("comes", Node, SizeKib))!;
        Assert.Equal([comes], (await HostLoops.AttachedToAsync(cluster.VolumeFile(Node, "comes"))).Select(l => l.Device));
        Assert.Equal(SizeKib * 1024, await HostLoops.SizeBytesAsync(comes));

        // The deleted one: file and loop device gone, and REST does not list it.
        await cluster.WaitUntilAsync(async () =>
            !File.Exists(cluster.VolumeFile(Node, "goes")) && (await HostLoops.AttachedToAsync(cluster.VolumeFile(Node, "goes"))).Count == 0,
            "the deleted resource's file and loop device removed");
        var view = await cluster.GetOkAsync("/v1/view/resources");
        Assert.Equal(["comes", "grows"], view.Strings("name").Order(StringComparer.Ordinal));
        Assert.All(view.EnumerateArray(), r => Assert.Equal("UpToDate", SatelliteCluster.DiskState(r.GetProperty("volumes")[0])));
        var definitions = await cluster.GetOkAsync("/v1/resource-definitions");
        Assert.DoesNotContain("goes", definitions.Strings("name"));
        var volumeDefinition = await cluster.GetOkAsync("/v1/resource-definitions/grows/volume-definitions/0");
        Assert.Equal(GrownKib, volumeDefinition.GetProperty("size_kib").GetInt64());
        cluster.Passed();
    }
}
