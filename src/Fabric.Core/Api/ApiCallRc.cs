using System.Collections.Immutable;

namespace Fabric.Core.Api;

/// <summary>One entry of LINSTOR's ApiCallRc list: what happened, why, and what to do about it.</summary>
public sealed record ApiCallRc(
    long RetCode,
    string Message,
    string? Cause = null,
    string? Details = null,
    string? Correction = null,
    ImmutableSortedDictionary<string, string>? ObjRefs = null)
{
    public bool IsError => ApiConsts.IsError(RetCode);

    public static ApiCallRc Error(long objectMask, long opMask, long code, string message, string? cause = null, string? correction = null, string? details = null) =>
        new(ApiConsts.MaskError | objectMask | opMask | code, message, cause, details, correction);

    public static ApiCallRc Warning(long objectMask, long opMask, long code, string message, string? cause = null, string? correction = null) =>
        new(ApiConsts.MaskWarn | objectMask | opMask | code, message, cause, null, correction);

    public static ApiCallRc Info(long objectMask, long opMask, long code, string message, string? details = null) =>
        new(ApiConsts.MaskInfo | objectMask | opMask | code, message, null, details, null);

    public static ApiCallRc Success(long objectMask, long opMask, long code, string message, string? details = null) =>
        new(objectMask | opMask | code, message, null, details, null);

    public ApiCallRc WithRef(string kind, string name) =>
        this with { ObjRefs = (ObjRefs ?? ImmutableSortedDictionary<string, string>.Empty).SetItem(kind, name) };
}
