using System.Text.Json.Serialization;

namespace Fabric.Host.Api.Contracts;

/// <summary>LINSTOR REST <c>VolumeDefinition</c>.</summary>
public sealed record VolumeDefinitionDto
{
    [JsonPropertyName("volume_number")] public int? VolumeNumber { get; init; }

    /// <summary>KiB; required on create.</summary>
    [JsonPropertyName("size_kib")] public long? SizeKib { get; init; }

    [JsonPropertyName("props")] public IReadOnlyDictionary<string, string>? Props { get; init; }
    [JsonPropertyName("flags")] public IReadOnlyList<string>? Flags { get; init; }
    [JsonPropertyName("layer_data")] public IReadOnlyList<VolumeDefinitionLayerDto>? LayerData { get; init; }
    [JsonPropertyName("uuid")] public string? Uuid { get; init; }
}

/// <summary>LINSTOR REST <c>VolumeDefinitionLayer</c>.</summary>
public sealed record VolumeDefinitionLayerDto
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("data")] public DrbdVolumeDefinitionDto? Data { get; init; }
}

/// <summary>LINSTOR REST <c>DrbdVolumeDefinition</c>.</summary>
public sealed record DrbdVolumeDefinitionDto
{
    [JsonPropertyName("resource_name_suffix")] public string? ResourceNameSuffix { get; init; }
    [JsonPropertyName("volume_number")] public int? VolumeNumber { get; init; }
    [JsonPropertyName("minor_number")] public int? MinorNumber { get; init; }
}

/// <summary>LINSTOR REST <c>VolumeDefinitionCreate</c>: request of POST .../volume-definitions.</summary>
public sealed record VolumeDefinitionCreateDto
{
    [JsonPropertyName("volume_definition")] public VolumeDefinitionDto? VolumeDefinition { get; init; }
    [JsonPropertyName("drbd_minor_number")] public int? DrbdMinorNumber { get; init; }
    [JsonPropertyName("passphrase")] public string? Passphrase { get; init; }
}

/// <summary>LINSTOR REST <c>VolumeDefinitionModify</c>: request of PUT .../volume-definitions/{nr}.</summary>
public sealed record VolumeDefinitionModifyDto : IPropsModify
{
    [JsonPropertyName("size_kib")] public long? SizeKib { get; init; }
    [JsonPropertyName("override_props")] public IReadOnlyDictionary<string, string>? OverrideProps { get; init; }
    [JsonPropertyName("delete_props")] public IReadOnlyList<string>? DeleteProps { get; init; }
    [JsonPropertyName("delete_namespaces")] public IReadOnlyList<string>? DeleteNamespaces { get; init; }

    /// <summary>GROSS_SIZE to set, -GROSS_SIZE to clear.</summary>
    [JsonPropertyName("flags")] public IReadOnlyList<string>? Flags { get; init; }
}
