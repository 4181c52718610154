using System.Text.Json.Serialization;

namespace Fabric.Host.Api.Contracts;

/// <summary>LINSTOR REST <c>ApiCallRc</c>: one entry of the list every mutation returns.</summary>
public sealed record ApiCallRcDto
{
    /// <summary>Masked return code (see <see cref="Fabric.Core.Api.ApiConsts"/>); always written, even when 0.</summary>
    [JsonPropertyName("ret_code")] public required long RetCode { get; init; }

    [JsonPropertyName("message")] public required string Message { get; init; }
    [JsonPropertyName("cause")] public string? Cause { get; init; }
    [JsonPropertyName("details")] public string? Details { get; init; }
    [JsonPropertyName("correction")] public string? Correction { get; init; }
    [JsonPropertyName("error_report_ids")] public IReadOnlyList<string>? ErrorReportIds { get; init; }
    [JsonPropertyName("obj_refs")] public IReadOnlyDictionary<string, string>? ObjRefs { get; init; }

    /// <summary>ISO-8601 with offset, e.g. <c>2026-01-01T00:00:00.000+00:00</c>.</summary>
    [JsonPropertyName("created_at")] public string? CreatedAt { get; init; }
}
