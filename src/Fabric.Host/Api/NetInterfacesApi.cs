using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Api;
using Fabric.Core.Entities;
using Fabric.Core.Naming;
using Fabric.Host.Api.Contracts;

namespace Fabric.Host.Api;

/// <summary>/v1/nodes/{node}/net-interfaces.</summary>
public static class NetInterfacesApi
{
    public static void MapNetInterfaces(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/nodes/{node}/net-interfaces", (string node, HttpRequest request, ApiContext api) =>
        {
            if (!api.TryGet(out _, out var model))
            {
                return ApiResponses.Starting();
            }
            var (filters, error) = QueryFilters.Parse(request);
            if (error is not null)
            {
                return error;
            }
            return model.Node(Names.Key(node)) is { } state
                ? ApiResponses.Json(filters!.Page.Apply(state.NetInterfaces.Values.Select(n => n.ToDto())).ToList())
                : ApiResponses.NotFound(NodeAggregate.NodeNotFound(node, 0));
        });

        app.MapGet("/v1/nodes/{node}/net-interfaces/{netif}", (string node, string netif, ApiContext api) =>
        {
            if (!api.TryGet(out _, out var model))
            {
                return ApiResponses.Starting();
            }
            if (model.Node(Names.Key(node)) is not { } state)
            {
                return ApiResponses.NotFound(NodeAggregate.NodeNotFound(node, 0));
            }
            return state.NetInterfaces.TryGetValue(Names.Key(netif), out var found)
                ? ApiResponses.Json(found.ToDto())
                : ApiResponses.NotFound(NodeAggregate.NetInterfaceNotFound(state.Name, netif, 0));
        });

        app.MapPost("/v1/nodes/{node}/net-interfaces", (string node, HttpRequest request, ApiContext api) =>
            api.SendAsync<NetInterfaceDto>(request, EntityKind.Node, isCreate: true, (body, _) =>
                EntityCall.To(Names.Key(node), new CreateNetInterface(Spec(body, body.Name)))));

        app.MapPut("/v1/nodes/{node}/net-interfaces/{netif}", (string node, string netif, HttpRequest request, ApiContext api) =>
            api.SendAsync<NetInterfaceDto>(request, EntityKind.Node, isCreate: false, (body, _) =>
                EntityCall.To(Names.Key(node), new ModifyNetInterface(netif, Spec(body, netif)))));

        app.MapDelete("/v1/nodes/{node}/net-interfaces/{netif}", (string node, string netif, HttpRequest request, ApiContext api) =>
            api.SendAsync(request, EntityKind.Node, isCreate: false, _ => EntityCall.To(Names.Key(node), new DeleteNetInterface(netif))));
    }

    private static NetInterfaceSpec Spec(NetInterfaceDto dto, string? name) =>
        new(name, dto.Address, dto.SatellitePort, dto.SatelliteEncryptionType, dto.IsActive);
}
