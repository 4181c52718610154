using System.Text.Json.Serialization;

namespace Fabric.Host.Api.Contracts;

/// <summary>
/// The generic property-modification body <c>{override_props, delete_props, delete_namespaces}</c>,
/// for objects whose *Modify schema has exactly these fields (node connections, key-value stores, ...).
/// </summary>
public sealed record PropsModifyDto : IPropsModify
{
    [JsonPropertyName("override_props")] public IReadOnlyDictionary<string, string>? OverrideProps { get; init; }
    [JsonPropertyName("delete_props")] public IReadOnlyList<string>? DeleteProps { get; init; }
    [JsonPropertyName("delete_namespaces")] public IReadOnlyList<string>? DeleteNamespaces { get; init; }
}
