using System.Text.Json.Serialization;

namespace Fabric.Host.Api.Contracts;

/// <summary>LINSTOR REST <c>AutoSelectFilter</c>: how the autoplacer chooses nodes and pools.</summary>
public sealed record AutoSelectFilterDto
{
    [JsonPropertyName("place_count")] public int? PlaceCount { get; init; }
    [JsonPropertyName("additional_place_count")] public int? AdditionalPlaceCount { get; init; }
    [JsonPropertyName("node_name_list")] public IReadOnlyList<string>? NodeNameList { get; init; }
    [JsonPropertyName("storage_pool")] public string? StoragePool { get; init; }
    [JsonPropertyName("storage_pool_list")] public IReadOnlyList<string>? StoragePoolList { get; init; }
    [JsonPropertyName("storage_pool_diskless_list")] public IReadOnlyList<string>? StoragePoolDisklessList { get; init; }
    [JsonPropertyName("not_place_with_rsc")] public IReadOnlyList<string>? NotPlaceWithRsc { get; init; }
    [JsonPropertyName("not_place_with_rsc_regex")] public string? NotPlaceWithRscRegex { get; init; }
    [JsonPropertyName("replicas_on_same")] public IReadOnlyList<string>? ReplicasOnSame { get; init; }
    [JsonPropertyName("replicas_on_different")] public IReadOnlyList<string>? ReplicasOnDifferent { get; init; }
    [JsonPropertyName("x_replicas_on_different_map")] public IReadOnlyDictionary<string, int>? XReplicasOnDifferentMap { get; init; }
    [JsonPropertyName("layer_stack")] public IReadOnlyList<string>? LayerStack { get; init; }
    [JsonPropertyName("provider_list")] public IReadOnlyList<string>? ProviderList { get; init; }
    [JsonPropertyName("diskless_on_remaining")] public bool? DisklessOnRemaining { get; init; }
    [JsonPropertyName("diskless_type")] public string? DisklessType { get; init; }

    /// <summary>Accepted for compatibility; Fabric uses the controller's MaxOversubscriptionRatio.</summary>
    [JsonPropertyName("overprovision")] public double? Overprovision { get; init; }

    /// <summary>Accepted for compatibility; DRBD resources take one port per node.</summary>
    [JsonPropertyName("port_count")] public int? PortCount { get; init; }
}

/// <summary>LINSTOR REST <c>ResourceGroup</c>: response of resource-group lists, request of POST /v1/resource-groups.</summary>
public sealed record ResourceGroupDto
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("props")] public IReadOnlyDictionary<string, string>? Props { get; init; }
    [JsonPropertyName("select_filter")] public AutoSelectFilterDto? SelectFilter { get; init; }
    [JsonPropertyName("uuid")] public string? Uuid { get; init; }
    [JsonPropertyName("peer_slots")] public int? PeerSlots { get; init; }
}

/// <summary>LINSTOR REST <c>ResourceGroupModify</c>: request of PUT /v1/resource-groups/{rg}.</summary>
public sealed record ResourceGroupModifyDto : IPropsModify
{
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("override_props")] public IReadOnlyDictionary<string, string>? OverrideProps { get; init; }
    [JsonPropertyName("delete_props")] public IReadOnlyList<string>? DeleteProps { get; init; }
    [JsonPropertyName("delete_namespaces")] public IReadOnlyList<string>? DeleteNamespaces { get; init; }
    [JsonPropertyName("select_filter")] public AutoSelectFilterDto? SelectFilter { get; init; }
    [JsonPropertyName("peer_slots")] public int? PeerSlots { get; init; }

    /// <summary>Accepted; snapshots are not implemented yet.</summary>
    [JsonPropertyName("snap_names")] public IReadOnlyList<string>? SnapNames { get; init; }

    /// <summary>Accepted; snapshots are not implemented yet.</summary>
    [JsonPropertyName("copy_all_snaps")] public bool? CopyAllSnaps { get; init; }
}

