using System.Collections.Immutable;
using Fabric.Core.Aggregates;
using Fabric.Core.Aggregates.StoragePoolDefinitions;
using Fabric.Core.Api;
using Fabric.Core.Entities;
using Fabric.Core.Naming;
using Fabric.Core.Views;
using Fabric.Host.Api.Contracts;

namespace Fabric.Host.Api;

/// <summary>
/// /v1/storage-pool-definitions. A definition is listed while it exists explicitly or while any
/// node has a pool of its name (LINSTOR creates definitions implicitly with pools).
/// </summary>
public static class StoragePoolDefinitionsApi
{
    public static void MapStoragePoolDefinitions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/storage-pool-definitions", (HttpRequest request, ApiContext api) =>
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
            var definitions = All(model).Values.Where(d => filters!.MatchesPool(d.Key) && filters.MatchesProps(d.Props)).Select(d => d.ToDto());
            return ApiResponses.Json(filters!.Page.Apply(definitions).ToList());
        });

        app.MapGet("/v1/storage-pool-definitions/{pool}", (string pool, ApiContext api) =>
        {
            if (!api.TryGet(out _, out var model))
            {
                return ApiResponses.Starting();
            }
            return All(model).TryGetValue(Names.Key(pool), out var found)
                ? ApiResponses.Json(found.ToDto())
                : ApiResponses.NotFound(StoragePoolDefinitionAggregate.NotFound(pool, 0));
        });

        app.MapPost("/v1/storage-pool-definitions", (HttpRequest request, ApiContext api) =>
            api.SendAsync<StoragePoolDefinitionDto>(request, EntityKind.StoragePoolDefinition, isCreate: true, (body, model) =>
            {
                var command = new CreateStoragePoolDefinition(body.StoragePoolName ?? string.Empty, (body.Props ?? ImmutableSortedDictionary<string, string>.Empty).ToImmutableSortedDictionary(StringComparer.Ordinal));
                var key = Names.Key(command.Name);
                if (Names.CheckStoragePoolName(command.Name) is not null)
                {
                    var decision = StoragePoolDefinitionAggregate.Instance.Decide(StoragePoolDefinitionAggregate.Instance.Initial(string.Empty), command, new DecideContext(0, Guid.Empty));
                    return EntityCall.Reject(((Decision<IStoragePoolDefinitionEvent>.Rejected)decision).Error);
                }
                if (ImplicitName(model, key) is { } existing && !model.PoolDefinitions.ContainsKey(key))
                {
                    return EntityCall.Reject(ApiCallRc.Error(ApiConsts.MaskStorPoolDfn, ApiConsts.MaskCrt, ApiConsts.FailExistsStorPoolDfn, $"A storage pool definition named '{command.Name}' already exists (as '{existing}').", "Nodes have storage pools of that name, which define it implicitly.", "Modify the existing definition instead."));
                }
                return EntityCall.To(key, command);
            }));

        app.MapPut("/v1/storage-pool-definitions/{pool}", (string pool, HttpRequest request, ApiContext api) =>
            api.SendAsync<StoragePoolDefinitionModifyDto>(request, EntityKind.StoragePoolDefinition, isCreate: false, (body, model) =>
                EntityCall.To(Names.Key(pool), new ModifyStoragePoolDefinition(body.ToPropsChange(), ImplicitName(model, Names.Key(pool))))));

        app.MapDelete("/v1/storage-pool-definitions/{pool}", (string pool, HttpRequest request, ApiContext api) =>
            api.SendAsync(request, EntityKind.StoragePoolDefinition, isCreate: false, model =>
            {
                var key = Names.Key(pool);
                var nodesWithPools = model.ExistingNodes.Where(n => n.StoragePools.ContainsKey(key)).Select(n => n.Name).ToImmutableList();
                return EntityCall.To(key, new DeleteStoragePoolDefinition(nodesWithPools));
            }));
    }

    /// <summary>Explicit definitions plus the implicit ones of pools that exist on nodes.</summary>
    private static SortedDictionary<string, StoragePoolDefinitionState> All(ReadModel model)
    {
        var all = new SortedDictionary<string, StoragePoolDefinitionState>(StringComparer.Ordinal);
        foreach (var node in model.ExistingNodes)
        {
            foreach (var (key, pool) in node.StoragePools)
            {
                all.TryAdd(key, new StoragePoolDefinitionState(key, true, pool.Name, Guid.Empty, Fabric.Core.Properties.Props.Empty));
            }
        }
        foreach (var (key, versioned) in model.PoolDefinitions)
        {
            if (versioned.State.Exists)
            {
                all[key] = versioned.State;
            }
        }
        return all;
    }

    private static string? ImplicitName(ReadModel model, string key) =>
        model.ExistingNodes.Select(n => n.StoragePools.GetValueOrDefault(key)).FirstOrDefault(p => p is not null)?.Name;
}
