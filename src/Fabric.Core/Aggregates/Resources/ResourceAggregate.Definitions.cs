using System.Collections.Immutable;
using Fabric.Core.Allocation;
using Fabric.Core.Api;
using Fabric.Core.Naming;
using Fabric.Core.Properties;
using static Fabric.Core.Api.ApiConsts;

namespace Fabric.Core.Aggregates.Resources;

public sealed partial class ResourceAggregate
{
    /// <summary>Events in the making, with the state they lead to, so later checks see earlier changes.</summary>
    private sealed class Changes(ResourceDefinitionState start, long nowMs = 0)
    {
        public ResourceDefinitionState State { get; private set; } = start;

        public long NowMs { get; } = nowMs;

        public List<IResourceEvent> Events { get; } = [];

        public List<ApiCallRc> Messages { get; } = [];

        public void Emit(IResourceEvent e)
        {
            Events.Add(e);
            State = Instance.Apply(State, e);
        }

        public Decision<IResourceEvent> Accept() => Decision<IResourceEvent>.Accept(Events, [.. Messages]);
    }

    private static Decision<IResourceEvent> DecideCreate(ResourceDefinitionState state, CreateResourceDefinition c, DecideContext context)
    {
        if (Names.CheckResourceName(c.Name) is { } nameError)
        {
            return Reject(MaskRscDfn, MaskCrt, FailInvldRscName, $"Invalid resource definition name '{c.Name}'.", nameError, "Use 2 to 48 characters: a letter or '_' first, then letters, digits, '_' or '-'.");
        }
        if (state.Exists)
        {
            return Reject(MaskRscDfn, MaskCrt, FailExistsRscDfn, $"A resource definition named '{c.Name}' already exists (as '{state.Name}').", "Resource definition names are case-insensitive and unique.", "Choose another name, or delete the existing definition first.");
        }
        var (stack, stackError) = Layers.Normalize(c.LayerStack);
        if (stackError is not null)
        {
            return Reject(MaskRscDfn, MaskCrt, FailInvldLayerStack, $"Invalid layer stack for resource definition '{c.Name}'.", stackError, "Use for example DRBD,STORAGE.");
        }
        if (Props.Validate(PropsChange.Of(c.Props)) is { } propsError)
        {
            return Reject(MaskRscDfn, MaskCrt, FailInvldProp, $"Invalid property for resource definition '{c.Name}'.", propsError, "Use keys of the form 'Namespace/Key'.");
        }
        var peerSlots = c.PeerSlots ?? NumberPools.DefaultPeerSlots;
        if (peerSlots is < 1 or > NumberPools.MaxPeerSlots)
        {
            return Reject(MaskRscDfn, MaskCrt, FailInvldRequest, $"Invalid peer slot count {peerSlots} for resource definition '{c.Name}'.", $"DRBD supports 1 to {NumberPools.MaxPeerSlots} peer slots.", "Give a value in that range.");
        }
        var transport = string.IsNullOrWhiteSpace(c.TransportType) ? "IP" : c.TransportType.Trim().ToUpperInvariant();
        if (transport is not ("IP" or "RDMA" or "TCP"))
        {
            return Reject(MaskRscDfn, MaskCrt, FailInvldRequest, $"Invalid DRBD transport '{c.TransportType}' for resource definition '{c.Name}'.", "DRBD transports are IP (tcp) and RDMA.", "Use IP or RDMA.");
        }

        var changes = new Changes(state, context.NowMs);
        var uuid = context.NewUuid;
        changes.Emit(new ResourceDefinitionCreated(
            c.Name, uuid, string.IsNullOrWhiteSpace(c.ExternalName) ? null : c.ExternalName, c.ResourceGroup, stack!,
            c.Props.WithComparers(StringComparer.Ordinal), peerSlots,
            string.IsNullOrEmpty(c.Secret) ? ResourceProcess.SecretFor(uuid) : c.Secret, transport, context.NowMs));
        changes.Messages.Add(ApiCallRc.Success(MaskRscDfn, MaskCrt, Created, $"New resource definition '{c.Name}' created.", $"Resource definition '{c.Name}' UUID is: {uuid}").WithRef("RscDfn", c.Name));
        if (AddVolumes(changes, c.Volumes, MaskRscDfn) is { } volumeError)
        {
            return volumeError;
        }
        if (AddReplicaSpecs(changes, c.Replicas, existingIsOk: false) is { } replicaError)
        {
            return replicaError;
        }
        if (!c.Replicas.IsEmpty)
        {
            AutoMagic(changes, c.Policy, excludeFromTiebreaker: null);
        }
        StartOperation(changes, c.Replicas.IsEmpty ? $"creating '{c.Name}'" : $"spawning '{c.Name}'", c.Policy, createdDefinition: true, [], []);
        return changes.Accept();
    }

