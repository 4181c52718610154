using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Api;
using Fabric.Core.Entities;
using Fabric.Core.Naming;
using Fabric.Core.Properties;
using Fabric.Core.Protocol;
using Fabric.Core.Views;
using Fabric.Host.Api.Contracts;
using static Fabric.Host.Api.ResourceDefinitionsApi;

namespace Fabric.Host.Api;

/// <summary>
/// LINSTOR's toggle-disk: PUT /v1/resource-definitions/{rd}/resources/{node}/toggle-disk (ToggleDiskRequest)
/// and the deprecated …/toggle-disk/diskless[/{disklesspool}] and …/toggle-disk/diskful[/{storagepool}].
/// The target pool is resolved here from the read model; the resource entity decides.
/// </summary>
public static class ToggleDiskApi
{
    public const string IntoDiskful = "INTO_DRBD_DISKFUL";
    public const string IntoDiskless = "INTO_DRBD_DISKLESS";
    public const string IntoClient = "INTO_DRBD_CLIENT";

    public static void MapToggleDisk(this IEndpointRouteBuilder app)
    {
        const string Base = "/v1/resource-definitions/{rd}/resources/{node}/toggle-disk";

        app.MapPut(Base, (string rd, string node, HttpRequest request, ApiContext api) =>
            api.SendAsync<ToggleDiskRequestDto>(request, EntityKind.Resource, isCreate: false, (body, model) =>
            {
                var operation = body.Operation?.Trim().ToUpperInvariant();
                if (operation is not (IntoDiskful or IntoDiskless or IntoClient))
                {
                    return EntityCall.Reject(ApiCallRc.Error(
                        ApiConsts.MaskRsc, ApiConsts.MaskMod, ApiConsts.FailInvldRequest,
                        body.Operation is null ? "The toggle-disk request names no operation." : $"'{body.Operation}' is not a toggle-disk operation.",
                        "ToggleDiskRequest.operation says what the replica becomes.",
                        $"Set operation to {IntoDiskful}, {IntoDiskless} or {IntoClient}."));
                }
                if (!string.IsNullOrEmpty(body.MigrateFrom))
                {
                    return EntityCall.Reject(ApiCallRc.Error(
                        ApiConsts.MaskRsc, ApiConsts.MaskMod, ApiConsts.FailInvldRequest,
                        $"Toggle-disk with migrate_from ('{body.MigrateFrom}') is not supported.",
                        "Fabric does not delete a source replica after the resync (LINSTOR's migrate-disk).",
                        "Toggle the replica into diskful, wait until it is UpToDate, then delete the source replica."));
                }
                return Toggle(rd, node, operation == IntoDiskful, body.StoragePool, body.LayerList, model, api.NodeStatus);
            }));

        app.MapPut(Base + "/diskless", (string rd, string node, HttpRequest request, ApiContext api) =>
            api.SendAsync(request, EntityKind.Resource, isCreate: false, model => Toggle(rd, node, diskful: false, null, null, model, api.NodeStatus)));

        app.MapPut(Base + "/diskless/{pool}", (string rd, string node, string pool, HttpRequest request, ApiContext api) =>
            api.SendAsync(request, EntityKind.Resource, isCreate: false, model => Toggle(rd, node, diskful: false, pool, null, model, api.NodeStatus)));

        app.MapPut(Base + "/diskful", (string rd, string node, HttpRequest request, ApiContext api) =>
            api.SendWithOptionalBodyAsync<ToggleDiskDiskfulDto>(request, EntityKind.Resource, isCreate: false, (body, model) => Toggle(rd, node, diskful: true, null, body.LayerList, model, api.NodeStatus)));

        app.MapPut(Base + "/diskful/{pool}", (string rd, string node, string pool, HttpRequest request, ApiContext api) =>
            api.SendWithOptionalBodyAsync<ToggleDiskDiskfulDto>(request, EntityKind.Resource, isCreate: false, (body, model) => Toggle(rd, node, diskful: true, pool, body.LayerList, model, api.NodeStatus)));
    }