/// <summary>LINSTOR REST <c>VolumeGroup</c>: response of volume-group lists, request of POST .../volume-groups.</summary>
public sealed record VolumeGroupDto
{
    [JsonPropertyName("volume_number")] public int? VolumeNumber { get; init; }
    [JsonPropertyName("props")] public IReadOnlyDictionary<string, string>? Props { get; init; }
    [JsonPropertyName("uuid")] public string? Uuid { get; init; }
    [JsonPropertyName("flags")] public IReadOnlyList<string>? Flags { get; init; }
}

/// <summary>LINSTOR REST <c>VolumeGroupModify</c>: request of PUT .../volume-groups/{vlmnr}.</summary>
public sealed record VolumeGroupModifyDto : IPropsModify
{
    [JsonPropertyName("override_props")] public IReadOnlyDictionary<string, string>? OverrideProps { get; init; }

    /// <summary>A flag name adds it; a name prefixed with '-' removes it (GROSS_SIZE).</summary>
    [JsonPropertyName("flags")] public IReadOnlyList<string>? Flags { get; init; }

    [JsonPropertyName("delete_props")] public IReadOnlyList<string>? DeleteProps { get; init; }
    [JsonPropertyName("delete_namespaces")] public IReadOnlyList<string>? DeleteNamespaces { get; init; }
}

/// <summary>LINSTOR REST <c>ResourceGroupSpawn</c>: request of POST /v1/resource-groups/{rg}/spawn.</summary>
public sealed record ResourceGroupSpawnDto
{
    [JsonPropertyName("resource_definition_name")] public string? ResourceDefinitionName { get; init; }
    [JsonPropertyName("resource_definition_external_name")] public string? ResourceDefinitionExternalName { get; init; }

    /// <summary>KiB, one per volume group (see <see cref="Partial"/>).</summary>
    [JsonPropertyName("volume_sizes")] public IReadOnlyList<long>? VolumeSizes { get; init; }

    [JsonPropertyName("select_filter")] public AutoSelectFilterDto? SelectFilter { get; init; }
    [JsonPropertyName("partial")] public bool? Partial { get; init; }
    [JsonPropertyName("definitions_only")] public bool? DefinitionsOnly { get; init; }
    [JsonPropertyName("peer_slots")] public int? PeerSlots { get; init; }

    /// <summary>Accepted; encryption (LUKS) is not implemented yet.</summary>
    [JsonPropertyName("volume_passphrases")] public IReadOnlyList<string>? VolumePassphrases { get; init; }

    [JsonPropertyName("resource_definition_props")] public IReadOnlyDictionary<string, string>? ResourceDefinitionProps { get; init; }
}

/// <summary>LINSTOR REST <c>ResourceGroupAdjust</c>: request of POST /v1/resource-groups/{rg}/adjust and adjustall.</summary>
public sealed record ResourceGroupAdjustDto
{
    [JsonPropertyName("select_filter")] public AutoSelectFilterDto? SelectFilter { get; init; }
    [JsonPropertyName("snap_names")] public IReadOnlyList<string>? SnapNames { get; init; }
    [JsonPropertyName("copy_all_snaps")] public bool? CopyAllSnaps { get; init; }
}

/// <summary>LINSTOR REST <c>AutoPlaceRequest</c>: request of POST /v1/resource-definitions/{rd}/autoplace.</summary>
public sealed record AutoPlaceRequestDto
{
    [JsonPropertyName("diskless_on_remaining")] public bool? DisklessOnRemaining { get; init; }
    [JsonPropertyName("select_filter")] public AutoSelectFilterDto? SelectFilter { get; init; }
    [JsonPropertyName("layer_list")] public IReadOnlyList<string>? LayerList { get; init; }
    [JsonPropertyName("snap_names")] public IReadOnlyList<string>? SnapNames { get; init; }
    [JsonPropertyName("copy_all_snaps")] public bool? CopyAllSnaps { get; init; }
}

