using System.Text.Json.Serialization;

namespace Fabric.Host.Api.Contracts;

/// <summary>LINSTOR REST <c>NodeModify</c>: request of PUT /v1/nodes/{node}.</summary>
public sealed record NodeModifyDto : IPropsModify
{
    [JsonPropertyName("node_type")] public string? NodeType { get; init; }
    [JsonPropertyName("override_props")] public IReadOnlyDictionary<string, string>? OverrideProps { get; init; }
    [JsonPropertyName("delete_props")] public IReadOnlyList<string>? DeleteProps { get; init; }
    [JsonPropertyName("delete_namespaces")] public IReadOnlyList<string>? DeleteNamespaces { get; init; }
}
