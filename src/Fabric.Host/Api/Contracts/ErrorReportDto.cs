using System.Text.Json.Serialization;

namespace Fabric.Host.Api.Contracts;

/// <summary>LINSTOR REST <c>ErrorReport</c>.</summary>
public sealed record ErrorReportDto
{
    [JsonPropertyName("node_name")] public string? NodeName { get; init; }
    [JsonPropertyName("error_time")] public required long ErrorTime { get; init; }
    [JsonPropertyName("filename")] public string? Filename { get; init; }
    [JsonPropertyName("text")] public string? Text { get; init; }
    [JsonPropertyName("module")] public string? Module { get; init; }
    [JsonPropertyName("version")] public string? Version { get; init; }
    [JsonPropertyName("exception")] public string? Exception { get; init; }
    [JsonPropertyName("exception_message")] public string? ExceptionMessage { get; init; }
}
