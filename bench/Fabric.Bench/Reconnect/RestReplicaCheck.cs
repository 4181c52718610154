using System.Net;
using System.Text.Json;

namespace Fabric.Bench.Reconnect;

/// <summary>
/// What a LINSTOR client sees of one node after a reconnect: <c>GET /v1/nodes/{node}</c> must say
/// ONLINE and <c>GET /v1/view/resources?nodes={node}</c> must list exactly the expected replicas,
/// every volume UpToDate on its expected device.
/// </summary>
public static class RestReplicaCheck
{
    /// <param name="devices">Resource name (any case) to the device path its volume 0 must have.</param>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(HttpClient rest, string node, IReadOnlyDictionary<string, string> devices)
    {
        var problems = new List<string>();
        using (var response = await rest.GetAsync($"/v1/nodes/{node}"))
        {
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return [$"GET /v1/nodes/{node} answered {(int)response.StatusCode}: {body}"];
            }
            using var json = JsonDocument.Parse(body);
            var status = json.RootElement.TryGetProperty("connection_status", out var s) ? s.GetString() : null;
            if (status != "ONLINE")
            {
                problems.Add($"GET /v1/nodes/{node}: connection_status {status ?? "(absent)"}, not ONLINE");
            }
        }
        using (var response = await rest.GetAsync($"/v1/view/resources?nodes={node}"))
        {
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return [.. problems, $"GET /v1/view/resources?nodes={node} answered {(int)response.StatusCode}"];
            }
            using var json = JsonDocument.Parse(body);
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var replica in json.RootElement.EnumerateArray())
            {
                var name = replica.GetProperty("name").GetString() ?? "";
                seen.Add(name);
                if (!devices.TryGetValue(name, out var device))
                {
                    problems.Add($"view lists unexpected replica {name}");
                    continue;
                }
                var volumes = replica.TryGetProperty("volumes", out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToList() : [];
                if (volumes.Count != 1)
                {
                    problems.Add($"{name}: {volumes.Count} volumes in the view, not 1");
                    continue;
                }
                var state = volumes[0].TryGetProperty("state", out var st) && st.TryGetProperty("disk_state", out var ds) ? ds.GetString() : null;
                var path = volumes[0].TryGetProperty("device_path", out var dp) ? dp.GetString() : null;
                if (state != "UpToDate" || path != device)
                {
                    problems.Add($"{name}: disk_state {state ?? "(absent)"} on {path ?? "(no device)"}, expected UpToDate on {device}");
                }
            }
            problems.AddRange(devices.Keys.Where(k => !seen.Contains(k)).Select(k => $"view does not list replica {k} on {node}"));
        }
        return problems;
    }
}