    private static Decision<IResourceEvent> DecideModify(ResourceDefinitionState state, ModifyResourceDefinition c)
    {
        if (Props.Validate(c.Props) is { } propsError)
        {
            return Reject(MaskRscDfn, MaskMod, FailInvldProp, $"Invalid property change for resource definition '{state.Name}'.", propsError, "Use keys of the form 'Namespace/Key'.");
        }
        ImmutableList<string> stack = state.LayerStack;
        if (c.LayerStack is { Count: > 0 })
        {
            var (normalized, stackError) = Layers.Normalize(c.LayerStack);
            if (stackError is not null)
            {
                return Reject(MaskRscDfn, MaskMod, FailInvldLayerStack, $"Invalid layer stack for resource definition '{state.Name}'.", stackError, "Use for example DRBD,STORAGE.");
            }
            if (!normalized!.SequenceEqual(state.LayerStack) && !state.Replicas.IsEmpty)
            {
                return Reject(MaskRscDfn, MaskMod, FailInvldLayerStack, $"The layer stack of '{state.Name}' cannot change while it has replicas.", $"It has {state.Replicas.Count} replica(s).", "Delete the replicas first, or create a new resource definition.");
            }
            stack = normalized!;
        }
        var peerSlots = c.PeerSlots ?? state.PeerSlots;
        if (peerSlots is < 1 or > NumberPools.MaxPeerSlots || peerSlots + 1 < state.Replicas.Count)
        {
            return Reject(MaskRscDfn, MaskMod, FailInsufficientPeerSlots, $"Invalid peer slot count {peerSlots} for resource definition '{state.Name}'.", $"It must be 1 to {NumberPools.MaxPeerSlots} and leave room for the {state.Replicas.Count} replica(s).", "Give a larger value.");
        }
        var changes = new Changes(state);
        var group = c.ResourceGroup ?? state.ResourceGroup;
        if (!stack.SequenceEqual(state.LayerStack) || peerSlots != state.PeerSlots || group != state.ResourceGroup)
        {
            changes.Emit(new ResourceDefinitionModified(stack, peerSlots, group));
        }
        var change = c.Props;
        if (change.Override.ContainsKey(Quorum.QuorumPolicy.QuorumProp) && state.Props.ContainsKey(Quorum.QuorumPolicy.QuorumSetByProp))
        {
            // The user takes over the quorum setting from auto-quorum.
            change = change with { Delete = change.Delete.Add(Quorum.QuorumPolicy.QuorumSetByProp) };
        }
        if (!Props.IsNoop(state.Props, change))
        {
            changes.Emit(new ResourceDefinitionPropsChanged(change));
        }
        if (!state.Replicas.IsEmpty)
        {
            // Auto-quorum follows replicas; a definition without any gets no quorum props yet.
            AutoQuorumOnly(changes, c.Policy);
        }
        changes.Messages.Add(ApiCallRc.Success(MaskRscDfn, MaskMod, Modified, $"Resource definition '{state.Name}' modified.").WithRef("RscDfn", state.Name));
        return changes.Accept();
    }

    private static Decision<IResourceEvent> DecideDelete(ResourceDefinitionState state)
    {
        var releases = AllReleases(state);
        return Decision<IResourceEvent>.Accept(
            new ResourceDefinitionDeleted(releases),
            ApiCallRc.Success(MaskRscDfn, MaskDel, Deleted, $"Resource definition '{state.Name}' deleted.", $"Resource definition '{state.Name}' UUID was: {state.Uuid}").WithRef("RscDfn", state.Name));
    }

