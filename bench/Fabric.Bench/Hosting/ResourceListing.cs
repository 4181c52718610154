using System.Net;
using System.Text.Json;

namespace Fabric.Bench.Hosting;

/// <summary>GET /v1/view/resources and /v1/resource-definitions reduced to what the benchmarks check.</summary>
public static class ResourceListing
{
    /// <summary>One replica: resource name, node, flags, DRBD node id and port, minor per volume number, storage pool.</summary>
    public sealed record Entry(string Resource, string Node, IReadOnlyList<string> Flags, int? NodeId, IReadOnlyList<int> Ports, IReadOnlyDictionary<int, int?> Minors, IReadOnlyList<string> Pools)
    {
        public bool Diskless => Flags.Any(f => f.Contains("DISKLESS", StringComparison.OrdinalIgnoreCase) || f.Equals("TIE_BREAKER", StringComparison.OrdinalIgnoreCase));
    }

    /// <param name="Ticks">Stopwatch ticks from sending the request to the whole body read (JSON parsing not included).</param>
    public sealed record ViewResult(HttpStatusCode Status, long Bytes, IReadOnlyList<Entry> Entries, long Ticks);

    public sealed record DefinitionsResult(HttpStatusCode Status, long Bytes, IReadOnlyList<string> Names, long Ticks);

    public static async Task<ViewResult> GetViewAsync(HttpClient rest, string query = "", CancellationToken cancellationToken = default)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var response = await rest.GetAsync("/v1/view/resources" + query, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var ticks = System.Diagnostics.Stopwatch.GetTimestamp() - started;
        var entries = new List<Entry>();
        if (response.StatusCode == HttpStatusCode.OK)
        {
            using var json = JsonDocument.Parse(body);
            foreach (var r in json.RootElement.EnumerateArray())
            {
                entries.Add(Parse(r));
            }
        }
        return new ViewResult(response.StatusCode, body.LongLength, entries, ticks);
    }

    public static async Task<DefinitionsResult> GetDefinitionsAsync(HttpClient rest, CancellationToken cancellationToken = default)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var response = await rest.GetAsync("/v1/resource-definitions", cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var ticks = System.Diagnostics.Stopwatch.GetTimestamp() - started;
        var names = new List<string>();
        if (response.StatusCode == HttpStatusCode.OK)
        {
            using var json = JsonDocument.Parse(body);
            foreach (var rd in json.RootElement.EnumerateArray())
            {
                names.Add(rd.GetProperty("name").GetString() ?? string.Empty);
            }
        }
        return new DefinitionsResult(response.StatusCode, body.LongLength, names, ticks);
    }

