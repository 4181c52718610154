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

        app.MapPost("/v1/controller/properties", (HttpRequest request, ApiContext api) =>
            api.SendAsync<ControllerPropsModifyDto>(request, EntityKind.Controller, isCreate: true, (body, _) =>
                EntityCall.To(ControllerAggregate.EntityKey, new ModifyControllerProps(body.ToPropsChange()))));

        app.MapDelete("/v1/controller/properties/{**key}", (string key, HttpRequest request, ApiContext api) =>
            api.SendAsync(request, EntityKind.Controller, isCreate: false, _ =>
                EntityCall.To(ControllerAggregate.EntityKey, new ModifyControllerProps(PropsChange.Of(null, [key])))));
    }
}
