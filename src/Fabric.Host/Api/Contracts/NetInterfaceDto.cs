using System.Text.Json.Serialization;

namespace Fabric.Host.Api.Contracts;

/// <summary>LINSTOR REST <c>NetInterface</c> (request of POST/PUT net-interfaces, part of <see cref="NodeDto"/>).</summary>
public sealed record NetInterfaceDto
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("address")] public string? Address { get; init; }
    [JsonPropertyName("satellite_port")] public int? SatellitePort { get; init; }

    /// <summary>PLAIN or SSL (case handled by the domain).</summary>
    [JsonPropertyName("satellite_encryption_type")] public string? SatelliteEncryptionType { get; init; }

    /// <summary>Whether this interface is used for the satellite connection.</summary>
    [JsonPropertyName("is_active")] public bool? IsActive { get; init; }

    [JsonPropertyName("uuid")] public string? Uuid { get; init; }
}
