using Fabric.Core.Aggregates.Controller;
using Fabric.Core.Entities;
using Fabric.Core.Properties;
using Fabric.Host.Api.Contracts;

namespace Fabric.Host.Api;

/// <summary>/v1/controller: version and cluster-wide properties.</summary>
public static class ControllerApi
{
    /// <summary>The LINSTOR REST API version Fabric implements; clients gate features on it.</summary>
    public const string RestApiVersion = "1.28.0";

    /// <summary>The LINSTOR release whose behaviour Fabric matches (clients compare controller versions).</summary>
    public const string CompatibleLinstorVersion = "1.33.1";

    public static void MapController(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/controller/version", () => ApiResponses.Json(new ControllerVersionDto
        {
            Version = CompatibleLinstorVersion,
            GitHash = "fabric-" + (typeof(ControllerApi).Assembly.GetName().Version?.ToString() ?? "0"),
            BuildTime = File.GetLastWriteTimeUtc(typeof(ControllerApi).Assembly.Location).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            RestApiVersion = RestApiVersion,
        }));

        app.MapGet("/v1/controller/properties", (ApiContext api) =>
            api.TryGet(out _, out var model) ? ApiResponses.Json(model.Controller.State.Props) : ApiResponses.Starting());

        app.MapPost("/v1/controller/properties", async (HttpRequest request, ApiContext api) =>
        {
            if (!api.TryGet(out var fabric, out _))
            {
                return ApiResponses.Starting();
            }
            var (body, error) = await ApiResponses.ReadBodyAsync<ControllerPropsModifyDto>(request);
            if (error is not null)
            {
                return error;
            }
            var reply = await fabric.AskAsync(EntityKind.Controller, ControllerAggregate.EntityKey, new ModifyControllerProps(body!.ToPropsChange()), request.HttpContext.RequestAborted);
            return ApiResponses.From(reply, isCreate: true);
        });

        app.MapDelete("/v1/controller/properties/{**key}", async (string key, HttpRequest request, ApiContext api) =>
        {
            if (!api.TryGet(out var fabric, out _))
            {
                return ApiResponses.Starting();
            }
            var reply = await fabric.AskAsync(EntityKind.Controller, ControllerAggregate.EntityKey, new ModifyControllerProps(PropsChange.Of(null, [key])), request.HttpContext.RequestAborted);
            return ApiResponses.From(reply, isCreate: false);
        });
    }
}
