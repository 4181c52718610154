using Fabric.Core.Protocol;
using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Api;
using Fabric.Core.Entities;
using Fabric.Core.Naming;
using Fabric.Core.Properties;
using Fabric.Core.Views;
using Fabric.Host.Api.Contracts;
using static Fabric.Host.Api.ResourceDefinitionsApi;

namespace Fabric.Host.Api;

/// <summary>/v1/resource-definitions/{rd}/resources (replicas), their volumes, and /v1/view/resources.</summary>
public static class ResourcesApi
{
    /// <summary>LINSTOR's key for a replica's storage pool, looked up resource → definition → group → node → controller.</summary>
    public const string StorPoolNameProp = ResourceAggregate.StorPoolNameProp;

    /// <summary>LINSTOR's pool when nothing names one.</summary>
    public const string DefaultStoragePool = "DfltStorPool";

    public static void MapResources(this IEndpointRouteBuilder app)
    {
        const string Base = "/v1/resource-definitions/{rd}/resources";

        app.MapGet("/v1/view/resources", (HttpRequest request, ApiContext api) =>
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
            var list =
                from rd in model.ExistingResources
                where filters!.MatchesResource(rd.Key)
                from replica in rd.Replicas
                where filters!.MatchesNode(replica.Key) && filters.MatchesPool(Names.Key(replica.Value.StoragePool)) && filters.MatchesProps(replica.Value.Props)
                select replica.Value.ToDto(rd, model, withVolumes: true, api.NodeStatus.ObservedOf(replica.Key, rd.Key));
            return ApiResponses.Json(filters!.Page.Apply(list).ToList());
        });

        app.MapGet(Base, (string rd, HttpRequest request, ApiContext api) =>
        {
            if (!api.TryGet(out _, out var model))
            {
                return ApiResponses.Starting();
            }
            if (Find(model, rd) is not { } state)
            {
                return ApiResponses.NotFound(ResourceAggregate.NotFound(rd, 0));
            }
            var (filters, error) = QueryFilters.Parse(request);
            if (error is not null)
            {
                return error;
            }
            var list = state.Replicas.Where(r => filters!.MatchesNode(r.Key)).Select(r => r.Value.ToDto(state, model, withVolumes: false, api.NodeStatus.ObservedOf(r.Key, state.Key)));
            return ApiResponses.Json(filters!.Page.Apply(list).ToList());
        });

        app.MapGet(Base + "/{node}", (string rd, string node, ApiContext api) =>
        {
            if (!api.TryGet(out _, out var model))
            {
                return ApiResponses.Starting();
            }
            if (Find(model, rd) is not { } state)
            {
                return ApiResponses.NotFound(ResourceAggregate.NotFound(rd, 0));
            }
            return state.Replicas.TryGetValue(Names.Key(node), out var replica)
                ? ApiResponses.Json(replica.ToDto(state, model, withVolumes: false, api.NodeStatus.ObservedOf(node, state.Key)))
                : ApiResponses.NotFound(ResourceAggregate.ReplicaNotFound(state.Name, node, 0));
        });

        app.MapPost(Base, (string rd, HttpRequest request, ApiContext api) =>
            api.SendAsync<List<ResourceCreateDto>>(request, EntityKind.Resource, isCreate: true, (body, model) => Create(rd, body, nodeFromPath: null, model, api.NodeStatus)));

        app.MapPost(Base + "/{node}", (string rd, string node, HttpRequest request, ApiContext api) =>
            api.SendAsync<ResourceCreateDto>(request, EntityKind.Resource, isCreate: true, (body, model) => Create(rd, [body], node, model, api.NodeStatus)));

        app.MapPut(Base + "/{node}", (string rd, string node, HttpRequest request, ApiContext api) =>
            api.SendAsync<ResourceModifyDto>(request, EntityKind.Resource, isCreate: false, (body, _) =>
                Names.CheckResourceName(rd) is null
                    ? EntityCall.To(Names.Key(rd), new ModifyReplica(node, body.ToPropsChange()))
                    : EntityCall.Reject(ResourceAggregate.NotFound(rd, ApiConsts.MaskMod))));

        app.MapDelete(Base + "/{node}", async (string rd, string node, HttpRequest request, ApiContext api) =>
        {
            if (!TryFlag(request, "keep_tiebreaker", out var keep, out var flagError))
            {
                return flagError;
            }
            return await api.SendAsync(request, EntityKind.Resource, isCreate: false, model =>
                Find(model, rd) is { } state
                    ? EntityCall.To(state.Key, new DeleteReplica(node, keep, Policy(model, api.NodeStatus, state)))
                    : EntityCall.Reject(ResourceAggregate.NotFound(rd, ApiConsts.MaskDel)));
        });

