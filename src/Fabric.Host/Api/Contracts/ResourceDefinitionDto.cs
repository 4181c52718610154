using System.Text.Json.Serialization;

namespace Fabric.Host.Api.Contracts;

/// <summary>LINSTOR REST <c>ResourceDefinition</c>: response of resource-definition lists, and the core of <c>ResourceDefinitionCreate</c>.</summary>
public sealed record ResourceDefinitionDto
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("external_name")] public string? ExternalName { get; init; }
    [JsonPropertyName("props")] public IReadOnlyDictionary<string, string>? Props { get; init; }
    [JsonPropertyName("flags")] public IReadOnlyList<string>? Flags { get; init; }

    /// <summary>On create, the types give the layer stack (the python client sends <c>[{"type":"DRBD"},{"type":"STORAGE"}]</c>).</summary>
    [JsonPropertyName("layer_data")] public IReadOnlyList<ResourceDefinitionLayerDto>? LayerData { get; init; }

    [JsonPropertyName("uuid")] public string? Uuid { get; init; }
    [JsonPropertyName("resource_group_name")] public string? ResourceGroupName { get; init; }
    [JsonPropertyName("volume_definitions")] public IReadOnlyList<VolumeDefinitionDto>? VolumeDefinitions { get; init; }
}

/// <summary>LINSTOR REST <c>ResourceDefinitionLayer</c>.</summary>
public sealed record ResourceDefinitionLayerDto
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("data")] public DrbdResourceDefinitionLayerDto? Data { get; init; }
}

/// <summary>LINSTOR REST <c>DrbdResourceDefinitionLayer</c>.</summary>
public sealed record DrbdResourceDefinitionLayerDto
{
    [JsonPropertyName("resource_name_suffix")] public string? ResourceNameSuffix { get; init; }
    [JsonPropertyName("peer_slots")] public int? PeerSlots { get; init; }
    [JsonPropertyName("al_stripes")] public int? AlStripes { get; init; }
    [JsonPropertyName("al_stripe_size_kib")] public long? AlStripeSizeKib { get; init; }
    [JsonPropertyName("port")] public int? Port { get; init; }
    [JsonPropertyName("transport_type")] public string? TransportType { get; init; }
    [JsonPropertyName("secret")] public string? Secret { get; init; }
    [JsonPropertyName("down")] public bool? Down { get; init; }
}

/// <summary>LINSTOR REST <c>ResourceDefinitionCreate</c>: request of POST /v1/resource-definitions.</summary>
public sealed record ResourceDefinitionCreateDto
{
    [JsonPropertyName("resource_definition")] public ResourceDefinitionDto? ResourceDefinition { get; init; }
    [JsonPropertyName("drbd_port")] public int? DrbdPort { get; init; }
    [JsonPropertyName("drbd_secret")] public string? DrbdSecret { get; init; }
    [JsonPropertyName("drbd_peer_slots")] public int? DrbdPeerSlots { get; init; }
    [JsonPropertyName("drbd_transport_type")] public string? DrbdTransportType { get; init; }
}

/// <summary>LINSTOR REST <c>ResourceDefinitionModify</c>: request of PUT /v1/resource-definitions/{rd}.</summary>
public sealed record ResourceDefinitionModifyDto : IPropsModify
{
    [JsonPropertyName("override_props")] public IReadOnlyDictionary<string, string>? OverrideProps { get; init; }
    [JsonPropertyName("delete_props")] public IReadOnlyList<string>? DeleteProps { get; init; }
    [JsonPropertyName("delete_namespaces")] public IReadOnlyList<string>? DeleteNamespaces { get; init; }
    [JsonPropertyName("drbd_port")] public int? DrbdPort { get; init; }
    [JsonPropertyName("drbd_peer_slots")] public int? DrbdPeerSlots { get; init; }
    [JsonPropertyName("layer_stack")] public IReadOnlyList<string>? LayerStack { get; init; }
    [JsonPropertyName("resource_group")] public string? ResourceGroup { get; init; }
}
