using System.Text.Json.Serialization;

namespace Fabric.Host.Api.Contracts;

/// <summary>LINSTOR REST <c>Node</c>: response of node lists, request of POST /v1/nodes.</summary>
public sealed record NodeDto
{
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>Node type; clients send it in any case ("satellite"), LINSTOR emits upper case ("SATELLITE").</summary>
    [JsonPropertyName("type")] public string? Type { get; init; }

    [JsonPropertyName("flags")] public IReadOnlyList<string>? Flags { get; init; }
    [JsonPropertyName("props")] public IReadOnlyDictionary<string, string>? Props { get; init; }
    [JsonPropertyName("net_interfaces")] public IReadOnlyList<NetInterfaceDto>? NetInterfaces { get; init; }

    /// <summary>OFFLINE, CONNECTED, ONLINE, VERSION_MISMATCH, ... (read only).</summary>
    [JsonPropertyName("connection_status")] public string? ConnectionStatus { get; init; }

    [JsonPropertyName("uuid")] public string? Uuid { get; init; }

    /// <summary>ProviderKind names (LVM, ZFS, ...).</summary>
    [JsonPropertyName("storage_providers")] public IReadOnlyList<string>? StorageProviders { get; init; }

    /// <summary>LayerType names (DRBD, STORAGE, ...).</summary>
    [JsonPropertyName("resource_layers")] public IReadOnlyList<string>? ResourceLayers { get; init; }

    [JsonPropertyName("unsupported_providers")] public IReadOnlyDictionary<string, IReadOnlyList<string>>? UnsupportedProviders { get; init; }
    [JsonPropertyName("unsupported_layers")] public IReadOnlyDictionary<string, IReadOnlyList<string>>? UnsupportedLayers { get; init; }

    /// <summary>Milliseconds since the Unix epoch (UTC).</summary>
    [JsonPropertyName("eviction_timestamp")] public long? EvictionTimestamp { get; init; }

    /// <summary>LINUX or WINDOWS.</summary>
    [JsonPropertyName("platform")] public string? Platform { get; init; }

    [JsonPropertyName("os_variant")] public string? OsVariant { get; init; }
}
