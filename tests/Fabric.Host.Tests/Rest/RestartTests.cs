using System.Net;
using Fabric.Core.Tests.Infrastructure;
using Fabric.Host.Tests.Infrastructure;

namespace Fabric.Host.Tests.Rest;

public sealed class RestartTests
{
    [Fact]
    public async Task Everything_created_is_listed_again_after_a_restart_on_the_same_data_dir()
    {
        var settings = RunningHost.NewSettings();
        string nodesBefore;
        string poolsBefore;
        await using (var host = await RunningHost.StartAsync(settings))
        {
            foreach (var name in new[] { "r-one", "r-two", "r-three" })
            {
                (await Rc.ReadAsync(host.PostJsonAsync("/v1/nodes", $$"""{"name":"{{name}}","type":"satellite","net_interfaces":[{"name":"default","address":"10.0.0.9"}]}"""))).AssertSuccess(HttpStatusCode.Created);
            }
            (await Rc.ReadAsync(host.PostJsonAsync("/v1/nodes/r-one/storage-pools", """{"storage_pool_name":"pool1","provider_kind":"FILE_THIN","props":{"StorDriver/StorPoolName":"/srv/p1"}}"""))).AssertSuccess(HttpStatusCode.Created);
            (await Rc.ReadAsync(host.PostJsonAsync("/v1/nodes/r-two/storage-pools", """{"storage_pool_name":"pool2","provider_kind":"LVM","props":{"StorDriver/StorPoolName":"vg0"}}"""))).AssertSuccess(HttpStatusCode.Created);
            // The own node's agent must have finished its first sync (ONLINE) in both runs.
            await NodeStatusWait.UntilOnlineAsync(host.Fabric, settings.NodeName, TimeSpan.FromSeconds(30));
            nodesBefore = (await host.GetJsonAsync("/v1/nodes")).ToString();
            poolsBefore = StripReports((await host.GetJsonAsync("/v1/view/storage-pools")).ToString());
        }

        await using (var host = await RunningHost.StartAsync(settings with { RestPort = RunningHost.FreePort(), ManagementPort = RunningHost.FreePort(), ClusterPort = RunningHost.FreePort() }))
        {
            await NodeStatusWait.UntilOnlineAsync(host.Fabric, settings.NodeName, TimeSpan.FromSeconds(30));
            Assert.Equal(nodesBefore, (await host.GetJsonAsync("/v1/nodes")).ToString());
            Assert.Equal(poolsBefore, StripReports((await host.GetJsonAsync("/v1/view/storage-pools")).ToString()));
        }
    }

    /// <summary>
    /// Report entries carry their creation time, and the own node's FILE_THIN pool reports the live
    /// free space of the file system the tests run on; everything else must be identical.
    /// </summary>
    private static string StripReports(string json) =>
        System.Text.RegularExpressions.Regex.Replace(json, "\"created_at\":\"[^\"]*\"|\"free_capacity\":[0-9]+", string.Empty);
}