    /// <summary>
    /// The command for one toggle: definition and node must exist; a layer list, if given, must be the
    /// definition's own stack (Fabric has no per-replica stacks); the pool is resolved as LINSTOR does.
    /// INTO_DRBD_CLIENT is INTO_DRBD_DISKLESS here: Fabric's DRBD layer has no non-voting diskless replica.
    /// </summary>
    private static EntityCall Toggle(string rd, string nodeName, bool diskful, string? requestedPool, IReadOnlyList<string>? layerList, ReadModel model, NodeStatusBoard board)
    {
        if (Find(model, rd) is not { } state)
        {
            return EntityCall.Reject(ResourceAggregate.NotFound(rd, ApiConsts.MaskMod));
        }
        if (Names.CheckNodeName(nodeName) is not null || model.Node(Names.Key(nodeName)) is not { } node)
        {
            return EntityCall.Reject(NodeAggregate.NodeNotFound(nodeName, ApiConsts.MaskMod));
        }
        if (layerList is { Count: > 0 })
        {
            var (stack, error) = Layers.Normalize(layerList);
            if (error is not null || !stack!.SequenceEqual(state.LayerStack))
            {
                return EntityCall.Reject(ApiCallRc.Error(
                    ApiConsts.MaskRsc, ApiConsts.MaskMod, ApiConsts.FailInvldLayerStack,
                    $"Cannot toggle resource '{state.Name}' on node '{node.Name}' with layer list {string.Join(",", layerList)}.",
                    error ?? $"A replica has the layer stack of its definition ({string.Join(",", state.LayerStack)}); Fabric keeps no per-replica stack.",
                    "Leave layer_list out, or give the definition's stack."));
            }
        }
        var replica = state.Replicas.GetValueOrDefault(node.Key);
        var pool = diskful ? DiskfulPool(model, state, node, replica, requestedPool) : requestedPool ?? ResourcePolicies.DisklessPool(node)?.Name ?? NodeAggregate.DefaultDisklessPool;
        var kind = node.StoragePools.TryGetValue(Names.Key(pool), out var found) ? found.Kind : (ProviderKind?)null;
        var online = model.ExistingNodes.Where(n => board.IsOnline(n.Name)).Select(n => n.Key).ToImmutableList();
        var command = new ToggleDisk(node.Name, diskful, found?.Name ?? pool, kind, online, Policy(model, board, state));
        return EntityCall.To(state.Key, command, board.IsOnline(node.Name) ? [] : [DtoMapping.NotConnected(node.Name, ApiConsts.MaskRsc, ApiConsts.MaskMod)]);
    }

    /// <summary>
    /// The pool a replica gets its disk in: the one asked for; else StorPoolName from the definition,
    /// its group, the node or the controller (not the replica's own, which names the diskless pool it
    /// leaves — LINSTOR drops it too); else a pool of a diskful peer that this node has with storage;
    /// else DfltStorPool.
    /// </summary>
    private static string DiskfulPool(ReadModel model, ResourceDefinitionState state, NodeState node, Replica? replica, string? requested)
    {
        if (!string.IsNullOrEmpty(requested))
        {
            return requested;
        }
        var group = model.ResourceGroup(Names.Key(state.ResourceGroup));
        if (EffectiveProps.Lookup(ResourcesApi.StorPoolNameProp, state.Props, group?.Props, node.Props, model.Controller.State.Props) is { } named)
        {
            return named;
        }
        var neighbour = state.Replicas.Values
            .Where(r => r != replica && !r.IsDiskless)
            .OrderBy(r => Names.Key(r.NodeName), StringComparer.Ordinal)
            .Select(r => node.StoragePools.GetValueOrDefault(Names.Key(r.StoragePool)))
            .FirstOrDefault(p => p is not null && p.Kind != ProviderKind.Diskless);
        return neighbour?.Name ?? ResourcesApi.DefaultStoragePool;
    }
}
