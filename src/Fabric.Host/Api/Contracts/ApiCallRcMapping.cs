using System.Globalization;
using Fabric.Core.Api;

namespace Fabric.Host.Api.Contracts;

/// <summary>Maps the domain's <see cref="ApiCallRc"/> to the REST shape.</summary>
public static class ApiCallRcMapping
{
    /// <summary>ISO-8601 with milliseconds and offset, e.g. <c>2026-01-01T00:00:00.000+00:00</c>.</summary>
    public const string CreatedAtFormat = "yyyy-MM-dd'T'HH:mm:ss.fffzzz";

    public static string FormatCreatedAt(DateTimeOffset createdAt) =>
        createdAt.ToString(CreatedAtFormat, CultureInfo.InvariantCulture);

    public static ApiCallRcDto ToDto(this ApiCallRc rc, DateTimeOffset createdAt, IReadOnlyList<string>? errorReportIds = null)
    {
        ArgumentNullException.ThrowIfNull(rc);
        return new ApiCallRcDto
        {
            RetCode = rc.RetCode,
            Message = rc.Message,
            Cause = rc.Cause,
            Details = rc.Details,
            Correction = rc.Correction,
            ErrorReportIds = errorReportIds,
            ObjRefs = rc.ObjRefs,
            CreatedAt = FormatCreatedAt(createdAt),
        };
    }

    /// <summary>Maps a whole ApiCallRc list, stamping every entry with the same time.</summary>
    public static IReadOnlyList<ApiCallRcDto> ToDtos(this IEnumerable<ApiCallRc> rcs, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(rcs);
        return rcs.Select(rc => rc.ToDto(createdAt)).ToList();
    }
}