    private static Decision<IResourceEvent> DecideCreateVolumes(ResourceDefinitionState state, CreateVolumeDefinitions c, DecideContext context)
    {
        var changes = new Changes(state);
        if (AddVolumes(changes, c.Volumes, MaskVlmDfn) is { } error)
        {
            return error;
        }
        StartOperation(changes, $"adding volumes to '{state.Name}'", c.Policy, createdDefinition: false, [], changes.State.VolumeDefinitions.Keys.Except(state.VolumeDefinitions.Keys).ToImmutableList());
        return changes.Accept();
    }

    private static Decision<IResourceEvent> DecideModifyVolume(ResourceDefinitionState state, ModifyVolumeDefinition c)
    {
        if (!state.VolumeDefinitions.TryGetValue(c.VolumeNumber, out var volume))
        {
            return Decision<IResourceEvent>.Reject(VolumeDefinitionNotFound(state.Name, c.VolumeNumber, MaskMod));
        }
        var size = c.SizeKiB ?? volume.SizeKiB;
        if (size <= 0)
        {
            return Reject(MaskVlmDfn, MaskMod, FailInvldVlmSize, $"Invalid size {size} KiB for volume {c.VolumeNumber} of '{state.Name}'.", "A volume needs a positive size.", "Give size_kib greater than 0.");
        }
        if (size < volume.SizeKiB && !state.Replicas.IsEmpty)
        {
            return Reject(MaskVlmDfn, MaskMod, FailInvldVlmSize, $"Volume {c.VolumeNumber} of '{state.Name}' cannot shrink from {volume.SizeKiB} KiB to {size} KiB.", "Deployed volumes can only grow; DRBD does not shrink.", "Give a size of at least the current one, or delete the replicas first.");
        }
        if (Props.Validate(c.Props) is { } propsError)
        {
            return Reject(MaskVlmDfn, MaskMod, FailInvldProp, $"Invalid property change for volume {c.VolumeNumber} of '{state.Name}'.", propsError, "Use keys of the form 'Namespace/Key'.");
        }
        var flags = volume.Flags;
        foreach (var flag in c.Flags)
        {
            var name = flag.TrimStart('-').ToUpperInvariant();
            if (name != "GROSS_SIZE")
            {
                return Reject(MaskVlmDfn, MaskMod, FailInvldRequest, $"'{flag}' is not a volume definition flag.", "The only flag that can be set is GROSS_SIZE.", "Give GROSS_SIZE, or -GROSS_SIZE to remove it.");
            }
            flags = flag.StartsWith('-') ? flags.Remove(name) : flags.Contains(name) ? flags : flags.Add(name);
        }
        if (size == volume.SizeKiB && flags.SequenceEqual(volume.Flags) && Props.IsNoop(volume.Props, c.Props))
        {
            return Decision<IResourceEvent>.Nothing(ApiCallRc.Info(MaskVlmDfn, MaskMod, InfoNoop, $"Volume {c.VolumeNumber} of '{state.Name}' already is as requested."));
        }
        return Decision<IResourceEvent>.Accept(
            new VolumeDefinitionModified(c.VolumeNumber, size, flags, c.Props),
            ApiCallRc.Success(MaskVlmDfn, MaskMod, Modified, $"Volume definition {c.VolumeNumber} of resource definition '{state.Name}' modified.").WithRef("RscDfn", state.Name).WithRef("VlmNr", c.VolumeNumber.ToString()));
    }

    private static Decision<IResourceEvent> DecideDeleteVolume(ResourceDefinitionState state, DeleteVolumeDefinition c)
    {
        if (!state.VolumeDefinitions.ContainsKey(c.VolumeNumber))
        {
            return Decision<IResourceEvent>.Reject(VolumeDefinitionNotFound(state.Name, c.VolumeNumber, MaskDel));
        }
        return Decision<IResourceEvent>.Accept(
            new VolumeDefinitionDeleted(c.VolumeNumber, state.MinorRelease(c.VolumeNumber)),
            ApiCallRc.Success(MaskVlmDfn, MaskDel, Deleted, $"Volume definition {c.VolumeNumber} of resource definition '{state.Name}' deleted.").WithRef("RscDfn", state.Name).WithRef("VlmNr", c.VolumeNumber.ToString()));
    }

