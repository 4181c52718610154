using Fabric.Core.Naming;
using Fabric.Host.Api.Contracts;

namespace Fabric.Host.Api;

/// <summary>LINSTOR's list filters: repeated query parameters, names case-insensitive, props as key=value.</summary>
public sealed class QueryFilters
{
    private QueryFilters(HashSet<string> nodes, HashSet<string> pools, List<(string Key, string? Value)> props, PageQuery page)
    {
        Nodes = nodes;
        Pools = pools;
        Props = props;
        Page = page;
    }

    public HashSet<string> Nodes { get; }

    public HashSet<string> Pools { get; }

    public List<(string Key, string? Value)> Props { get; }

    public PageQuery Page { get; }

    /// <summary>The <c>resources</c> (view) and <c>resource_definitions</c> (definition list) filters.</summary>
    public HashSet<string> Resources { get; private init; } = [];

    public static (QueryFilters? Filters, IResult? Error) Parse(HttpRequest request)
    {
        if (!PageQuery.TryParse(request.Query["offset"].FirstOrDefault(), request.Query["limit"].FirstOrDefault(), out var page, out var pageError))
        {
            return (null, ApiResponses.Error(pageError, StatusCodes.Status400BadRequest));
        }
        var props = new List<(string, string?)>();
        foreach (var filter in Values(request, "props"))
        {
            var eq = filter.IndexOf('=', StringComparison.Ordinal);
            props.Add(eq < 0 ? (filter, null) : (filter[..eq], filter[(eq + 1)..]));
        }
        return (new QueryFilters(Keys(request, "nodes"), Keys(request, "storage_pools"), props, page)
        {
            Resources = [.. Keys(request, "resources"), .. Keys(request, "resource_definitions")],
        }, null);
    }

    public bool MatchesNode(string nodeKey) => Nodes.Count == 0 || Nodes.Contains(nodeKey);

    public bool MatchesResource(string resourceKey) => Resources.Count == 0 || Resources.Contains(resourceKey);

    public bool MatchesPool(string poolKey) => Pools.Count == 0 || Pools.Contains(poolKey);

    /// <summary>"key=value" needs that value; a bare "key" needs the key to be set.</summary>
    public bool MatchesProps(IReadOnlyDictionary<string, string> props) =>
        Props.All(f => props.TryGetValue(f.Key, out var value) && (f.Value is null || f.Value == value));

    private static IEnumerable<string> Values(HttpRequest request, string name) =>
        request.Query[name].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static HashSet<string> Keys(HttpRequest request, string name) => Values(request, name).Select(Names.Key).ToHashSet(StringComparer.Ordinal);
}
