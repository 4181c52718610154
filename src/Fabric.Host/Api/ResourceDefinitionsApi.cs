using Fabric.Core.Protocol;
using System.Collections.Immutable;
using System.Globalization;
using Fabric.Core.Aggregates;
using Fabric.Core.Aggregates.ResourceGroups;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Api;
using Fabric.Core.Entities;
using Fabric.Core.Naming;
using Fabric.Core.Properties;
using Fabric.Core.Views;
using Fabric.Host.Api.Contracts;

namespace Fabric.Host.Api;

/// <summary>/v1/resource-definitions and their /volume-definitions.</summary>
public static class ResourceDefinitionsApi
{
    /// <summary>Controller prop: peer slots of new definitions when neither the request nor the group gives them.</summary>
    public const string PeerSlotsNewResourceProp = "PeerSlotsNewResource";

    public static void MapResourceDefinitions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/resource-definitions", (HttpRequest request, ApiContext api) =>
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
            if (!TryFlag(request, "with_volume_definitions", out var withVolumes, out var flagError))
            {
                return flagError;
            }
            var list = model.ExistingResources
                .Where(rd => filters!.MatchesResource(rd.Key) && filters.MatchesProps(rd.Props))
                .Select(rd => rd.ToDto(withVolumes));
            return ApiResponses.Json(filters!.Page.Apply(list).ToList());
        });

        app.MapGet("/v1/resource-definitions/{rd}", (string rd, ApiContext api) =>
        {
            if (!api.TryGet(out _, out var model))
            {
                return ApiResponses.Starting();
            }
            return Find(model, rd) is { } state ? ApiResponses.Json(state.ToDto(withVolumeDefinitions: false)) : ApiResponses.NotFound(ResourceAggregate.NotFound(rd, 0));
        });

        app.MapPost("/v1/resource-definitions", (HttpRequest request, ApiContext api) =>
            api.SendAsync<ResourceDefinitionCreateDto>(request, EntityKind.Resource, isCreate: true, (body, model) => Create(body, model, api.NodeStatus)));

        app.MapPut("/v1/resource-definitions/{rd}", (string rd, HttpRequest request, ApiContext api) =>
            api.SendAsync<ResourceDefinitionModifyDto>(request, EntityKind.Resource, isCreate: false, (body, model) => Modify(rd, body, model, api.NodeStatus)));

        app.MapDelete("/v1/resource-definitions/{rd}", (string rd, HttpRequest request, ApiContext api) =>
            api.SendAsync(request, EntityKind.Resource, isCreate: false, _ =>
                Names.CheckResourceName(rd) is null ? EntityCall.To(Names.Key(rd), new DeleteResourceDefinition()) : EntityCall.Reject(ResourceAggregate.NotFound(rd, ApiConsts.MaskDel))));

        MapVolumeDefinitions(app);
    }

    private static void MapVolumeDefinitions(IEndpointRouteBuilder app)
    {
        const string Base = "/v1/resource-definitions/{rd}/volume-definitions";

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
            return error ?? ApiResponses.Json(filters!.Page.Apply(state.VolumeDefinitions.Values.Select(v => v.ToDto(state))).ToList());
        });

        app.MapGet(Base + "/{vlmnr}", (string rd, string vlmnr, ApiContext api) =>
        {
            if (!api.TryGet(out _, out var model))
            {
                return ApiResponses.Starting();
            }
            if (Find(model, rd) is not { } state)
            {
                return ApiResponses.NotFound(ResourceAggregate.NotFound(rd, 0));
            }
            return TryVolumeNumber(vlmnr, out var number) && state.VolumeDefinitions.TryGetValue(number, out var vd)
                ? ApiResponses.Json(vd.ToDto(state))
                : ApiResponses.NotFound(ResourceAggregate.VolumeDefinitionNotFound(state.Name, number, 0));
        });

        app.MapPost(Base, (string rd, HttpRequest request, ApiContext api) =>
            api.SendAsync<VolumeDefinitionCreateDto>(request, EntityKind.Resource, isCreate: true, (body, model) =>
            {
                if (Names.CheckResourceName(rd) is not null)
                {
                    return EntityCall.Reject(ResourceAggregate.NotFound(rd, ApiConsts.MaskCrt));
                }
                var vd = body.VolumeDefinition ?? new VolumeDefinitionDto();
                var spec = ToSpec(vd) with { Minor = body.DrbdMinorNumber };
                return EntityCall.To(Names.Key(rd), new CreateVolumeDefinitions([spec], Policy(model, api.NodeStatus, Find(model, rd))));
            }));

        app.MapPut(Base + "/{vlmnr}", (string rd, string vlmnr, HttpRequest request, ApiContext api) =>
            api.SendAsync<VolumeDefinitionModifyDto>(request, EntityKind.Resource, isCreate: false, (body, _) =>
                VolumeCall(rd, vlmnr, ApiConsts.MaskMod, number => new ModifyVolumeDefinition(number, body.SizeKib, body.ToPropsChange(), [.. body.Flags ?? []]))));

        app.MapDelete(Base + "/{vlmnr}", (string rd, string vlmnr, HttpRequest request, ApiContext api) =>
            api.SendAsync(request, EntityKind.Resource, isCreate: false, _ => VolumeCall(rd, vlmnr, ApiConsts.MaskDel, number => new DeleteVolumeDefinition(number))));
    }

    /// <summary>The policy every resource command carries; tiebreaker candidates are the nodes the board shows online.</summary>
    internal static ResourcePolicy Policy(ReadModel model, NodeStatusBoard board, ResourceDefinitionState? definition, string? resourceGroup = null, IReadOnlyDictionary<string, string>? definitionProps = null) =>
        ResourcePolicies.For(model, definition, board.IsOnlineWithDrbd, resourceGroup, definitionProps);

    internal static ResourceDefinitionState? Find(ReadModel model, string name) =>
        Names.CheckResourceName(name) is null ? model.Resource(Names.Key(name)) : null;

    internal static bool TryVolumeNumber(string raw, out int number) =>
        int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out number);

    /// <summary>A boolean query flag: absent is false; anything but true/false is a 400.</summary>
    internal static bool TryFlag(HttpRequest request, string name, out bool value, out IResult error)
    {
        error = null!;
        var raw = request.Query[name].FirstOrDefault();
        if (string.IsNullOrEmpty(raw))
        {
            value = false;
            return true;
        }
        if (bool.TryParse(raw, out value))
        {
            return true;
        }
        error = ApiResponses.Error(
            ApiCallRc.Error(0, 0, ApiConsts.FailInvldRequest, $"Invalid query parameter '{name}': '{raw}' is not a boolean.", $"'{name}' must be true or false.", $"Pass {name}=true or leave it out."),
            StatusCodes.Status400BadRequest);
        return false;
    }

    private static EntityCall VolumeCall(string rd, string vlmnr, long op, Func<int, IResourceCommand> command)
    {
        if (Names.CheckResourceName(rd) is not null)
        {
            return EntityCall.Reject(ResourceAggregate.NotFound(rd, op));
        }
        return TryVolumeNumber(vlmnr, out var number)
            ? EntityCall.To(Names.Key(rd), command(number))
            : EntityCall.Reject(ApiCallRc.Error(ApiConsts.MaskVlmDfn, op, ApiConsts.FailNotFoundVlmDfn, $"Volume definition '{vlmnr}' of resource definition '{rd}' not found.", "Volume numbers are whole numbers from 0.", $"Check with GET /v1/resource-definitions/{rd}/volume-definitions."));
    }

    private static VolumeDefinitionSpec ToSpec(VolumeDefinitionDto vd) => new(
        vd.VolumeNumber,
        vd.SizeKib ?? 0,
        (vd.Props ?? Props.Empty).ToImmutableSortedDictionary(StringComparer.Ordinal),
        [.. vd.Flags ?? []]);

    private static EntityCall Create(ResourceDefinitionCreateDto body, ReadModel model, NodeStatusBoard board)
    {
        var rd = body.ResourceDefinition ?? new ResourceDefinitionDto();
        var drbd = rd.LayerData?.FirstOrDefault(l => string.Equals(l.Type, Layers.Drbd, StringComparison.OrdinalIgnoreCase))?.Data;
        var groupName = string.IsNullOrWhiteSpace(rd.ResourceGroupName) ? ResourceGroupState.DefaultName : rd.ResourceGroupName;
        var group = Names.CheckResourceGroupName(groupName) is null ? model.ResourceGroup(Names.Key(groupName)) : null;
        var props = (rd.Props ?? Props.Empty).ToImmutableSortedDictionary(StringComparer.Ordinal);
        var command = new CreateResourceDefinition(
            rd.Name ?? string.Empty,
            rd.ExternalName,
            group?.Name ?? groupName,
            rd.LayerData?.Select(l => l.Type ?? string.Empty).ToImmutableList(),
            props,
            body.DrbdPeerSlots ?? drbd?.PeerSlots ?? group?.PeerSlots ?? ControllerPeerSlots(model),
            body.DrbdSecret ?? drbd?.Secret,
            body.DrbdTransportType ?? drbd?.TransportType,
            (rd.VolumeDefinitions ?? []).Select(ToSpec).ToImmutableList(),
            [],
            Policy(model, board, null, groupName, props));
        if (Names.CheckResourceName(command.Name) is not null)
        {
            var decision = ResourceAggregate.Instance.Decide(ResourceDefinitionState.Absent(string.Empty), command, new DecideContext(0, Guid.Empty));
            return EntityCall.Reject(((Decision<IResourceEvent>.Rejected)decision).Error);
        }
        if (group is null)
        {
            return EntityCall.Reject(GroupNotFound(groupName, ApiConsts.MaskCrt));
        }
        return EntityCall.To(Names.Key(command.Name), command);
    }

    private static EntityCall Modify(string name, ResourceDefinitionModifyDto body, ReadModel model, NodeStatusBoard board)
    {
        if (Names.CheckResourceName(name) is not null)
        {
            return EntityCall.Reject(ResourceAggregate.NotFound(name, ApiConsts.MaskMod));
        }
        var state = model.Resource(Names.Key(name));
        string? groupName = null;
        if (!string.IsNullOrWhiteSpace(body.ResourceGroup))
        {
            var group = Names.CheckResourceGroupName(body.ResourceGroup) is null ? model.ResourceGroup(Names.Key(body.ResourceGroup)) : null;
            if (group is null)
            {
                return EntityCall.Reject(GroupNotFound(body.ResourceGroup, ApiConsts.MaskMod));
            }
            groupName = group.Name;
        }
        var change = body.ToPropsChange();
        var propsAfter = state is not null && Props.Validate(change) is null ? Props.Apply(state.Props, change) : state?.Props;
        var command = new ModifyResourceDefinition(change, body.DrbdPeerSlots, body.LayerStack?.ToImmutableList(), groupName, Policy(model, board, state, groupName, propsAfter));
        return EntityCall.To(Names.Key(name), command);
    }

    private static int? ControllerPeerSlots(ReadModel model) =>
        model.Controller.State.Props.TryGetValue(PeerSlotsNewResourceProp, out var raw) && int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var slots) ? slots : null;

    private static ApiCallRc GroupNotFound(string group, long op) => ApiCallRc.Error(
        ApiConsts.MaskRscDfn, op, ApiConsts.FailNotFoundRscGrp,
        $"Resource group '{group}' not found.",
        $"No resource group named '{group}' exists.",
        "Check the name with GET /v1/resource-groups, or create the group first.");
}
