using System.Text.Json.Serialization;

namespace Fabric.Host.Api.Contracts;

/// <summary>
/// LINSTOR REST <c>Resource</c> and <c>ResourceWithVolumes</c> (the same object plus <c>volumes</c> and
/// <c>shared_name</c>, which stay null, and so absent, where the spec answers a plain Resource).
/// Also the <c>resource</c> part of <c>ResourceCreate</c>.
/// </summary>
public sealed record ResourceDto
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("node_name")] public string? NodeName { get; init; }
    [JsonPropertyName("props")] public IReadOnlyDictionary<string, string>? Props { get; init; }
    [JsonPropertyName("effective_props")] public IReadOnlyDictionary<string, EffectivePropertyDto>? EffectiveProps { get; init; }
    [JsonPropertyName("flags")] public IReadOnlyList<string>? Flags { get; init; }
    [JsonPropertyName("layer_object")] public ResourceLayerDto? LayerObject { get; init; }

    /// <summary>From the node agent; null (absent) until one reports, as LINSTOR answers for an unreachable satellite.</summary>
    [JsonPropertyName("state")] public ResourceStateDto? State { get; init; }

    [JsonPropertyName("uuid")] public string? Uuid { get; init; }

    /// <summary>Milliseconds since the epoch.</summary>
    [JsonPropertyName("create_timestamp")] public long? CreateTimestamp { get; init; }

    [JsonPropertyName("volumes")] public IReadOnlyList<VolumeDto>? Volumes { get; init; }
    [JsonPropertyName("shared_name")] public string? SharedName { get; init; }
}

/// <summary>LINSTOR REST <c>ResourceState</c>.</summary>
public sealed record ResourceStateDto
{
    [JsonPropertyName("in_use")] public bool? InUse { get; init; }
}

/// <summary>LINSTOR REST <c>EffectivePropertiesMapValue</c>: the value in force and the ones it overrides.</summary>
public sealed record EffectivePropertyDto
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("value")] public string? Value { get; init; }
    [JsonPropertyName("descr")] public string? Descr { get; init; }
    [JsonPropertyName("other")] public IReadOnlyList<PropertyWithDescriptionDto>? Other { get; init; }
}

/// <summary>LINSTOR REST <c>PropertyWithDescription</c>.</summary>
public sealed record PropertyWithDescriptionDto
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("value")] public string? Value { get; init; }
    [JsonPropertyName("descr")] public string? Descr { get; init; }
}

/// <summary>LINSTOR REST <c>ResourceLayer</c> (DRBD and STORAGE are the layers Fabric fills in).</summary>
public sealed record ResourceLayerDto
{
    [JsonPropertyName("children")] public IReadOnlyList<ResourceLayerDto>? Children { get; init; }
    [JsonPropertyName("resource_name_suffix")] public string? ResourceNameSuffix { get; init; }
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("drbd")] public DrbdResourceDto? Drbd { get; init; }
    [JsonPropertyName("storage")] public StorageResourceDto? Storage { get; init; }
}

/// <summary>LINSTOR REST <c>DrbdResource</c>.</summary>
public sealed record DrbdResourceDto
{
    [JsonPropertyName("drbd_resource_definition")] public DrbdResourceDefinitionLayerDto? DrbdResourceDefinition { get; init; }
    [JsonPropertyName("node_id")] public int? NodeId { get; init; }
    [JsonPropertyName("tcp_ports")] public IReadOnlyList<int>? TcpPorts { get; init; }
    [JsonPropertyName("peer_slots")] public int? PeerSlots { get; init; }
    [JsonPropertyName("al_stripes")] public int? AlStripes { get; init; }
    [JsonPropertyName("al_size")] public long? AlSize { get; init; }
    [JsonPropertyName("flags")] public IReadOnlyList<string>? Flags { get; init; }
    [JsonPropertyName("drbd_volumes")] public IReadOnlyList<DrbdVolumeDto>? DrbdVolumes { get; init; }
    [JsonPropertyName("connections")] public IReadOnlyDictionary<string, DrbdConnectionDto>? Connections { get; init; }
    [JsonPropertyName("promotion_score")] public int? PromotionScore { get; init; }
    [JsonPropertyName("may_promote")] public bool? MayPromote { get; init; }
}

