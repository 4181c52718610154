using Fabric.Core.Tests.Infrastructure;
using System.Net;
using System.Text.Json;
using Fabric.Core.Api;
using Fabric.Host.Tests.Infrastructure;
using Fabric.Node.Tests.Drbd.Config;
using Fabric.Node.Tests.Infrastructure;

namespace Fabric.Host.Tests.Rest;

/// <summary>
/// GET .../resources/{node}/drbd-config through the real host: each replica's file as its node
/// would render it, checked by the real drbdadm for that node.
/// </summary>
public sealed class DrbdConfigApiTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private RunningHost Host => fixture.Host;

    [DrbdUtilsFact]
    public async Task Each_replica_gets_its_nodes_configuration_and_drbdadm_accepts_it()
    {
        await LvmNodeAsync("dc-a", "10.20.0.1");
        await LvmNodeAsync("dc-b", "10.20.0.2");
        await Host.DefinitionAsync("dc-r", 4096);
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-definitions/dc-r", """{"override_props":{"DrbdOptions/Net/verify-alg":"crc32c"}}"""))).AssertSuccess(HttpStatusCode.OK);
        // Two diskful replicas: an online node whose agent runs DRBD (with a diskless pool) becomes the tiebreaker.
        await LvmNodeAsync("dc-t", "10.20.0.3");
        await using var agent = new FakeNodeAgent(Host.Fabric, "dc-t", TimeSpan.FromMilliseconds(200));
        await WaitOnlineWithDrbdAsync("dc-t");
        (await Host.ReplicasAsync("dc-r", "dc-a", "dc-b")).AssertSuccess(HttpStatusCode.Created);
        var replicas = (await Host.GetJsonAsync("/v1/resource-definitions/dc-r/resources")).EnumerateArray().ToDictionary(r => r.GetProperty("node_name").GetString()!);
        var tiebreaker = "dc-t";
        Assert.Contains("TIE_BREAKER", replicas[tiebreaker].StringList("flags"));
        var minor = (await Host.GetJsonAsync("/v1/resource-definitions/dc-r/volume-definitions/0")).GetProperty("layer_data")[0].GetProperty("data").GetProperty("minor_number").GetInt32();

        foreach (var (node, address) in new[] { ("dc-a", "10.20.0.1"), ("dc-b", "10.20.0.2"), (tiebreaker, "10.20.0.3") })
        {
            var text = await GetConfigAsync($"/v1/resource-definitions/dc-r/resources/{node}/drbd-config");
            var drbd = replicas[node].GetProperty("layer_object").GetProperty("drbd");
            var port = drbd.GetProperty("tcp_ports")[0].GetInt32();

            Assert.Contains($"# Fabric node: {node}", text);
            Assert.Contains("resource \"dc-r\"", text);
            Assert.Contains("quorum majority;", text);
            Assert.Contains("verify-alg crc32c;", text);
            Assert.Contains($"on \"{node}\"\n    {{\n        volume 0\n        {{\n            disk        {(node == tiebreaker ? "none" : "/dev/vg_dc/dc-r_00000")};", text);
            Assert.Contains($"device      minor {minor};", text);
            Assert.Contains($"node-id    {drbd.GetProperty("node_id").GetInt32()};", text);
            Assert.Contains($"host \"{node}\" address ipv4 {address}:{port};", text);
            Assert.Equal(node != tiebreaker, text.Contains("# tiebreaker yes;", StringComparison.Ordinal));
            DrbdUtils.AssertAccepted(text, node);
        }
    }

    [DrbdUtilsFact]
    public async Task The_84_form_of_a_two_node_resource_is_accepted_by_drbdadm_84()
    {
        await LvmNodeAsync("dc84-a", "10.21.0.1");
        await LvmNodeAsync("dc84-b", "10.21.0.2");
        await Host.DefinitionAsync("dc84", 4096);
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-definitions/dc84", """{"override_props":{"DrbdOptions/auto-add-quorum-tiebreaker":"false"}}"""))).AssertSuccess(HttpStatusCode.OK);
        (await Host.ReplicasAsync("dc84", "dc84-a", "dc84-b")).AssertSuccess(HttpStatusCode.Created);

        foreach (var node in new[] { "dc84-a", "dc84-b" })
        {
            var text = await GetConfigAsync($"/v1/resource-definitions/dc84/resources/{node}/drbd-config?format=8.4");
            Assert.Contains("(DRBD 8.4 form)", text);
            Assert.DoesNotContain("node-id", text);
            DrbdUtils.AssertAccepted(text, node, drbd84: true);
        }
    }

    [DrbdUtilsAndLoopDevicesFact]
    public async Task The_backing_device_is_the_one_the_nodes_agent_reported()
    {
        await LvmNodeAsync("dc-obs", "127.0.0.2");
        await Host.DefinitionAsync("dc-seen", 4096);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/dc-seen/resources",
            """[{"resource":{"node_name":"OWN","props":{"StorPoolName":"DfltStorPool"}}},{"resource":{"node_name":"dc-obs"}}]""".Replace("OWN", Host.Settings.NodeName, StringComparison.Ordinal)))).AssertSuccess(HttpStatusCode.Created);

        try
        {
            var device = await ReportedBackingDeviceAsync("dc-seen", Host.Settings.NodeName);
            Assert.Matches("^/dev/loop[0-9]+$", device);
            var text = await GetConfigAsync($"/v1/resource-definitions/dc-seen/resources/{Host.Settings.NodeName}/drbd-config");

            Assert.Contains($"disk        {device};", text);
            DrbdUtils.AssertAccepted(text, Host.Settings.NodeName);
            // Seen from the LVM node the host's replica is a remote diskful peer.
            Assert.Contains("disk        /dev/drbd/this/is/not/used;", await GetConfigAsync("/v1/resource-definitions/dc-seen/resources/dc-obs/drbd-config"));

            // Deleting the definition makes the agent remove the volume (and detach its loop device).
            (await Rc.ReadAsync(Host.Rest.DeleteAsync("/v1/resource-definitions/dc-seen"))).AssertSuccess(HttpStatusCode.OK);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while ((await HostLoops.ListAsync()).Any(l => l.Device == device) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
        finally
        {
            await HostLoops.DetachUnderAsync(HostLoops.Canonical(Host.Settings.DataDir));
        }
    }

    [Fact]
    public async Task Unknown_definitions_and_replicas_are_404_and_unrenderable_ones_400()
    {
        await LvmNodeAsync("dc-e1", "10.22.0.1");
        await LvmNodeAsync("dc-e2", "10.22.0.2");
        await LvmNodeAsync("dc-e3", "10.22.0.3");
        await using var agent = new FakeNodeAgent(Host.Fabric, "dc-e3", TimeSpan.FromMilliseconds(200));
        await WaitOnlineWithDrbdAsync("dc-e3");
        await Host.DefinitionAsync("dc-err", 4096);
        (await Host.ReplicasAsync("dc-err", "dc-e1", "dc-e2")).AssertSuccess(HttpStatusCode.Created);

        (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/resource-definitions/dc-nope/resources/dc-e1/drbd-config"))).AssertError(ApiConsts.FailNotFoundRscDfn, HttpStatusCode.NotFound);
        (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/resource-definitions/dc-err/resources/dc-nope/drbd-config"))).AssertError(ApiConsts.FailNotFoundRsc, HttpStatusCode.NotFound);

        // A bad DrbdOptions value: the builder's message, cause and correction.
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-definitions/dc-err", """{"override_props":{"DrbdOptions/Net/protocol":"D"}}"""))).AssertSuccess(HttpStatusCode.OK);
        var badProtocol = (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/resource-definitions/dc-err/resources/dc-e1/drbd-config"))).AssertError(ApiConsts.FailInvldRequest, HttpStatusCode.BadRequest);
        Assert.Contains("DrbdOptions/Net/protocol", badProtocol.Entries[0].GetProperty("message").GetString());
        Assert.Contains("A, B or C", badProtocol.Entries[0].GetProperty("cause").GetString());
        (await Rc.ReadAsync(Host.PutJsonAsync("/v1/resource-definitions/dc-err", """{"delete_props":["DrbdOptions/Net/protocol"]}"""))).AssertSuccess(HttpStatusCode.OK);

        // Three replicas (with the tiebreaker) have no 8.4 form; an unknown format is refused.
        var three = (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/resource-definitions/dc-err/resources/dc-e1/drbd-config?format=8.4"))).AssertError(ApiConsts.FailInvldRequest, HttpStatusCode.BadRequest);
        Assert.Contains("exactly two", three.Entries[0].GetProperty("cause").GetString());
        (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/resource-definitions/dc-err/resources/dc-e1/drbd-config?format=7"))).AssertError(ApiConsts.FailInvldRequest, HttpStatusCode.BadRequest);

        // Storage only: no DRBD layer.
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions", """{"resource_definition":{"name":"dc-plain","layer_data":[{"type":"storage"}]}}"""))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/dc-plain/volume-definitions", """{"volume_definition":{"size_kib":4096}}"""))).AssertSuccess(HttpStatusCode.Created);
        (await Host.ReplicasAsync("dc-plain", "dc-e1")).AssertSuccess(HttpStatusCode.Created);
        var plain = (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/resource-definitions/dc-plain/resources/dc-e1/drbd-config"))).AssertError(ApiConsts.FailInvldLayerStack, HttpStatusCode.BadRequest);
        Assert.Contains("no DRBD layer", plain.Entries[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_FILE_pool_replica_whose_device_was_not_reported_cannot_be_rendered_yet()
    {
        await Host.NodeAsync("dc-f1", "DfltStorPool");
        await LvmNodeAsync("dc-f2", "10.23.0.2");
        await Host.DefinitionAsync("dc-file", 4096);
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/resource-definitions/dc-file/resources", """[{"resource":{"node_name":"dc-f1"}},{"resource":{"node_name":"dc-f2"}}]"""))).AssertSuccess(HttpStatusCode.Created);

        var unknown = (await Rc.ReadAsync(Host.Rest.GetAsync("/v1/resource-definitions/dc-file/resources/dc-f1/drbd-config"))).AssertError(ApiConsts.FailInvldRequest, HttpStatusCode.BadRequest);
        Assert.Contains("backing device of volume 0", unknown.Entries[0].GetProperty("message").GetString());
        // Its peer does not need it.
        Assert.Contains("on \"dc-f1\"", await GetConfigAsync("/v1/resource-definitions/dc-file/resources/dc-f2/drbd-config"));
    }

    /// <summary>A satellite node with an LVM pool "lvmpool" on volume group vg_dc that every replica on it uses; no agent runs for it.</summary>
    private async Task LvmNodeAsync(string name, string address)
    {
        (await Rc.ReadAsync(Host.PostJsonAsync("/v1/nodes", $$$"""{"name":"{{{name}}}","type":"satellite","net_interfaces":[{"name":"default","address":"{{{address}}}"}],"props":{"StorPoolName":"lvmpool"}}"""))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(Host.PostJsonAsync($"/v1/nodes/{name}/storage-pools", """{"storage_pool_name":"lvmpool","provider_kind":"LVM","props":{"StorDriver/StorPoolName":"vg_dc"}}"""))).AssertSuccess(HttpStatusCode.Created);
    }

    private async Task WaitOnlineWithDrbdAsync(string node)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!Host.Fabric.NodeStatus.IsOnlineWithDrbd(node))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{node} not online with DRBD");
            await Task.Delay(50);
        }
    }

    private async Task<string> GetConfigAsync(string path)
    {
        using var response = await Host.Rest.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {response.StatusCode}: {body}");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    /// <summary>Polls the replica's volume until its STORAGE layer shows the device the agent reported.</summary>
    private async Task<string> ReportedBackingDeviceAsync(string rd, string node)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            var volume = await Host.GetJsonAsync($"/v1/resource-definitions/{rd}/resources/{node}/volumes/0");
            last = volume.ToString();
            var storage = volume.GetProperty("layer_data_list").EnumerateArray().Single(l => l.GetProperty("type").GetString() == "STORAGE").GetProperty("data");
            if (storage.TryGetProperty("device_path", out var path) && path.ValueKind == JsonValueKind.String)
            {
                return path.GetString()!;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The agent of {node} did not report a backing device for {rd} within 60 s; last volume: {last}");
    }
}

/// <summary>Needs drbd-utils and, for the host's own FILE_THIN pool, loop devices; skipped with the reason where either is missing.</summary>
public sealed class DrbdUtilsAndLoopDevicesFactAttribute : FactAttribute
{
    public DrbdUtilsAndLoopDevicesFactAttribute() => Skip = DrbdUtils.SkipReason ?? new LoopDeviceFactAttribute().Skip;
}
