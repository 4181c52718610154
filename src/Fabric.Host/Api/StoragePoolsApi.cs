using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Api;
using Fabric.Core.Entities;
using Fabric.Core.Naming;
using Fabric.Core.Protocol;
using Fabric.Core.Views;
using Fabric.Host.Api.Contracts;

namespace Fabric.Host.Api;

/// <summary>/v1/nodes/{node}/storage-pools and /v1/view/storage-pools.</summary>
public static class StoragePoolsApi
{
    public static void MapStoragePools(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/view/storage-pools", (HttpRequest request, ApiContext api) =>
            api.TryGet(out var fabric, out var model) ? List(model, fabric.NodeStatus, request, nodeKey: null) : ApiResponses.Starting());

        app.MapGet("/v1/nodes/{node}/storage-pools", (string node, HttpRequest request, ApiContext api) =>
        {
            if (!api.TryGet(out var fabric, out var model))
            {
                return ApiResponses.Starting();
            }
            return model.Node(Names.Key(node)) is null ? ApiResponses.NotFound(NodeAggregate.NodeNotFound(node, 0)) : List(model, fabric.NodeStatus, request, Names.Key(node));
        });

        app.MapGet("/v1/nodes/{node}/storage-pools/{pool}", (string node, string pool, ApiContext api) =>
        {
            if (!api.TryGet(out var fabric, out var model))
            {
                return ApiResponses.Starting();
            }
            if (model.Node(Names.Key(node)) is not { } state)
            {
                return ApiResponses.NotFound(NodeAggregate.NodeNotFound(node, 0));
            }
            return state.StoragePools.TryGetValue(Names.Key(pool), out var found)
                ? ApiResponses.Json(found.ToDto(state, fabric.NodeStatus.LiveOf(state)))
                : ApiResponses.NotFound(NodeAggregate.StoragePoolNotFound(state.Name, pool, 0));
        });

        app.MapPost("/v1/nodes/{node}/storage-pools", (string node, HttpRequest request, ApiContext api) =>
            api.SendAsync<StoragePoolDto>(request, EntityKind.Node, isCreate: true, async (body, model, fabric) =>
            {
                var command = new CreateStoragePool(
                    body.StoragePoolName ?? string.Empty,
                    body.ProviderKind,
                    (body.Props ?? ImmutableSortedDictionary<string, string>.Empty).ToImmutableSortedDictionary(StringComparer.Ordinal),
                    body.SharedSpace,
                    body.ExternalLocking ?? false);
                if (!api.NodeStatus.IsOnline(node))
                {
                    return EntityCall.To(Names.Key(node), command, DtoMapping.NotConnected(node, ApiConsts.MaskStorPool, ApiConsts.MaskCrt));
                }
                var rejection = await StoragePoolChecks.AskAgentAsync(fabric, model, node, command, request.HttpContext.RequestAborted);
                return rejection is null ? EntityCall.To(Names.Key(node), command) : EntityCall.Reject(rejection);
            }));

        app.MapPut("/v1/nodes/{node}/storage-pools/{pool}", (string node, string pool, HttpRequest request, ApiContext api) =>
            api.SendAsync<StoragePoolDefinitionModifyDto>(request, EntityKind.Node, isCreate: false, (body, _) =>
                EntityCall.To(Names.Key(node), new ModifyStoragePool(pool, body.ToPropsChange()))));

        app.MapDelete("/v1/nodes/{node}/storage-pools/{pool}", (string node, string pool, HttpRequest request, ApiContext api) =>
            api.SendAsync(request, EntityKind.Node, isCreate: false, _ => EntityCall.To(Names.Key(node), new DeleteStoragePool(pool))));
    }

    private static IResult List(ReadModel model, NodeStatusBoard status, HttpRequest request, string? nodeKey)
    {
        var (filters, error) = QueryFilters.Parse(request);
        if (error is not null)
        {
            return error;
        }
        var pools =
            from node in model.ExistingNodes
            where (nodeKey is null || node.Key == nodeKey) && filters!.MatchesNode(node.Key)
            from pool in node.StoragePools
            where filters!.MatchesPool(pool.Key) && filters.MatchesProps(pool.Value.Props)
            select pool.Value.ToDto(node, status.LiveOf(node));
        return ApiResponses.Json(filters!.Page.Apply(pools).ToList());
    }
}
