using System.Collections.Immutable;
using Fabric.Core.Allocation;
using Fabric.Core.Api;
using Fabric.Core.Naming;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Properties;
using static Fabric.Core.Api.ApiConsts;

namespace Fabric.Core.Aggregates.ResourceGroups;

/// <summary>Pure decisions for a resource group and its volume groups.</summary>
public sealed class ResourceGroupAggregate : IAggregate<ResourceGroupState, IResourceGroupCommand, IResourceGroupEvent>
{
    public static readonly ResourceGroupAggregate Instance = new();

    public const int MaxVolumeNumber = 65534;

    private static readonly ImmutableHashSet<string> KnownVolumeFlags = ["GROSS_SIZE"];

    public string Kind => "resource-group";

    public ResourceGroupState Initial(string entityId) => ResourceGroupState.Absent(entityId);

    public Decision<IResourceGroupEvent> Decide(ResourceGroupState state, IResourceGroupCommand command, DecideContext context) => command switch
    {
        CreateResourceGroup c => DecideCreate(state, c, context),
        _ when !state.Exists => Decision<IResourceGroupEvent>.Reject(NotFound(state.Key, OpOf(command))),
        ModifyResourceGroup c => DecideModify(state, c),
        DeleteResourceGroup c => DecideDelete(state, c),
        CreateVolumeGroup c => DecideCreateVolumeGroup(state, c, context),
        ModifyVolumeGroup c => DecideModifyVolumeGroup(state, c),
        DeleteVolumeGroup c => state.VolumeGroups.ContainsKey(c.VolumeNumber)
            ? Decision<IResourceGroupEvent>.Accept(new VolumeGroupDeleted(c.VolumeNumber), ApiCallRc.Success(MaskVlmGrp, MaskDel, Deleted, $"Volume group {c.VolumeNumber} of resource group '{state.Name}' deleted.").WithRef("RscGrp", state.Name).WithRef("VlmNr", c.VolumeNumber.ToString()))
            : Decision<IResourceGroupEvent>.Reject(VolumeGroupNotFound(state.Name, c.VolumeNumber, MaskDel)),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "unknown resource group command"),
    };

    public ResourceGroupState Apply(ResourceGroupState state, IResourceGroupEvent @event) => @event switch
    {
        ResourceGroupCreated e => ResourceGroupState.Absent(state.Key) with
        {
            Exists = true,
            Name = e.Name,
            Uuid = e.Uuid,
            Description = e.Description,
            Props = e.Props.WithComparers(StringComparer.Ordinal),
            SelectFilter = e.SelectFilter,
            PeerSlots = e.PeerSlots,
        },
        ResourceGroupModified e => state with { Description = e.Description, SelectFilter = e.SelectFilter, PeerSlots = e.PeerSlots },
        ResourceGroupPropsChanged e => state with { Props = Props.Apply(state.Props, e.Change) },
        ResourceGroupDeleted => ResourceGroupState.Absent(state.Key) with { Exists = false },
        VolumeGroupCreated e => state with { VolumeGroups = state.VolumeGroups.SetItem(e.VolumeGroup.VolumeNumber, e.VolumeGroup) },
        VolumeGroupModified e => state.VolumeGroups.TryGetValue(e.VolumeNumber, out var vg)
            ? state with { VolumeGroups = state.VolumeGroups.SetItem(e.VolumeNumber, vg with { Props = Props.Apply(vg.Props, e.Props), Flags = e.Flags }) }
            : state,
        VolumeGroupDeleted e => state with { VolumeGroups = state.VolumeGroups.Remove(e.VolumeNumber) },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "unknown resource group event"),
    };

    public static ApiCallRc NotFound(string name, long op) => ApiCallRc.Error(
        MaskRscGrp, op, FailNotFoundRscGrp,
        $"Resource group '{name}' not found.",
        "No resource group of that name exists.",
        "Check the name with GET /v1/resource-groups.");

    public static ApiCallRc VolumeGroupNotFound(string group, int volumeNumber, long op) => ApiCallRc.Error(
        MaskVlmGrp, op, FailNotFoundVlmGrp,
        $"Volume group {volumeNumber} of resource group '{group}' not found.",
        "The resource group has no volume group with that number.",
        $"Check the numbers with GET /v1/resource-groups/{group}/volume-groups.");

    /// <summary>Checks a select filter's values; the message names the first bad field.</summary>
    public static string? CheckFilter(AutoSelectFilter? filter)
    {
        if (filter is null)
        {
            return null;
        }
        if (filter.PlaceCount is < 1 or > NumberPools.MaxPeerSlots + 1)
        {
            return $"place_count {filter.PlaceCount} is out of range: give 1 to {NumberPools.MaxPeerSlots + 1}.";
        }
        if (filter.AdditionalPlaceCount is < 0 or > NumberPools.MaxPeerSlots + 1)
        {
            return $"additional_place_count {filter.AdditionalPlaceCount} is out of range: give 0 to {NumberPools.MaxPeerSlots + 1}.";
        }
        if (filter.XReplicasOnDifferentMap is { } map && map.Any(kv => kv.Value < 1))
        {
            return "x_replicas_on_different_map values must be 1 or more.";
        }
        if (filter.NotPlaceWithRscRegex is { } regex)
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(regex, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException ex)
            {
                return $"not_place_with_rsc_regex '{regex}' is not a valid regular expression: {ex.Message}";
            }
        }
        foreach (var layer in filter.LayerStack ?? [])
        {
            if (!Layers.IsKnown(layer))
            {
                return $"layer_stack contains the unknown layer '{layer}'; known layers: {string.Join(", ", Layers.All)}.";
            }
        }
        foreach (var provider in filter.ProviderList ?? [])
        {
            if (Nodes.ProviderKinds.Parse(provider) is null)
            {
                return $"provider_list contains the unknown provider '{provider}'.";
            }
        }
        if (filter.DisklessType is { } type && !string.Equals(type, "DRBD_DISKLESS", StringComparison.OrdinalIgnoreCase))
        {
            return $"diskless_type '{type}' is not supported; only DRBD_DISKLESS is.";
        }
        return null;
    }

    private static long OpOf(IResourceGroupCommand command) => command switch
    {
        DeleteResourceGroup or DeleteVolumeGroup => MaskDel,
        CreateVolumeGroup => MaskCrt,
        _ => MaskMod,
    };

    private static Decision<IResourceGroupEvent> DecideCreate(ResourceGroupState state, CreateResourceGroup c, DecideContext context)
    {
        if (Names.CheckResourceGroupName(c.Name) is { } nameError)
        {
            return Reject(MaskCrt, FailInvldRscGrpName, $"Invalid resource group name '{c.Name}'.", nameError, "Use 2 to 48 characters: a letter or '_' first, then letters, digits, '_' or '-'.");
        }
        if (state.Exists)
        {
            return Reject(MaskCrt, FailExistsRscGrp, $"A resource group named '{c.Name}' already exists (as '{state.Name}').", "Resource group names are case-insensitive and unique.", "Choose another name, or modify the existing group.");
        }
        if (CheckCommon(PropsChange.Of(c.Props), c.SelectFilter, c.PeerSlots, c.Name, MaskCrt) is { } rejected)
        {
            return rejected;
        }
        var uuid = context.NewUuid;
        return Decision<IResourceGroupEvent>.Accept(
            new ResourceGroupCreated(c.Name, uuid, c.Description, c.Props.WithComparers(StringComparer.Ordinal), c.SelectFilter ?? AutoSelectFilter.None, c.PeerSlots),
            ApiCallRc.Success(MaskRscGrp, MaskCrt, Created, $"New resource group '{c.Name}' created.", $"Resource group '{c.Name}' UUID is: {uuid}").WithRef("RscGrp", c.Name));
    }

    private static Decision<IResourceGroupEvent> DecideModify(ResourceGroupState state, ModifyResourceGroup c)
    {
        if (CheckCommon(c.Props, c.SelectFilter, c.PeerSlots, state.Name, MaskMod) is { } rejected)
        {
            return rejected;
        }
        var events = new List<IResourceGroupEvent>();
        var filter = state.SelectFilter.MergedWith(c.SelectFilter);
        var description = c.Description ?? state.Description;
        var peerSlots = c.PeerSlots ?? state.PeerSlots;
        if (!filter.Equals(state.SelectFilter) || description != state.Description || peerSlots != state.PeerSlots)
        {
            events.Add(new ResourceGroupModified(description, filter, peerSlots));
        }
        if (!Props.IsNoop(state.Props, c.Props))
        {
            events.Add(new ResourceGroupPropsChanged(c.Props));
        }
        return Decision<IResourceGroupEvent>.Accept(events, ApiCallRc.Success(MaskRscGrp, MaskMod, Modified, $"Resource group '{state.Name}' modified.").WithRef("RscGrp", state.Name));
    }

    private static Decision<IResourceGroupEvent> DecideDelete(ResourceGroupState state, DeleteResourceGroup c)
    {
        if (state.Key == ResourceGroupState.DefaultKey)
        {
            return Reject(MaskDel, FailInUse, $"The default resource group '{state.Name}' cannot be deleted.", "Every resource definition without a group belongs to it.", "Delete other groups only.");
        }
        if (!c.ResourceDefinitions.IsEmpty)
        {
            return Reject(MaskDel, FailExistsRscDfn, $"Resource group '{state.Name}' still has resource definitions.", $"In use by: {string.Join(", ", c.ResourceDefinitions.Take(10))}{(c.ResourceDefinitions.Count > 10 ? ", ..." : "")}.", "Delete those resource definitions or move them to another group first.");
        }
        return Decision<IResourceGroupEvent>.Accept(new ResourceGroupDeleted(), ApiCallRc.Success(MaskRscGrp, MaskDel, Deleted, $"Resource group '{state.Name}' deleted.").WithRef("RscGrp", state.Name));
    }

    private static Decision<IResourceGroupEvent> DecideCreateVolumeGroup(ResourceGroupState state, CreateVolumeGroup c, DecideContext context)
    {
        var number = c.VolumeNumber ?? Enumerable.Range(0, MaxVolumeNumber + 1).First(n => !state.VolumeGroups.ContainsKey(n));
        if (number is < 0 or > MaxVolumeNumber)
        {
            return RejectVg(MaskCrt, FailInvldVlmNr, $"Volume number {number} is invalid.", $"Volume numbers range from 0 to {MaxVolumeNumber}.", "Give a number in that range, or leave it out.");
        }
        if (state.VolumeGroups.ContainsKey(number))
        {
            return RejectVg(MaskCrt, FailExistsVlmGrp, $"Resource group '{state.Name}' already has volume group {number}.", "Volume numbers are unique within a group.", "Choose another number, or leave it out to take the next free one.");
        }
        if (Props.Validate(PropsChange.Of(c.Props)) is { } propsError)
        {
            return RejectVg(MaskCrt, FailInvldProp, $"Invalid property for volume group {number} of '{state.Name}'.", propsError, "Use keys of the form 'Namespace/Key'.");
        }
        if (CheckFlags(c.Flags) is { } flagError)
        {
            return RejectVg(MaskCrt, FailInvldRequest, $"Invalid flag for volume group {number} of '{state.Name}'.", flagError, "The only volume group flag is GROSS_SIZE.");
        }
        var group = new VolumeGroup(number, context.NewUuid, c.Props.WithComparers(StringComparer.Ordinal), c.Flags.Select(f => f.ToUpperInvariant()).Distinct().ToImmutableList());
        return Decision<IResourceGroupEvent>.Accept(
            new VolumeGroupCreated(group),
            ApiCallRc.Success(MaskVlmGrp, MaskCrt, Created, $"New volume group {number} of resource group '{state.Name}' created.").WithRef("RscGrp", state.Name).WithRef("VlmNr", number.ToString()));
    }

    private static Decision<IResourceGroupEvent> DecideModifyVolumeGroup(ResourceGroupState state, ModifyVolumeGroup c)
    {
        if (!state.VolumeGroups.TryGetValue(c.VolumeNumber, out var group))
        {
            return Decision<IResourceGroupEvent>.Reject(VolumeGroupNotFound(state.Name, c.VolumeNumber, MaskMod));
        }
        if (Props.Validate(c.Props) is { } propsError)
        {
            return RejectVg(MaskMod, FailInvldProp, $"Invalid property change for volume group {c.VolumeNumber} of '{state.Name}'.", propsError, "Use keys of the form 'Namespace/Key'.");
        }
        if (CheckFlags(c.Flags.Select(f => f.TrimStart('-'))) is { } flagError)
        {
            return RejectVg(MaskMod, FailInvldRequest, $"Invalid flag for volume group {c.VolumeNumber} of '{state.Name}'.", flagError, "The only volume group flag is GROSS_SIZE; prefix it with '-' to remove it.");
        }
        var flags = group.Flags;
        foreach (var flag in c.Flags)
        {
            flags = flag.StartsWith('-') ? flags.Remove(flag[1..].ToUpperInvariant()) : flags.Contains(flag.ToUpperInvariant()) ? flags : flags.Add(flag.ToUpperInvariant());
        }
        return Decision<IResourceGroupEvent>.Accept(
            new VolumeGroupModified(c.VolumeNumber, c.Props, flags),
            ApiCallRc.Success(MaskVlmGrp, MaskMod, Modified, $"Volume group {c.VolumeNumber} of resource group '{state.Name}' modified.").WithRef("RscGrp", state.Name).WithRef("VlmNr", c.VolumeNumber.ToString()));
    }

    private static Decision<IResourceGroupEvent>? CheckCommon(PropsChange props, AutoSelectFilter? filter, int? peerSlots, string name, long op)
    {
        if (Props.Validate(props) is { } propsError)
        {
            return Reject(op, FailInvldProp, $"Invalid property for resource group '{name}'.", propsError, "Use keys of the form 'Namespace/Key'.");
        }
        if (CheckFilter(filter) is { } filterError)
        {
            return Reject(op, FailInvldPlaceCount, $"Invalid select filter for resource group '{name}'.", filterError, "Correct the select_filter field named above.");
        }
        if (peerSlots is < 1 or > NumberPools.MaxPeerSlots)
        {
            return Reject(op, FailInvldRequest, $"Invalid peer_slots {peerSlots} for resource group '{name}'.", $"DRBD supports 1 to {NumberPools.MaxPeerSlots} peer slots.", "Give a value in that range.");
        }
        return null;
    }

    private static string? CheckFlags(IEnumerable<string> flags) =>
        flags.FirstOrDefault(f => !KnownVolumeFlags.Contains(f.ToUpperInvariant())) is { } bad ? $"'{bad}' is not a volume group flag." : null;

    private static Decision<IResourceGroupEvent> Reject(long op, long code, string message, string cause, string correction) =>
        Decision<IResourceGroupEvent>.Reject(ApiCallRc.Error(MaskRscGrp, op, code, message, cause, correction));

    private static Decision<IResourceGroupEvent> RejectVg(long op, long code, string message, string cause, string correction) =>
        Decision<IResourceGroupEvent>.Reject(ApiCallRc.Error(MaskVlmGrp, op, code, message, cause, correction));
}
