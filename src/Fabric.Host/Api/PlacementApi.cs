using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Aggregates.ResourceGroups;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Allocation;
using Fabric.Core.Api;
using Fabric.Core.Entities;
using Fabric.Core.Naming;
using Fabric.Core.Placement;
using Fabric.Core.Runtime;
using Fabric.Core.Views;
using Fabric.Host.Api.Contracts;
using static Fabric.Core.Api.ApiConsts;

namespace Fabric.Host.Api;

/// <summary>
/// Endpoints that run the autoplacer: spawn, autoplace, adjust/adjustall, query-size-info and
/// query-max-volume-size. Inputs come from the read model and this controller's node-status board
/// (<see cref="PlacementInputs"/>); the decision is then sent to the resource entity as ONE command,
/// so a placement that fails creates nothing.
/// </summary>
public static class PlacementApi
{
    /// <summary>Name used for dry runs: never a valid resource name, so no node already "hosts" it.</summary>
    private const string DryRunResource = "-size-query-";

    public static void MapPlacement(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/resource-groups/{rg}/spawn", (string rg, HttpRequest request, ApiContext api) =>
            WithBodyAsync<ResourceGroupSpawnDto>(request, api, emptyIsOk: false, (fabric, model, body) => SpawnAsync(fabric, model, rg, body, request.HttpContext.RequestAborted)));

        app.MapPost("/v1/resource-definitions/{rd}/autoplace", (string rd, HttpRequest request, ApiContext api) =>
            WithBodyAsync<AutoPlaceRequestDto>(request, api, emptyIsOk: true, (fabric, model, body) => AutoplaceAsync(fabric, model, rd, body, request.HttpContext.RequestAborted)));

        app.MapPost("/v1/resource-groups/adjustall", (HttpRequest request, ApiContext api) =>
            WithBodyAsync<ResourceGroupAdjustDto>(request, api, emptyIsOk: true, (fabric, model, body) =>
                AdjustAsync(fabric, model.ExistingResourceGroups.ToList(), body, request.HttpContext.RequestAborted)));

        app.MapPost("/v1/resource-groups/{rg}/adjust", (string rg, HttpRequest request, ApiContext api) =>
            WithBodyAsync<ResourceGroupAdjustDto>(request, api, emptyIsOk: true, (fabric, model, body) =>
                model.ResourceGroup(Names.Key(rg)) is { } group
                    ? AdjustAsync(fabric, [group], body, request.HttpContext.RequestAborted)
                    : Task.FromResult(ApiResponses.RcList([ResourceGroupAggregate.NotFound(rg, MaskMod)], isCreate: false))));

        app.MapPost("/v1/resource-groups/{rg}/query-size-info", (string rg, HttpRequest request, ApiContext api) =>
            WithBodyAsync<QuerySizeInfoRequestDto>(request, api, emptyIsOk: true, (fabric, model, body) => Task.FromResult(QuerySizeInfo(fabric, model, rg, body))));

