using System.Text.Json.Serialization;

namespace Fabric.Host.Api.Contracts;

/// <summary>LINSTOR REST <c>ControllerVersion</c>: response of GET /v1/controller/version.</summary>
public sealed record ControllerVersionDto
{
    [JsonPropertyName("version")] public string? Version { get; init; }
    [JsonPropertyName("git_hash")] public string? GitHash { get; init; }
    [JsonPropertyName("build_time")] public string? BuildTime { get; init; }
    [JsonPropertyName("rest_api_version")] public string? RestApiVersion { get; init; }
}
