using System.Net;
using System.Text.Json;

namespace Fabric.Host.Tests.Infrastructure;

/// <summary>Nodes, pools and resource definitions for the resource REST tests.</summary>
public static class ResourceSetup
{
    public static async Task NodeAsync(this RunningHost host, string name, params string[] thinPools)
    {
        (await Rc.ReadAsync(host.PostJsonAsync("/v1/nodes", $$"""{"name":"{{name}}","type":"satellite","net_interfaces":[{"name":"default","address":"10.0.0.1"}]}"""))).AssertSuccess(HttpStatusCode.Created);
        foreach (var pool in thinPools)
        {
            (await Rc.ReadAsync(host.PostJsonAsync($"/v1/nodes/{name}/storage-pools", $$$"""{"storage_pool_name":"{{{pool}}}","provider_kind":"FILE_THIN","props":{"StorDriver/StorPoolName":"/var/lib/fabric/{{{pool}}}"}}"""))).AssertSuccess(HttpStatusCode.Created);
        }
    }

    public static async Task DefinitionAsync(this RunningHost host, string name, long sizeKib = 1024, string extra = "")
    {
        (await Rc.ReadAsync(host.PostJsonAsync("/v1/resource-definitions", $$$"""{"resource_definition":{"name":"{{{name}}}"}{{{extra}}}}"""))).AssertSuccess(HttpStatusCode.Created);
        (await Rc.ReadAsync(host.PostJsonAsync($"/v1/resource-definitions/{name}/volume-definitions", $$$"""{"volume_definition":{"size_kib":{{{sizeKib}}}}}"""))).AssertSuccess(HttpStatusCode.Created);
    }

    public static async Task<Rc> ReplicasAsync(this RunningHost host, string rd, params string[] nodes) =>
        await Rc.ReadAsync(host.PostJsonAsync($"/v1/resource-definitions/{rd}/resources", "[" + string.Join(",", nodes.Select(n => $$$"""{"resource":{"node_name":"{{{n}}}"}}""")) + "]"));

    public static IEnumerable<string> Strings(this JsonElement array, string property) =>
        array.EnumerateArray().Select(e => e.GetProperty(property).GetString()!);

    public static IEnumerable<string> StringList(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var list) ? list.EnumerateArray().Select(e => e.GetString()!) : [];
}