        app.MapGet("/v1/resource-groups/{rg}/query-max-volume-size", (string rg, ApiContext api) =>
            api.TryGet(out var fabric, out var model) ? QueryMaxVolumeSize(fabric, model, rg) : ApiResponses.Starting());
    }

    private static async Task<IResult> WithBodyAsync<T>(HttpRequest request, ApiContext api, bool emptyIsOk, Func<FabricSystem, ReadModel, T, Task<IResult>> handle)
        where T : class, new()
    {
        if (!api.TryGet(out var fabric, out var model))
        {
            return ApiResponses.Starting();
        }
        if (emptyIsOk && request.ContentLength == 0)
        {
            return await handle(fabric, model, new T());
        }
        var (body, error) = await ApiResponses.ReadBodyAsync<T>(request);
        return error ?? await handle(fabric, model, body!);
    }

    // ------------------------------------------------------------------ spawn

    private static async Task<IResult> SpawnAsync(FabricSystem fabric, ReadModel model, string rg, ResourceGroupSpawnDto body, CancellationToken ct)
    {
        if (model.ResourceGroup(Names.Key(rg)) is not { } group)
        {
            return Fail(ResourceGroupAggregate.NotFound(rg, MaskCrt));
        }
        var name = body.ResourceDefinitionName ?? string.Empty;
        if (Names.CheckResourceName(name) is { } nameError)
        {
            return Fail(ApiCallRc.Error(MaskRscDfn, MaskCrt, FailInvldRscName, $"Invalid resource definition name '{name}'.", nameError, "Use 2 to 48 characters: a letter or '_' first, then letters, digits, '_' or '-'."));
        }
        var key = Names.Key(name);
        if (model.Resource(key) is { } existing)
        {
            return Fail(ApiCallRc.Error(MaskRscDfn, MaskCrt, FailExistsRscDfn, $"A resource definition named '{name}' already exists (as '{existing.Name}').", "Resource definition names are case-insensitive and unique.", "Choose another name, or delete the existing definition first."));
        }

        var sizes = body.VolumeSizes ?? [];
        for (var i = 0; i < sizes.Count; i++)
        {
            if (sizes[i] <= 0)
            {
                return Fail(ApiCallRc.Error(MaskVlmDfn, MaskCrt, FailInvldVlmSize, $"Invalid volume size {sizes[i]} KiB (volume_sizes[{i}]) for spawning '{name}'.", "A volume needs a positive size in KiB.", "Give every volume_sizes entry greater than 0."));
            }
        }
        var groups = group.VolumeGroups.Values.ToList();
        var partial = body.Partial ?? false;
        if (groups.Count > 0 && sizes.Count != groups.Count && !partial)
        {
            return Fail(ApiCallRc.Error(MaskRscGrp, MaskCrt, FailInvldVlmSizes,
                $"Resource group '{group.Name}' has {groups.Count} volume group(s), but {sizes.Count} volume size(s) were given.",
                "Without 'partial', spawn needs exactly one size per volume group.",
                "Give one size per volume group, or set partial=true (fewer sizes use only the first volume groups; more sizes add volumes without group props)."));
        }
        var volumes = sizes.Select((size, i) => i < groups.Count
            ? new VolumeDefinitionSpec(groups[i].VolumeNumber, size, groups[i].Props, groups[i].Flags)
            : new VolumeDefinitionSpec(null, size, ImmutableSortedDictionary<string, string>.Empty, [])).ToImmutableList();

        var filter = group.SelectFilter.MergedWith(body.SelectFilter.ToDomain());
        if (ResourceGroupAggregate.CheckFilter(filter) is { } filterError)
        {
            return Fail(InvalidFilter(filterError, MaskCrt));
        }
        var props = (body.ResourceDefinitionProps ?? ImmutableSortedDictionary<string, string>.Empty).ToImmutableSortedDictionary(StringComparer.Ordinal);
        var peerSlots = body.PeerSlots ?? group.PeerSlots;
        var candidates = PlacementInputs.Candidates(model, fabric.NodeStatus.Current);
        var replicas = ImmutableList<ReplicaSpec>.Empty;
        var extra = new List<ApiCallRc>();
        if (body.DefinitionsOnly ?? false)
        {
            extra.Add(ApiCallRc.Info(MaskRscDfn, MaskCrt, InfoNoRscSpawned, $"Resource definition '{name}' spawned without resources (definitions_only)."));
        }
        else
        {
            var slots = peerSlots ?? NumberPools.DefaultPeerSlots;
            var wanted = filter.AdditionalPlaceCount ?? filter.PlaceCount ?? PlacementRequest.DefaultPlaceCount;
            if (wanted > slots + 1)
            {
                return Fail(TooManyReplicas(name, wanted, slots));
            }
            var request = PlacementInputs.Request(name, volumes.Sum(v => v.SizeKiB), filter);
            switch (Autoplacer.Place(request, candidates, [], PlacementInputs.Settings(model)))
            {
                case PlacementOutcome.NotPlaced notPlaced:
                    return Fail(NotPlacedError(notPlaced, MaskRscDfn, MaskCrt));
                case PlacementOutcome.NothingToDo nothing:
                    extra.Add(ApiCallRc.Info(MaskRscDfn, MaskCrt, InfoNoRscSpawned, nothing.Reason));
                    break;
                case PlacementOutcome.Placed placed:
                    replicas = Specs(placed);
                    if (replicas.Count > slots + 1)
                    {
                        return Fail(TooManyReplicas(name, replicas.Count, slots));
                    }
                    break;
            }
        }

        var command = new CreateResourceDefinition(
            name, body.ResourceDefinitionExternalName, group.Name, filter.LayerStack, props, peerSlots, null, null,
            volumes, replicas, ResourcePolicies.For(model, null, fabric.NodeStatus.IsOnlineWithDrbd, group.Name, props, filter.LayerStack));
        var reply = await fabric.AskAsync(EntityKind.Resource, key, command, ct);
        return ApiResponses.RcList(reply.Accepted ? reply.Messages.Concat(extra) : reply.Messages, isCreate: true);
    }

    // ------------------------------------------------------------------ autoplace

    private static async Task<IResult> AutoplaceAsync(FabricSystem fabric, ReadModel model, string rdName, AutoPlaceRequestDto body, CancellationToken ct)
    {
        if (model.Resource(Names.Key(rdName)) is not { } rd)
        {
            return Fail(DefinitionNotFound(rdName, MaskCrt));
        }
        var group = GroupOf(model, rd);
        var filter = group.SelectFilter.MergedWith(body.SelectFilter.ToDomain());
        if (body.LayerList is { Count: > 0 } layers)
        {
            filter = filter with { LayerStack = layers.ToImmutableList() };
        }
        if (body.DisklessOnRemaining == true)
        {
            filter = filter with { DisklessOnRemaining = true };
        }
        if (ResourceGroupAggregate.CheckFilter(filter) is { } filterError)
        {
            return Fail(InvalidFilter(filterError, MaskCrt));
        }
        var candidates = PlacementInputs.Candidates(model, fabric.NodeStatus.Current);
        var existing = PlacementInputs.Existing(rd, model);
        var request = PlacementInputs.Request(rd.Name, PlacementInputs.TotalSizeKiB(rd), filter);
        switch (Autoplacer.Place(request, candidates, existing, PlacementInputs.Settings(model)))
        {
            case PlacementOutcome.NotPlaced notPlaced:
                return Fail(NotPlacedError(notPlaced, MaskRscDfn, MaskCrt));
            case PlacementOutcome.NothingToDo nothing:
                return ApiResponses.RcList([ApiCallRc.Info(MaskRscDfn, MaskCrt, InfoNoop, nothing.Reason).WithRef("RscDfn", rd.Name)], isCreate: true);
            case PlacementOutcome.Placed placed:
                var reply = await fabric.AskAsync(EntityKind.Resource, rd.Key, new AddReplicas(Specs(placed), ResourcePolicies.For(model, rd, fabric.NodeStatus.IsOnlineWithDrbd)), ct);
                return ApiResponses.RcList(reply.Messages, isCreate: true);
            default:
                throw new InvalidOperationException("unknown placement outcome");
        }
    }

    // ------------------------------------------------------------------ adjust

    /// <summary>
    /// Brings every definition of the groups to the place count of the group's filter (merged with the
    /// request's): adds diskful replicas through the placer, or removes the ones the un-placer chooses.
    /// Each definition is one command; failures are reported per definition and do not stop the others.
    /// </summary>
    private static async Task<IResult> AdjustAsync(FabricSystem fabric, IReadOnlyList<ResourceGroupState> groups, ResourceGroupAdjustDto body, CancellationToken ct)
    {
        var over = body.SelectFilter.ToDomain();
        var messages = new List<ApiCallRc>();
        foreach (var group in groups)
        {
            var filter = group.SelectFilter.MergedWith(over) with { AdditionalPlaceCount = null };
            if (ResourceGroupAggregate.CheckFilter(filter) is { } filterError)
            {
                messages.Add(InvalidFilter(filterError, MaskMod).WithRef("RscGrp", group.Name));
                continue;
            }
            var target = filter.PlaceCount ?? PlacementRequest.DefaultPlaceCount;
            filter = filter with { PlaceCount = target };
            var keys = fabric.Views.Current.ExistingResources.Where(r => Names.Key(r.ResourceGroup) == group.Key).Select(r => r.Key).ToList();
            foreach (var key in keys)
            {
                // Re-read after every change: earlier placements reserve space and occupy nodes.
                var model = fabric.Views.Current;
                if (model.Resource(key) is not { } rd)
                {
                    continue;
                }
                var candidates = PlacementInputs.Candidates(model, fabric.NodeStatus.Current);
                var existing = PlacementInputs.Existing(rd, model);
                var request = PlacementInputs.Request(rd.Name, PlacementInputs.TotalSizeKiB(rd), filter);
                var policy = ResourcePolicies.For(model, rd, fabric.NodeStatus.IsOnlineWithDrbd);
                var diskful = existing.Count(e => !e.Diskless);
                if (diskful < target)
                {
                    switch (Autoplacer.Place(request, candidates, existing, PlacementInputs.Settings(model)))
                    {
                        case PlacementOutcome.NotPlaced notPlaced:
                            messages.Add(NotPlacedError(notPlaced, MaskRscDfn, MaskMod).WithRef("RscDfn", rd.Name));
                            break;
                        case PlacementOutcome.Placed placed:
                            messages.AddRange((await fabric.AskAsync(EntityKind.Resource, rd.Key, new AddReplicas(Specs(placed), policy), ct)).Messages);
                            break;
                    }
                }
                else if (diskful > target)
                {
                    foreach (var victim in Autoplacer.ChooseToRemove(request, candidates, existing, diskful - target))
                    {
                        messages.AddRange((await fabric.AskAsync(EntityKind.Resource, rd.Key, new DeleteReplica(victim.NodeName, KeepTiebreaker: true, policy), ct)).Messages);
                    }
                }
            }
        }
        if (messages.Count == 0)
        {
            messages.Add(ApiCallRc.Info(MaskRscGrp, MaskMod, InfoNoop, $"Every resource definition of {string.Join(", ", groups.Select(g => $"'{g.Name}'"))} already has its place count."));
        }
        return ApiResponses.RcList(messages, isCreate: false);
    }

    // ------------------------------------------------------------------ size queries

    /// <summary>
    /// A dry run of spawn: the largest total size that still places with the group's filter (merged with the
    /// request's), where it would go, and the free/total capacity of those pools.
    /// </summary>
    private static IResult QuerySizeInfo(FabricSystem fabric, ReadModel model, string rg, QuerySizeInfoRequestDto body)
    {
        if (model.ResourceGroup(Names.Key(rg)) is not { } group)
        {
            return Fail(ResourceGroupAggregate.NotFound(rg, 0));
        }
        var filter = group.SelectFilter.MergedWith(body.SelectFilter.ToDomain());
        if (ResourceGroupAggregate.CheckFilter(filter) is { } filterError)
        {
            return Fail(InvalidFilter(filterError, 0));
        }
        var settings = PlacementInputs.Settings(model);
        var ratio = settings.MaxOversubscriptionRatio;
        var candidates = PlacementInputs.Candidates(model, fabric.NodeStatus.Current);
        var (answer, atMinimum) = SizeQuery.MaxSize(PlacementInputs.Request(DryRunResource, 0, filter), candidates, [], settings);
        if (answer is null)
        {
            var report = atMinimum is PlacementOutcome.NotPlaced notPlaced
                ? NotPlacedError(notPlaced, MaskRscGrp, 0)
                : ApiCallRc.Info(MaskRscGrp, 0, InfoNoop, "The placement places nothing new.");
            return ApiResponses.Json(new QuerySizeInfoResponseDto
            {
                SpaceInfo = new QuerySizeInfoSpaceInfoDto { MaxVlmSizeInKib = 0, AvailableSizeInKib = 0, CapacityInKib = 0, DefaultMaxOversubscriptionRatio = ratio, MaxOversubscriptionRatio = ratio, MaxFreeCapacityOversubscriptionRatio = ratio, MaxTotalCapacityOversubscriptionRatio = ratio },
                Reports = new[] { report }.ToDtos(DateTimeOffset.UtcNow),
            });
        }
        var pools = answer.Placement.Diskful.Select(p => PoolOf(candidates, p)).ToList();
        return ApiResponses.Json(new QuerySizeInfoResponseDto
        {
            SpaceInfo = new QuerySizeInfoSpaceInfoDto
            {
                MaxVlmSizeInKib = answer.MaxSizeKiB,
                AvailableSizeInKib = pools.Sum(p => p?.FreeKiB ?? 0),
                CapacityInKib = pools.Sum(p => p?.TotalKiB ?? 0),
                DefaultMaxOversubscriptionRatio = ratio,
                MaxOversubscriptionRatio = ratio,
                MaxFreeCapacityOversubscriptionRatio = ratio,
                MaxTotalCapacityOversubscriptionRatio = ratio,
                NextSpawnResult = answer.Placement.Diskful.Select(p =>
                {
                    var poolRatio = p.Kind.IsThin() ? ratio : 1.0;
                    return new QuerySizeInfoSpawnResultDto
                    {
                        NodeName = p.NodeName,
                        StorPoolName = p.PoolName,
                        StorPoolOversubscriptionRatio = poolRatio,
                        StorPoolFreeCapacityOversubscriptionRatio = poolRatio,
                        StorPoolTotalCapacityOversubscriptionRatio = poolRatio,
                    };
                }).ToList(),
            },
        });
    }

    /// <summary>
    /// One candidate per storage pool name: the largest volume that places with the group's filter when
    /// only pools of that name are used, and the nodes it would go to.
    /// </summary>
    private static IResult QueryMaxVolumeSize(FabricSystem fabric, ReadModel model, string rg)
    {
        if (model.ResourceGroup(Names.Key(rg)) is not { } group)
        {
            return Fail(ResourceGroupAggregate.NotFound(rg, 0));
        }
        var settings = PlacementInputs.Settings(model);
        var candidates = PlacementInputs.Candidates(model, fabric.NodeStatus.Current);
        var request = PlacementInputs.Request(DryRunResource, 0, group.SelectFilter);
        var allowed = request.StoragePools.Select(Names.Key).ToHashSet(StringComparer.Ordinal);
        var poolNames = candidates
            .SelectMany(n => n.Pools)
            .Where(p => p.Kind != ProviderKind.Diskless && (allowed.Count == 0 || allowed.Contains(Names.Key(p.PoolName))))
            .GroupBy(p => Names.Key(p.PoolName), StringComparer.Ordinal)
            .Select(g => g.First().PoolName)
            .Order(StringComparer.Ordinal)
            .ToList();
        var results = new List<MaxVolumeSizeCandidateDto>();
        foreach (var pool in poolNames)
        {
            var (answer, _) = SizeQuery.MaxSize(request with { StoragePools = [pool] }, candidates, [], settings);
            if (answer is not null)
            {
                results.Add(new MaxVolumeSizeCandidateDto
                {
                    StoragePool = pool,
                    MaxVolumeSizeKib = answer.MaxSizeKiB,
                    NodeNames = answer.Placement.Diskful.Select(p => p.NodeName).ToList(),
                    AllThin = answer.Placement.Diskful.All(p => p.Kind.IsThin()),
                });
            }
        }
        if (results.Count == 0)
        {
            var outcome = Autoplacer.Place(request with { SizeKiB = 1 }, candidates, [], settings);
            return Fail(outcome is PlacementOutcome.NotPlaced notPlaced
                ? NotPlacedError(notPlaced, MaskRscGrp, 0)
                : ApiCallRc.Error(MaskRscGrp, 0, FailNotEnoughNodes, $"No storage pool can take a volume of resource group '{group.Name}'.", "No diskful storage pool is known.", "Add storage pools."));
        }
        return ApiResponses.Json(new MaxVolumeSizesDto
        {
            Candidates = results.OrderByDescending(c => c.MaxVolumeSizeKib).ThenBy(c => c.StoragePool, StringComparer.Ordinal).ToList(),
            DefaultMaxOversubscriptionRatio = settings.MaxOversubscriptionRatio,
        });
    }

    // ------------------------------------------------------------------ helpers

    private static ImmutableList<ReplicaSpec> Specs(PlacementOutcome.Placed placed) =>
        placed.Diskful.Select(p => new ReplicaSpec(p.NodeName, p.PoolName, false, ImmutableSortedDictionary<string, string>.Empty))
            .Concat(placed.Diskless.Select(p => new ReplicaSpec(p.NodeName, p.PoolName, true, ImmutableSortedDictionary<string, string>.Empty)))
            .ToImmutableList();

    private static CandidatePool? PoolOf(IReadOnlyList<CandidateNode> nodes, PlacedReplica placed) =>
        nodes.FirstOrDefault(n => Names.Key(n.Name) == Names.Key(placed.NodeName))?.Pools.FirstOrDefault(p => Names.Key(p.PoolName) == Names.Key(placed.PoolName));

    private static ResourceGroupState GroupOf(ReadModel model, ResourceDefinitionState rd) =>
        model.ResourceGroup(Names.Key(rd.ResourceGroup)) ?? model.ResourceGroup(ResourceGroupState.DefaultKey)!;

    private static IResult Fail(ApiCallRc error) => ApiResponses.RcList([error], isCreate: false);

    public static ApiCallRc DefinitionNotFound(string name, long op) => ApiCallRc.Error(
        MaskRscDfn, op, FailNotFoundRscDfn,
        $"Resource definition '{name}' not found.",
        "No resource definition of that name exists.",
        "Check the name with GET /v1/resource-definitions.");

    private static ApiCallRc InvalidFilter(string error, long op) => ApiCallRc.Error(
        MaskRscGrp, op, FailInvldPlaceCount, "Invalid select filter.", error, "Correct the select_filter field named above.");

    private static ApiCallRc TooManyReplicas(string name, int count, int peerSlots) => ApiCallRc.Error(
        MaskRscDfn, MaskCrt, FailInsufficientPeerSlots,
        $"Cannot place {count} replicas of '{name}': it has {peerSlots} peer slots.",
        $"Each replica needs a DRBD peer slot for every other replica, so at most {peerSlots + 1} replicas fit.",
        "Lower place_count, or raise peer_slots (at most 31) on the spawn request or the resource group.");

    /// <summary>LINSTOR's FAIL_NOT_ENOUGH_NODES with the placer's message, cause and correction; details list every exclusion.</summary>
    public static ApiCallRc NotPlacedError(PlacementOutcome.NotPlaced notPlaced, long objectMask, long op) => ApiCallRc.Error(
        objectMask, op, FailNotEnoughNodes, notPlaced.Message, notPlaced.Cause, notPlaced.Correction,
        notPlaced.Exclusions.Count == 0
            ? null
            : "Excluded: " + string.Join("; ", notPlaced.Exclusions.Select(e => $"{e.NodeName}{(e.PoolName is null ? "" : $" (pool {e.PoolName})")}: {e.Constraint} ({e.Detail})")));
}
