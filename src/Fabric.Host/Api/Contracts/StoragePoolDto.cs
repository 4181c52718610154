using System.Text.Json.Serialization;

namespace Fabric.Host.Api.Contracts;

/// <summary>LINSTOR REST <c>StoragePool</c>: response of storage-pool lists, request of POST /v1/nodes/{node}/storage-pools.</summary>
public sealed record StoragePoolDto
{
    [JsonPropertyName("storage_pool_name")] public string? StoragePoolName { get; init; }
    [JsonPropertyName("node_name")] public string? NodeName { get; init; }

    /// <summary>ProviderKind: DISKLESS, LVM, LVM_THIN, ZFS, ZFS_THIN, FILE, FILE_THIN, SPDK, EBS_TARGET, EBS_INIT.</summary>
    [JsonPropertyName("provider_kind")] public string? ProviderKind { get; init; }

    [JsonPropertyName("props")] public IReadOnlyDictionary<string, string>? Props { get; init; }

    /// <summary>Read only.</summary>
    [JsonPropertyName("static_traits")] public IReadOnlyDictionary<string, string>? StaticTraits { get; init; }

    /// <summary>KiB, read only.</summary>
    [JsonPropertyName("free_capacity")] public long? FreeCapacity { get; init; }

    /// <summary>KiB, read only.</summary>
    [JsonPropertyName("total_capacity")] public long? TotalCapacity { get; init; }

    /// <summary>Read only.</summary>
    [JsonPropertyName("free_space_mgr_name")] public string? FreeSpaceMgrName { get; init; }

    [JsonPropertyName("uuid")] public string? Uuid { get; init; }

    /// <summary>Read only: currently known report messages for this pool.</summary>
    [JsonPropertyName("reports")] public IReadOnlyList<ApiCallRcDto>? Reports { get; init; }

    [JsonPropertyName("supports_snapshots")] public bool? SupportsSnapshots { get; init; }
    [JsonPropertyName("shared_space")] public string? SharedSpace { get; init; }

    /// <summary>
    /// LINSTOR declares this a primitive boolean defaulting to false, so its responses always carry it:
    /// set it (false included) when producing a response.
    /// </summary>
    [JsonPropertyName("external_locking")] public bool? ExternalLocking { get; init; }
}