        app.MapPost(Base + "/{node}/make-available", (string rd, string node, HttpRequest request, ApiContext api) =>
            api.SendAsync<ResourceMakeAvailableDto>(request, EntityKind.Resource, isCreate: false, (body, model) => MakeAvailable(rd, node, body, model, api.NodeStatus)));

        app.MapGet(Base + "/{node}/volumes", (string rd, string node, HttpRequest request, ApiContext api) =>
        {
            if (!api.TryGet(out _, out var model))
            {
                return ApiResponses.Starting();
            }
            if (FindReplica(model, rd, node, out var state, out var replica) is { } notFound)
            {
                return notFound;
            }
            var (filters, error) = QueryFilters.Parse(request);
            if (error is not null)
            {
                return error;
            }
            var nodeState = model.Node(Names.Key(node));
            return ApiResponses.Json(filters!.Page.Apply(state.VolumeDefinitions.Values.Select(vd => replica.ToVolumeDto(vd, state, nodeState, api.NodeStatus.ObservedOf(node, state.Key)))).ToList());
        });

        app.MapGet(Base + "/{node}/volumes/{vlmnr}", (string rd, string node, string vlmnr, ApiContext api) =>
        {
            if (!api.TryGet(out _, out var model))
            {
                return ApiResponses.Starting();
            }
            if (FindReplica(model, rd, node, out var state, out var replica) is { } notFound)
            {
                return notFound;
            }
            return TryVolumeNumber(vlmnr, out var number) && state.VolumeDefinitions.TryGetValue(number, out var vd)
                ? ApiResponses.Json(replica.ToVolumeDto(vd, state, model.Node(Names.Key(node)), api.NodeStatus.ObservedOf(node, state.Key)))
                : ApiResponses.NotFound(VolumeNotFound(state.Name, replica.NodeName, vlmnr, 0));
        });

        app.MapPut(Base + "/{node}/volumes/{vlmnr}", (string rd, string node, string vlmnr, HttpRequest request, ApiContext api) =>
            api.SendAsync<VolumeModifyDto>(request, EntityKind.Resource, isCreate: false, (body, _) =>
            {
                if (Names.CheckResourceName(rd) is not null)
                {
                    return EntityCall.Reject(ResourceAggregate.NotFound(rd, ApiConsts.MaskMod));
                }
                return TryVolumeNumber(vlmnr, out var number)
                    ? EntityCall.To(Names.Key(rd), new ModifyReplicaVolume(node, number, body.ToPropsChange()))
                    : EntityCall.Reject(VolumeNotFound(rd, node, vlmnr, ApiConsts.MaskMod));
            }));