    private static Entry Parse(JsonElement r)
    {
        var flags = r.TryGetProperty("flags", out var f) && f.ValueKind == JsonValueKind.Array ? f.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToList() : [];
        int? nodeId = null;
        var ports = new List<int>();
        var minors = new Dictionary<int, int?>();
        var layer = r.TryGetProperty("layer_object", out var lo) ? lo : default;
        while (layer.ValueKind == JsonValueKind.Object)
        {
            if (layer.TryGetProperty("drbd", out var drbd) && drbd.ValueKind == JsonValueKind.Object)
            {
                if (drbd.TryGetProperty("node_id", out var id) && id.ValueKind == JsonValueKind.Number)
                {
                    nodeId = id.GetInt32();
                }
                if (drbd.TryGetProperty("tcp_ports", out var tp) && tp.ValueKind == JsonValueKind.Array)
                {
                    ports.AddRange(tp.EnumerateArray().Select(p => p.GetInt32()));
                }
                if (drbd.TryGetProperty("drbd_volumes", out var vols) && vols.ValueKind == JsonValueKind.Array)
                {
                    foreach (var v in vols.EnumerateArray())
                    {
                        var vd = v.GetProperty("drbd_volume_definition");
                        var number = vd.TryGetProperty("volume_number", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt32() : -1;
                        minors[number] = vd.TryGetProperty("minor_number", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt32() : null;
                    }
                }
            }
            layer = layer.TryGetProperty("children", out var children) && children.ValueKind == JsonValueKind.Array && children.GetArrayLength() > 0 ? children[0] : default;
        }
        var pools = r.TryGetProperty("volumes", out var volumes) && volumes.ValueKind == JsonValueKind.Array
            ? volumes.EnumerateArray().Select(v => v.TryGetProperty("storage_pool_name", out var p) ? p.GetString() ?? string.Empty : string.Empty).ToList()
            : [];
        return new Entry(r.GetProperty("name").GetString() ?? string.Empty, r.GetProperty("node_name").GetString() ?? string.Empty, flags, nodeId, ports, minors, pools);
    }

    /// <summary>
    /// Problems (empty when correct): every expected resource has exactly <paramref name="replicas"/>
    /// diskful replicas on distinct nodes in <paramref name="pool"/>; minors are unique cluster-wide (and
    /// the same on every replica of a resource), ports unique per node, node ids unique per resource.
    /// </summary>
    public static List<string> Verify(IReadOnlyList<Entry> entries, IReadOnlyCollection<string> expectedResources, int replicas, string pool, int volumes)
    {
        var problems = new List<string>();
        void Problem(string text)
        {
            if (problems.Count < 20)
            {
                problems.Add(text);
            }
        }
        var byResource = entries.GroupBy(e => e.Resource, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        foreach (var name in expectedResources)
        {
            if (!byResource.TryGetValue(name, out var list))
            {
                Problem($"resource {name} is missing from the view");
                continue;
            }
            var diskful = list.Where(e => !e.Diskless).ToList();
            if (diskful.Count != replicas)
            {
                Problem($"resource {name} has {diskful.Count} diskful replicas (of {list.Count}), expected {replicas}");
            }
            if (diskful.Select(e => e.Node).Distinct(StringComparer.OrdinalIgnoreCase).Count() != diskful.Count)
            {
                Problem($"resource {name} has two replicas on one node: {string.Join(", ", diskful.Select(e => e.Node))}");
            }
            if (diskful.Any(e => e.Pools.Count != volumes || e.Pools.Any(p => !p.Equals(pool, StringComparison.OrdinalIgnoreCase))))
            {
                Problem($"resource {name}: a replica is not in pool {pool} with {volumes} volume(s)");
            }
            var ids = list.Select(e => e.NodeId).ToList();
            if (ids.Any(i => i is null) || ids.Distinct().Count() != ids.Count)
            {
                Problem($"resource {name}: node ids missing or not unique: {string.Join(", ", ids)}");
            }
            var minorSets = list.Select(e => string.Join(',', e.Minors.OrderBy(m => m.Key).Select(m => $"{m.Key}:{m.Value}"))).Distinct().ToList();
            if (minorSets.Count != 1 || list[0].Minors.Count != volumes || list[0].Minors.Values.Any(m => m is null))
            {
                Problem($"resource {name}: minors missing or differ between replicas: {string.Join(" | ", minorSets)}");
            }
        }
        var unexpected = byResource.Keys.Except(expectedResources, StringComparer.OrdinalIgnoreCase).ToList();
        if (unexpected.Count > 0)
        {
            Problem($"{unexpected.Count} unexpected resources in the view, e.g. {string.Join(", ", unexpected.Take(5))}");
        }
        var minorOwners = byResource.SelectMany(g => g.Value[0].Minors.Values.Where(m => m is not null).Select(m => (Minor: m!.Value, Resource: g.Key)))
            .GroupBy(x => x.Minor).Where(g => g.Count() > 1).ToList();
        foreach (var dup in minorOwners.Take(5))
        {
            Problem($"minor {dup.Key} used by {string.Join(", ", dup.Select(d => d.Resource))}");
        }
        var portDups = entries.Where(e => e.Ports.Count > 0).GroupBy(e => (Node: e.Node.ToUpperInvariant(), Port: e.Ports[0])).Where(g => g.Count() > 1).ToList();
        foreach (var dup in portDups.Take(5))
        {
            Problem($"port {dup.Key.Port} on node {dup.Key.Node} used by {string.Join(", ", dup.Select(d => d.Resource))}");
        }
        if (entries.Any(e => e.Ports.Count != 1))
        {
            Problem($"{entries.Count(e => e.Ports.Count != 1)} replicas without exactly one TCP port");
        }
        if (minorOwners.Count > 0 || portDups.Count > 0)
        {
            Problem($"{minorOwners.Count} duplicate minors, {portDups.Count} duplicate (node, port) pairs in total");
        }
        return problems;
    }
}
