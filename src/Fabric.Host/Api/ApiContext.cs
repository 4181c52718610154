using Fabric.Core.Api;
using Fabric.Core.Entities;
using Fabric.Core.Protocol;
using Fabric.Core.Runtime;
using Fabric.Core.Views;
using Fabric.Host.Hosting;

namespace Fabric.Host.Api;

/// <summary>What every endpoint needs: the running system and a current read model, or a 503 if not yet.</summary>
public sealed class ApiContext(FabricHostedService host)
{
    private static readonly NodeStatusBoard NoStatus = new();

    /// <summary>Node agent liveness on this controller (empty while the system is not running).</summary>
    public NodeStatusBoard NodeStatus => host.Fabric?.NodeStatus ?? NoStatus;

    public bool TryGet(out FabricSystem fabric, out ReadModel model)
    {
        var running = host.Fabric;
        if (running is null || !running.Views.CaughtUp)
        {
            fabric = null!;
            model = null!;
            return false;
        }
        fabric = running;
        model = running.Views.Current;
        return true;
    }

    /// <summary>
    /// The shape of every mutation: 503 while starting, 400/413 for an unreadable body, otherwise
    /// the command built from the body goes to its entity and the reply becomes an ApiCallRc list.
    /// </summary>
    public Task<IResult> SendAsync<TBody>(HttpRequest request, EntityKind kind, bool isCreate, Func<TBody, ReadModel, EntityCall> build)
        where TBody : class =>
        SendBodyAsync(request, kind, isCreate, ApiResponses.ReadBodyAsync<TBody>, build);

    /// <summary>As above, for a command whose building must ask something first (e.g. a node agent's check).</summary>
    public async Task<IResult> SendAsync<TBody>(HttpRequest request, EntityKind kind, bool isCreate, Func<TBody, ReadModel, FabricSystem, Task<EntityCall>> build)
        where TBody : class
    {
        if (!TryGet(out var fabric, out var model))
        {
            return ApiResponses.Starting();
        }
        var (body, error) = await ApiResponses.ReadBodyAsync<TBody>(request);
        if (error is not null)
        {
            return error;
        }
        return await CallAsync(fabric, request, kind, isCreate, await build(body!, model, fabric));
    }

    /// <summary>As above, for a body LINSTOR lets clients leave out (absent or blank means an empty object).</summary>
    public Task<IResult> SendWithOptionalBodyAsync<TBody>(HttpRequest request, EntityKind kind, bool isCreate, Func<TBody, ReadModel, EntityCall> build)
        where TBody : class, new() =>
        SendBodyAsync(request, kind, isCreate, ApiResponses.ReadOptionalBodyAsync<TBody>, build);

    private async Task<IResult> SendBodyAsync<TBody>(
        HttpRequest request, EntityKind kind, bool isCreate, Func<HttpRequest, Task<(TBody? Body, IResult? Error)>> read, Func<TBody, ReadModel, EntityCall> build)
        where TBody : class
    {
        if (!TryGet(out var fabric, out var model))
        {
            return ApiResponses.Starting();
        }
        var (body, error) = await read(request);
        if (error is not null)
        {
            return error;
        }
        return await CallAsync(fabric, request, kind, isCreate, build(body!, model));
    }

    /// <summary>A mutation without a body (deletes).</summary>
    public async Task<IResult> SendAsync(HttpRequest request, EntityKind kind, bool isCreate, Func<ReadModel, EntityCall> build) =>
        TryGet(out var fabric, out var model) ? await CallAsync(fabric, request, kind, isCreate, build(model)) : ApiResponses.Starting();

    private static async Task<IResult> CallAsync(FabricSystem fabric, HttpRequest request, EntityKind kind, bool isCreate, EntityCall call) =>
        call.Rejection is { } rejection
            ? ApiResponses.RcList([rejection], isCreate)
            : ApiResponses.From(await fabric.AskAsync(kind, call.Key, call.Command!, request.HttpContext.RequestAborted), isCreate, [.. call.OnSuccess]);
}

/// <summary>
/// Which entity gets which command, plus entries to add on success; or a rejection decided
/// before any entity is addressed (an invalid name cannot be an entity key).
/// </summary>
public sealed record EntityCall(string Key, object? Command, ApiCallRc? Rejection, IReadOnlyList<ApiCallRc> OnSuccess)
{
    public static EntityCall To(string key, object command, params ApiCallRc[] onSuccess) => new(key, command, null, onSuccess);

    public static EntityCall Reject(ApiCallRc rejection) => new(string.Empty, null, rejection, []);
}