        app.MapToggleDisk();
    }

    private static IResult? FindReplica(ReadModel model, string rd, string node, out ResourceDefinitionState state, out Replica replica)
    {
        state = null!;
        replica = null!;
        if (Find(model, rd) is not { } found)
        {
            return ApiResponses.NotFound(ResourceAggregate.NotFound(rd, 0));
        }
        state = found;
        if (!found.Replicas.TryGetValue(Names.Key(node), out var r))
        {
            return ApiResponses.NotFound(ResourceAggregate.ReplicaNotFound(found.Name, node, 0));
        }
        replica = r;
        return null;
    }

    private static ApiCallRc VolumeNotFound(string rd, string node, string vlmnr, long op) => ApiCallRc.Error(
        ApiConsts.MaskVlm, op, ApiConsts.FailNotFoundVlm,
        $"Volume {vlmnr} of resource '{rd}' on node '{node}' not found.",
        "The resource definition has no volume with that number.",
        $"Check with GET /v1/resource-definitions/{rd}/resources/{node}/volumes.");

    private static EntityCall Create(string rd, IReadOnlyList<ResourceCreateDto?> body, string? nodeFromPath, ReadModel model, NodeStatusBoard board)
    {
        if (Find(model, rd) is not { } state)
        {
            return EntityCall.Reject(ResourceAggregate.NotFound(rd, ApiConsts.MaskCrt));
        }
        var specs = ImmutableList.CreateBuilder<ReplicaSpec>();
        var warnings = new List<ApiCallRc>();
        foreach (var create in body)
        {
            var resource = create?.Resource ?? new ResourceDto();
            var nodeName = nodeFromPath ?? resource.NodeName ?? string.Empty;
            var flags = resource.Flags ?? [];
            var diskless = create?.DrbdClient == true || flags.Any(f => f.Equals("DISKLESS", StringComparison.OrdinalIgnoreCase) || f.Equals("DRBD_DISKLESS", StringComparison.OrdinalIgnoreCase));
            var (spec, error) = Replica(model, state, nodeName, resource.Props, diskless, create?.DrbdNodeId, create?.DrbdTcpPorts is [var port, ..] ? port : null);
            if (error is not null)
            {
                return EntityCall.Reject(error);
            }
            specs.Add(spec!);
            if (!board.IsOnline(spec!.NodeName))
            {
                warnings.Add(DtoMapping.NotConnected(spec.NodeName, ApiConsts.MaskRsc, ApiConsts.MaskCrt));
            }
        }
        return EntityCall.To(state.Key, new AddReplicas(specs.ToImmutable(), Policy(model, board, state)), [.. warnings]);
    }

    private static EntityCall MakeAvailable(string rd, string node, ResourceMakeAvailableDto body, ReadModel model, NodeStatusBoard board)
    {
        if (Find(model, rd) is not { } state)
        {
            return EntityCall.Reject(ResourceAggregate.NotFound(rd, ApiConsts.MaskCrt));
        }
        if (state.Replicas.TryGetValue(Names.Key(node), out var existing) && !existing.IsTieBreaker)
        {
            // Already there: the entity answers with LINSTOR's "already available" info.
            return EntityCall.To(state.Key, new AddReplicas([new ReplicaSpec(existing.NodeName, existing.StoragePool, existing.IsDiskless, Props.Empty)], Policy(model, board, state), ExistingIsOk: true));
        }
        // Like LINSTOR: a diskless client when the data already lives elsewhere, unless diskful is asked for.
        var diskless = body.Diskful != true && state.Replicas.Values.Any(r => !r.IsDiskless);
        var (spec, error) = Replica(model, state, node, null, diskless, null, body.DrbdTcpPorts is [var port, ..] ? port : null);
        return error is not null
            ? EntityCall.Reject(error)
            : EntityCall.To(state.Key, new AddReplicas([spec!], Policy(model, board, state), ExistingIsOk: true), board.IsOnline(spec!.NodeName) ? [] : [DtoMapping.NotConnected(spec.NodeName, ApiConsts.MaskRsc, ApiConsts.MaskCrt)]);
    }

    /// <summary>
    /// The replica to create on a node: the node must exist; a diskful replica goes to the pool named
    /// by StorPoolName (resource, definition, group, node, controller; else DfltStorPool), which must
    /// exist there; a diskless one to the node's DISKLESS pool.
    /// </summary>
    private static (ReplicaSpec? Spec, ApiCallRc? Error) Replica(ReadModel model, ResourceDefinitionState rd, string nodeName, IReadOnlyDictionary<string, string>? props, bool diskless, int? nodeId, int? port)
    {
        if (Names.CheckNodeName(nodeName) is { } nameError)
        {
            return (null, ApiCallRc.Error(ApiConsts.MaskRsc, ApiConsts.MaskCrt, ApiConsts.FailInvldNodeName, $"Invalid node name '{nodeName}'.", nameError, "Give the name of an existing node."));
        }
        if (model.Node(Names.Key(nodeName)) is not { } node)
        {
            return (null, NodeAggregate.NodeNotFound(nodeName, ApiConsts.MaskCrt));
        }
        StoragePool? pool;
        var requested = props?.GetValueOrDefault(StorPoolNameProp);
        if (diskless)
        {
            pool = requested is null ? ResourcePolicies.DisklessPool(node) : node.StoragePools.GetValueOrDefault(Names.Key(requested));
            if (pool is null)
            {
                return (null, NodeAggregate.StoragePoolNotFound(node.Name, requested ?? NodeAggregate.DefaultDisklessPool, ApiConsts.MaskCrt));
            }
        }
        else
        {
            var group = model.ResourceGroup(Names.Key(rd.ResourceGroup));
            var name = EffectiveProps.Lookup(StorPoolNameProp, props, rd.Props, group?.Props, node.Props, model.Controller.State.Props) ?? DefaultStoragePool;
            pool = node.StoragePools.GetValueOrDefault(Names.Key(name));
            if (pool is null)
            {
                return (null, NodeAggregate.StoragePoolNotFound(node.Name, name, ApiConsts.MaskCrt));
            }
            diskless = pool.Kind == ProviderKind.Diskless;
        }
        var replicaProps = (props ?? Props.Empty).ToImmutableSortedDictionary(StringComparer.Ordinal);
        return (new ReplicaSpec(node.Name, pool.Name, diskless, replicaProps, nodeId, port), null);
    }
}
