using System.Text.Json.Serialization;

namespace Fabric.Host.Api.Contracts;

/// <summary>LINSTOR REST <c>ToggleDiskRequest</c>: body of PUT …/resources/{node}/toggle-disk.</summary>
public sealed record ToggleDiskRequestDto
{
    /// <summary>INTO_DRBD_DISKFUL, INTO_DRBD_DISKLESS (diskless, with quorum vote) or INTO_DRBD_CLIENT (diskless, without).</summary>
    [JsonPropertyName("operation")] public string? Operation { get; init; }

    [JsonPropertyName("storage_pool")] public string? StoragePool { get; init; }

    /// <summary>LINSTOR's migrate-disk through toggle-disk; Fabric refuses it (not built).</summary>
    [JsonPropertyName("migrate_from")] public string? MigrateFrom { get; init; }

    [JsonPropertyName("layer_list")] public IReadOnlyList<string>? LayerList { get; init; }
}

/// <summary>LINSTOR REST <c>ToggleDiskDiskful</c> (deprecated): optional body of PUT …/toggle-disk/diskful[/{storagepool}].</summary>
public sealed record ToggleDiskDiskfulDto
{
    [JsonPropertyName("layer_list")] public IReadOnlyList<string>? LayerList { get; init; }
}
