using System.Collections.Immutable;
using Fabric.Core.Aggregates;
using Fabric.Core.Aggregates.ResourceGroups;
using Fabric.Core.Api;
using Fabric.Core.Entities;
using Fabric.Core.Naming;
using Fabric.Host.Api.Contracts;

namespace Fabric.Host.Api;

/// <summary>/v1/resource-groups and their volume groups (CRUD). Spawn, adjust and size queries are in <see cref="PlacementApi"/>.</summary>
public static class ResourceGroupsApi
{
    public static void MapResourceGroups(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/resource-groups", (HttpRequest request, ApiContext api) =>
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
            var names = request.Query["resource_groups"]
                .SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(Names.Key)
                .ToHashSet(StringComparer.Ordinal);
            var groups = model.ExistingResourceGroups
                .Where(g => (names.Count == 0 || names.Contains(g.Key)) && filters!.MatchesProps(g.Props))
                .Select(g => g.ToDto());
            return ApiResponses.Json(filters!.Page.Apply(groups).ToList());
        });

        app.MapGet("/v1/resource-groups/{rg}", (string rg, ApiContext api) =>
        {
            if (!api.TryGet(out _, out var model))
            {
                return ApiResponses.Starting();
            }
            return model.ResourceGroup(Names.Key(rg)) is { } group
                ? ApiResponses.Json(group.ToDto())
                : ApiResponses.NotFound(ResourceGroupAggregate.NotFound(rg, 0));
        });

        app.MapPost("/v1/resource-groups", (HttpRequest request, ApiContext api) =>
            api.SendAsync<ResourceGroupDto>(request, EntityKind.ResourceGroup, isCreate: true, (body, _) =>
            {
                var command = new CreateResourceGroup(
                    body.Name ?? string.Empty,
                    body.Description,
                    (body.Props ?? ImmutableSortedDictionary<string, string>.Empty).ToImmutableSortedDictionary(StringComparer.Ordinal),
                    body.SelectFilter.ToDomain(),
                    body.PeerSlots);
                return Names.CheckResourceGroupName(command.Name) is null
                    ? EntityCall.To(Names.Key(command.Name), command)
                    : EntityCall.Reject(RejectionWithoutEntity(command));
            }));

        app.MapPut("/v1/resource-groups/{rg}", (string rg, HttpRequest request, ApiContext api) =>
            api.SendAsync<ResourceGroupModifyDto>(request, EntityKind.ResourceGroup, isCreate: false, (body, _) =>
                EntityCall.To(Names.Key(rg), new ModifyResourceGroup(body.Description, body.ToPropsChange(), body.SelectFilter.ToDomain(), body.PeerSlots))));

        app.MapDelete("/v1/resource-groups/{rg}", (string rg, HttpRequest request, ApiContext api) =>
            api.SendAsync(request, EntityKind.ResourceGroup, isCreate: false, model =>
            {
                var key = Names.Key(rg);
                var users = model.ExistingResources.Where(r => Names.Key(r.ResourceGroup) == key).Select(r => r.Name).Order(StringComparer.Ordinal).ToImmutableList();
                return EntityCall.To(key, new DeleteResourceGroup(users));
            }));

        app.MapGet("/v1/resource-groups/{rg}/volume-groups", (string rg, HttpRequest request, ApiContext api) =>
        {
            if (!api.TryGet(out _, out var model))
            {
                return ApiResponses.Starting();
            }
            if (model.ResourceGroup(Names.Key(rg)) is not { } group)
            {
                return ApiResponses.NotFound(ResourceGroupAggregate.NotFound(rg, 0));
            }
            var (filters, error) = QueryFilters.Parse(request);
            if (error is not null)
            {
                return error;
            }
            return ApiResponses.Json(filters!.Page.Apply(group.VolumeGroups.Values.Select(v => v.ToDto())).ToList());
        });

        app.MapGet("/v1/resource-groups/{rg}/volume-groups/{vlmnr:int}", (string rg, int vlmnr, ApiContext api) =>
        {
            if (!api.TryGet(out _, out var model))
            {
                return ApiResponses.Starting();
            }
            if (model.ResourceGroup(Names.Key(rg)) is not { } group)
            {
                return ApiResponses.NotFound(ResourceGroupAggregate.NotFound(rg, 0));
            }
            return group.VolumeGroups.TryGetValue(vlmnr, out var vg)
                ? ApiResponses.Json(vg.ToDto())
                : ApiResponses.NotFound(ResourceGroupAggregate.VolumeGroupNotFound(group.Name, vlmnr, 0));
        });

        app.MapPost("/v1/resource-groups/{rg}/volume-groups", (string rg, HttpRequest request, ApiContext api) =>
            api.SendAsync<VolumeGroupDto>(request, EntityKind.ResourceGroup, isCreate: true, (body, _) =>
                EntityCall.To(Names.Key(rg), new CreateVolumeGroup(
                    body.VolumeNumber,
                    (body.Props ?? ImmutableSortedDictionary<string, string>.Empty).ToImmutableSortedDictionary(StringComparer.Ordinal),
                    (body.Flags ?? []).ToImmutableList()))));

        app.MapPut("/v1/resource-groups/{rg}/volume-groups/{vlmnr:int}", (string rg, int vlmnr, HttpRequest request, ApiContext api) =>
            api.SendAsync<VolumeGroupModifyDto>(request, EntityKind.ResourceGroup, isCreate: false, (body, _) =>
                EntityCall.To(Names.Key(rg), new ModifyVolumeGroup(vlmnr, body.ToPropsChange(), (body.Flags ?? []).ToImmutableList()))));

        app.MapDelete("/v1/resource-groups/{rg}/volume-groups/{vlmnr:int}", (string rg, int vlmnr, HttpRequest request, ApiContext api) =>
            api.SendAsync(request, EntityKind.ResourceGroup, isCreate: false, _ => EntityCall.To(Names.Key(rg), new DeleteVolumeGroup(vlmnr))));
    }

    /// <summary>An invalid name cannot address an entity; the pure decider still words the rejection.</summary>
    private static ApiCallRc RejectionWithoutEntity(IResourceGroupCommand command) =>
        ResourceGroupAggregate.Instance.Decide(ResourceGroupState.Absent(string.Empty), command, new DecideContext(0, Guid.Empty)) is Decision<IResourceGroupEvent>.Rejected rejected
            ? rejected.Error
            : throw new InvalidOperationException("An invalid resource group name was accepted by the decider.");
}
