using System.Text.Json;
using Fabric.Core.Api;
using Fabric.Core.Entities;
using Fabric.Host.Api.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fabric.Host.Api;

/// <summary>Writes LINSTOR-style responses: ApiCallRc lists with LINSTOR's status mapping, and plain JSON bodies.</summary>
public static class ApiResponses
{
    public static IResult Json<T>(T body, int status = StatusCodes.Status200OK) =>
        Results.Text(LinstorJson.Serialize(body), "application/json", System.Text.Encoding.UTF8, status);

    public static IResult RcList(IEnumerable<ApiCallRc> entries, bool isCreate)
    {
        var list = entries.ToList();
        return Json(list.ToDtos(DateTimeOffset.UtcNow), ApiCallRcHttp.StatusFor(list, isCreate));
    }

    public static IResult From(CommandReply reply, bool isCreate, params ApiCallRc[] extra) =>
        RcList(reply.Accepted ? reply.Messages.Concat(extra) : reply.Messages, isCreate);

    public static IResult Error(ApiCallRc entry, int status) => Json(new[] { entry }.ToDtos(DateTimeOffset.UtcNow), status);

    public static IResult NotFound(ApiCallRc entry) => Error(entry, StatusCodes.Status404NotFound);

    public static IResult Starting() => Error(
        ApiCallRc.Error(0, 0, ApiConsts.FailUnknownError, "The controller is starting.", "Its read model is still being rebuilt from the journal.", "Retry in a moment; GET /ready on the management port tells when it is ready."),
        StatusCodes.Status503ServiceUnavailable);

    /// <summary>Reads and parses a JSON body; on failure the result is LINSTOR's 400 (or 413) answer.</summary>
    public static Task<(T? Body, IResult? Error)> ReadBodyAsync<T>(HttpRequest request)
        where T : class =>
        GuardedAsync(request, () => LinstorJson.ReadRequestAsync<T>(request.Body, request.HttpContext.RequestAborted));

    /// <summary>As <see cref="ReadBodyAsync{T}"/>, but an absent or blank body is an empty object (LINSTOR's optional bodies).</summary>
    public static Task<(T? Body, IResult? Error)> ReadOptionalBodyAsync<T>(HttpRequest request)
        where T : class, new() =>
        GuardedAsync(request, async () =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            if (buffer.ToArray().All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return new T();
            }
            buffer.Position = 0;
            return await LinstorJson.ReadRequestAsync<T>(buffer, request.HttpContext.RequestAborted);
        });

    /// <summary>Runs a body reader; an unparsable body is LINSTOR's 400, one over the limit its 413.</summary>
    private static async Task<(T? Body, IResult? Error)> GuardedAsync<T>(HttpRequest request, Func<ValueTask<T>> read)
        where T : class
    {
        try
        {
            return (await read(), null);
        }
        catch (JsonException ex)
        {
            return (null, Error(ApiCallRcHttp.ParseError(ex), StatusCodes.Status400BadRequest));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Error(ApiCallRcHttp.PayloadTooLarge(ApiLimits.MaxBodyBytes, request.ContentLength), StatusCodes.Status413PayloadTooLarge));
        }
    }
}

public static class ApiLimits
{
    /// <summary>Largest accepted request body: far above any LINSTOR request, far below a memory risk.</summary>
    public const long MaxBodyBytes = 1024 * 1024;
}