/// <summary>LINSTOR REST <c>QuerySizeInfoRequest</c>.</summary>
public sealed record QuerySizeInfoRequestDto
{
    [JsonPropertyName("select_filter")] public AutoSelectFilterDto? SelectFilter { get; init; }

    /// <summary>Accepted; the node-status board is always current, there is no cache to bypass.</summary>
    [JsonPropertyName("ignore_cache_older_than_sec")] public int? IgnoreCacheOlderThanSec { get; init; }
}

/// <summary>LINSTOR REST <c>QuerySizeInfoResponse</c>.</summary>
public sealed record QuerySizeInfoResponseDto
{
    [JsonPropertyName("space_info")] public QuerySizeInfoSpaceInfoDto? SpaceInfo { get; init; }
    [JsonPropertyName("reports")] public IReadOnlyList<ApiCallRcDto>? Reports { get; init; }
}

/// <summary>LINSTOR REST <c>QuerySizeInfoResponseSpaceInfo</c>. Sizes in KiB.</summary>
public sealed record QuerySizeInfoSpaceInfoDto
{
    [JsonPropertyName("max_vlm_size_in_kib")] public long MaxVlmSizeInKib { get; init; }
    [JsonPropertyName("available_size_in_kib")] public long? AvailableSizeInKib { get; init; }
    [JsonPropertyName("capacity_in_kib")] public long? CapacityInKib { get; init; }
    [JsonPropertyName("default_max_oversubscription_ratio")] public double? DefaultMaxOversubscriptionRatio { get; init; }
    [JsonPropertyName("max_oversubscription_ratio")] public double? MaxOversubscriptionRatio { get; init; }
    [JsonPropertyName("max_free_capacity_oversubscription_ratio")] public double? MaxFreeCapacityOversubscriptionRatio { get; init; }
    [JsonPropertyName("max_total_capacity_oversubscription_ratio")] public double? MaxTotalCapacityOversubscriptionRatio { get; init; }
    [JsonPropertyName("next_spawn_result")] public IReadOnlyList<QuerySizeInfoSpawnResultDto>? NextSpawnResult { get; init; }
}

/// <summary>LINSTOR REST <c>QuerySizeInfoSpawnResult</c>: one pool the next spawn would use.</summary>
public sealed record QuerySizeInfoSpawnResultDto
{
    [JsonPropertyName("node_name")] public string? NodeName { get; init; }
    [JsonPropertyName("stor_pool_name")] public string? StorPoolName { get; init; }
    [JsonPropertyName("stor_pool_oversubscription_ratio")] public double? StorPoolOversubscriptionRatio { get; init; }
    [JsonPropertyName("stor_pool_free_capacity_oversubscription_ratio")] public double? StorPoolFreeCapacityOversubscriptionRatio { get; init; }
    [JsonPropertyName("stor_pool_total_capacity_oversubscription_ratio")] public double? StorPoolTotalCapacityOversubscriptionRatio { get; init; }
}

/// <summary>LINSTOR REST <c>MaxVolumeSizes</c>: response of GET /v1/resource-groups/{rg}/query-max-volume-size.</summary>
public sealed record MaxVolumeSizesDto
{
    [JsonPropertyName("candidates")] public IReadOnlyList<MaxVolumeSizeCandidateDto>? Candidates { get; init; }
    [JsonPropertyName("default_max_oversubscription_ratio")] public double? DefaultMaxOversubscriptionRatio { get; init; }
}

/// <summary>LINSTOR REST <c>Candidate</c>: one storage pool name and the largest volume it takes on enough nodes.</summary>
public sealed record MaxVolumeSizeCandidateDto
{
    [JsonPropertyName("storage_pool")] public string? StoragePool { get; init; }
    [JsonPropertyName("max_volume_size_kib")] public long MaxVolumeSizeKib { get; init; }
    [JsonPropertyName("node_names")] public IReadOnlyList<string>? NodeNames { get; init; }
    [JsonPropertyName("all_thin")] public bool AllThin { get; init; }
}
