using System.Text.Json.Serialization;

namespace Fabric.Host.Api.Contracts;

/// <summary>LINSTOR REST <c>StoragePoolDefinition</c>: response of lists, request of POST /v1/storage-pool-definitions.</summary>
public sealed record StoragePoolDefinitionDto
{
    [JsonPropertyName("storage_pool_name")] public string? StoragePoolName { get; init; }
    [JsonPropertyName("props")] public IReadOnlyDictionary<string, string>? Props { get; init; }
}