    /// <summary>Adds volume definitions, checking numbers, sizes and explicit minors.</summary>
    private static Decision<IResourceEvent>? AddVolumes(Changes changes, ImmutableList<VolumeDefinitionSpec> specs, long objectMask)
    {
        var name = changes.State.Name;
        foreach (var spec in specs)
        {
            var number = spec.VolumeNumber ?? Enumerable.Range(0, MaxVolumeNumber + 1).First(n => !changes.State.VolumeDefinitions.ContainsKey(n));
            if (number is < 0 or > MaxVolumeNumber)
            {
                return Reject(MaskVlmDfn, MaskCrt, FailInvldVlmNr, $"Invalid volume number {number} for '{name}'.", $"Volume numbers range from 0 to {MaxVolumeNumber}.", "Give a number in that range, or leave it out.");
            }
            if (changes.State.VolumeDefinitions.ContainsKey(number))
            {
                return Reject(MaskVlmDfn, MaskCrt, FailExistsVlmDfn, $"Resource definition '{name}' already has volume {number}.", "Volume numbers are unique within a resource definition.", "Choose another number, or leave it out to take the next free one.");
            }
            if (spec.SizeKiB <= 0)
            {
                return Reject(MaskVlmDfn, MaskCrt, FailInvldVlmSize, $"Invalid size {spec.SizeKiB} KiB for volume {number} of '{name}'.", "A volume needs a positive size.", "Give size_kib greater than 0.");
            }
            if (spec.Minor is < 0 or > NumberPools.MaxMinor)
            {
                return Reject(MaskVlmDfn, MaskCrt, FailInvldMinorNr, $"Invalid minor number {spec.Minor} for volume {number} of '{name}'.", $"DRBD minors range from 0 to {NumberPools.MaxMinor}.", "Leave the minor out to have one assigned.");
            }
            if (Props.Validate(PropsChange.Of(spec.Props)) is { } propsError)
            {
                return Reject(MaskVlmDfn, MaskCrt, FailInvldProp, $"Invalid property for volume {number} of '{name}'.", propsError, "Use keys of the form 'Namespace/Key'.");
            }
            if (spec.Flags.FirstOrDefault(f => !string.Equals(f, "GROSS_SIZE", StringComparison.OrdinalIgnoreCase)) is { } badFlag)
            {
                return Reject(MaskVlmDfn, MaskCrt, FailInvldRequest, $"'{badFlag}' is not a volume definition flag.", "The only flag that can be set is GROSS_SIZE.", "Leave the flag out.");
            }
            var uuid = ResourceProcess.Derive(changes.State.Uuid, $"vd/{number}/{changes.Events.Count}");
            changes.Emit(new VolumeDefinitionCreated(new VolumeDefinition(number, uuid, spec.SizeKiB, spec.Props.WithComparers(StringComparer.Ordinal), spec.Flags.Select(f => f.ToUpperInvariant()).ToImmutableList(), null, spec.Minor)));
            changes.Messages.Add(ApiCallRc.Success(MaskVlmDfn, MaskCrt, Created, $"New volume definition with number '{number}' of resource definition '{name}' created.").WithRef("RscDfn", name).WithRef("VlmNr", number.ToString()));
        }
        return null;
    }

    /// <summary>Every number the definition may hold, to give back when it goes (releasing what is not held is harmless).</summary>
    private static ImmutableList<PendingRelease> AllReleases(ResourceDefinitionState state) =>
        state.VolumeDefinitions.Keys.Select(state.MinorRelease)
            .Concat(state.Replicas.Keys.Select(state.PortRelease))
            .ToImmutableList();

    private static Decision<IResourceEvent> Reject(long objectMask, long op, long code, string message, string cause, string correction) =>
        Decision<IResourceEvent>.Reject(ApiCallRc.Error(objectMask, op, code, message, cause, correction));
}