/// <summary>LINSTOR REST <c>DrbdConnection</c>: one peer's connection as the replica's node sees it.</summary>
public sealed record DrbdConnectionDto
{
    [JsonPropertyName("connected")] public bool? Connected { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
}

/// <summary>LINSTOR REST <c>DrbdVolume</c>.</summary>
public sealed record DrbdVolumeDto
{
    [JsonPropertyName("drbd_volume_definition")] public DrbdVolumeDefinitionDto? DrbdVolumeDefinition { get; init; }
    [JsonPropertyName("device_path")] public string? DevicePath { get; init; }
    [JsonPropertyName("backing_device")] public string? BackingDevice { get; init; }
    [JsonPropertyName("meta_disk")] public string? MetaDisk { get; init; }
    [JsonPropertyName("allocated_size_kib")] public long? AllocatedSizeKib { get; init; }
    [JsonPropertyName("usable_size_kib")] public long? UsableSizeKib { get; init; }
    [JsonPropertyName("disk_state")] public string? DiskState { get; init; }
}

/// <summary>LINSTOR REST <c>StorageResource</c>.</summary>
public sealed record StorageResourceDto
{
    [JsonPropertyName("storage_volumes")] public IReadOnlyList<StorageVolumeDto>? StorageVolumes { get; init; }
}

/// <summary>LINSTOR REST <c>StorageVolume</c>.</summary>
public sealed record StorageVolumeDto
{
    [JsonPropertyName("volume_number")] public int? VolumeNumber { get; init; }
    [JsonPropertyName("device_path")] public string? DevicePath { get; init; }
    [JsonPropertyName("allocated_size_kib")] public long? AllocatedSizeKib { get; init; }
    [JsonPropertyName("usable_size_kib")] public long? UsableSizeKib { get; init; }
    [JsonPropertyName("disk_state")] public string? DiskState { get; init; }
}

/// <summary>LINSTOR REST <c>Volume</c>: a volume of a resource on a node.</summary>
public sealed record VolumeDto
{
    [JsonPropertyName("volume_number")] public int? VolumeNumber { get; init; }
    [JsonPropertyName("storage_pool_name")] public string? StoragePoolName { get; init; }
    [JsonPropertyName("provider_kind")] public string? ProviderKind { get; init; }
    [JsonPropertyName("device_path")] public string? DevicePath { get; init; }
    [JsonPropertyName("allocated_size_kib")] public long? AllocatedSizeKib { get; init; }
    [JsonPropertyName("usable_size_kib")] public long? UsableSizeKib { get; init; }
    [JsonPropertyName("props")] public IReadOnlyDictionary<string, string>? Props { get; init; }
    [JsonPropertyName("flags")] public IReadOnlyList<string>? Flags { get; init; }

    /// <summary>From the node agent; null (absent) until one reports.</summary>
    [JsonPropertyName("state")] public VolumeStateDto? State { get; init; }

    [JsonPropertyName("layer_data_list")] public IReadOnlyList<VolumeLayerDto>? LayerDataList { get; init; }
    [JsonPropertyName("uuid")] public string? Uuid { get; init; }
    [JsonPropertyName("reports")] public IReadOnlyList<ApiCallRcDto>? Reports { get; init; }
}

/// <summary>LINSTOR REST <c>VolumeState</c>.</summary>
public sealed record VolumeStateDto
{
    [JsonPropertyName("disk_state")] public string? DiskState { get; init; }
    [JsonPropertyName("replication_states")] public IReadOnlyDictionary<string, ReplicationStateDto>? ReplicationStates { get; init; }
}

/// <summary>LINSTOR REST <c>ReplicationState</c>: one volume's replication towards one peer.</summary>
public sealed record ReplicationStateDto
{
    [JsonPropertyName("replication_state")] public string? ReplicationState { get; init; }
    [JsonPropertyName("done_percentage")] public double? DonePercentage { get; init; }
}

/// <summary>LINSTOR REST <c>VolumeLayer</c>: <c>data</c> is a DrbdVolume or a StorageVolume.</summary>
public sealed record VolumeLayerDto
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("data")] public object? Data { get; init; }
}

/// <summary>LINSTOR REST <c>ResourceCreate</c>: one element of POST .../resources.</summary>
public sealed record ResourceCreateDto
{
    [JsonPropertyName("resource")] public ResourceDto? Resource { get; init; }
    [JsonPropertyName("layer_list")] public IReadOnlyList<string>? LayerList { get; init; }
    [JsonPropertyName("drbd_node_id")] public int? DrbdNodeId { get; init; }
    [JsonPropertyName("drbd_tcp_port_count")] public int? DrbdTcpPortCount { get; init; }
    [JsonPropertyName("drbd_tcp_ports")] public IReadOnlyList<int>? DrbdTcpPorts { get; init; }
    [JsonPropertyName("snap_names")] public IReadOnlyList<string>? SnapNames { get; init; }
    [JsonPropertyName("copy_all_snaps")] public bool? CopyAllSnaps { get; init; }
    [JsonPropertyName("drbd_client")] public bool? DrbdClient { get; init; }
}

/// <summary>LINSTOR REST <c>ResourceMakeAvailable</c>.</summary>
public sealed record ResourceMakeAvailableDto
{
    [JsonPropertyName("layer_list")] public IReadOnlyList<string>? LayerList { get; init; }
    [JsonPropertyName("diskful")] public bool? Diskful { get; init; }
    [JsonPropertyName("drbd_tcp_ports")] public IReadOnlyList<int>? DrbdTcpPorts { get; init; }
    [JsonPropertyName("snap_names")] public IReadOnlyList<string>? SnapNames { get; init; }
    [JsonPropertyName("copy_all_snaps")] public bool? CopyAllSnaps { get; init; }
}

/// <summary>LINSTOR REST <c>ResourceModify</c>.</summary>
public sealed record ResourceModifyDto : IPropsModify
{
    [JsonPropertyName("override_props")] public IReadOnlyDictionary<string, string>? OverrideProps { get; init; }
    [JsonPropertyName("delete_props")] public IReadOnlyList<string>? DeleteProps { get; init; }
    [JsonPropertyName("delete_namespaces")] public IReadOnlyList<string>? DeleteNamespaces { get; init; }
    [JsonPropertyName("drbd_tiebreaker")] public bool? DrbdTiebreaker { get; init; }
    [JsonPropertyName("drbd_client")] public bool? DrbdClient { get; init; }
}

/// <summary>LINSTOR REST <c>VolumeModify</c>.</summary>
public sealed record VolumeModifyDto : IPropsModify
{
    [JsonPropertyName("override_props")] public IReadOnlyDictionary<string, string>? OverrideProps { get; init; }
    [JsonPropertyName("delete_props")] public IReadOnlyList<string>? DeleteProps { get; init; }
    [JsonPropertyName("delete_namespaces")] public IReadOnlyList<string>? DeleteNamespaces { get; init; }
}
