using System.Net;
using System.Text.Json;

namespace Fabric.Bench.Hosting;

/// <summary>GET /v1/nodes reduced to what the benchmarks check: names and props.</summary>
public static class NodeListing
{
    public sealed record Result(HttpStatusCode Status, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Nodes);

    public static async Task<Result> GetAsync(HttpClient rest, CancellationToken cancellationToken = default)
    {
        using var response = await rest.GetAsync("/v1/nodes", cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var nodes = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            using var json = JsonDocument.Parse(body);
            foreach (var node in json.RootElement.EnumerateArray())
            {
                var props = new Dictionary<string, string>(StringComparer.Ordinal);
                if (node.TryGetProperty("props", out var p) && p.ValueKind == JsonValueKind.Object)
                {
                    foreach (var prop in p.EnumerateObject())
                    {
                        props[prop.Name] = prop.Value.GetString() ?? string.Empty;
                    }
                }
                nodes[node.GetProperty("name").GetString() ?? string.Empty] = props;
            }
        }
        return new Result(response.StatusCode, nodes);
    }
}
