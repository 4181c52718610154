using System.Text.Json.Serialization;

namespace Fabric.Host.Api.Contracts;

/// <summary>
/// LINSTOR REST <c>StoragePoolDefinitionModify</c>: request of PUT /v1/storage-pool-definitions/{pool}
/// and of PUT /v1/nodes/{node}/storage-pools/{pool} (the spec uses this schema for both).
/// </summary>
public sealed record StoragePoolDefinitionModifyDto : IPropsModify
{
    [JsonPropertyName("override_props")] public IReadOnlyDictionary<string, string>? OverrideProps { get; init; }
    [JsonPropertyName("delete_props")] public IReadOnlyList<string>? DeleteProps { get; init; }
    [JsonPropertyName("delete_namespaces")] public IReadOnlyList<string>? DeleteNamespaces { get; init; }
}
