using System.Collections.Immutable;
using Fabric.Core.Api;
using Fabric.Core.Naming;
using Fabric.Core.Properties;
using static Fabric.Core.Api.ApiConsts;

namespace Fabric.Core.Aggregates.Resources;

/// <summary>
/// Pure decisions for a resource definition, its volume definitions and its replicas. Decisions
/// that span allocators record an operation first; <see cref="ResourceProcess"/> derives what the
/// entity still has to ask for, and the answers come back as <see cref="RecordAllocations"/>.
/// </summary>
public sealed partial class ResourceAggregate : IAggregate<ResourceDefinitionState, IResourceCommand, IResourceEvent>
{
    public static readonly ResourceAggregate Instance = new();

    public const int MaxVolumeNumber = 65534;

    public string Kind => "resource";

    public ResourceDefinitionState Initial(string entityId) => ResourceDefinitionState.Absent(entityId);

    public Decision<IResourceEvent> Decide(ResourceDefinitionState state, IResourceCommand command, DecideContext context) => command switch
    {
        RecordAllocations c => DecideRecord(state, c),
        FailOperation c => DecideFail(state, c),
        CreateResourceDefinition c => DecideCreate(state, c, context),
        _ when !state.Exists => Decision<IResourceEvent>.Reject(NotFound(state.Key, OpOf(command))),
        _ when state.Operation is not null => Decision<IResourceEvent>.Reject(Busy(state, OpOf(command))),
        ModifyResourceDefinition c => DecideModify(state, c),
        DeleteResourceDefinition => DecideDelete(state),
        CreateVolumeDefinitions c => DecideCreateVolumes(state, c, context),
        ModifyVolumeDefinition c => DecideModifyVolume(state, c),
        DeleteVolumeDefinition c => DecideDeleteVolume(state, c),
        AddReplicas c => DecideAddReplicas(state, c, context),
        ModifyReplica c => DecideModifyReplica(state, c),
        DeleteReplica c => DecideDeleteReplica(state, c, context),
        ModifyReplicaVolume c => DecideModifyReplicaVolume(state, c),
        ToggleDisk c => DecideToggleDisk(state, c, context),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "unknown resource command"),
    };

    public ResourceDefinitionState Apply(ResourceDefinitionState state, IResourceEvent @event) => @event switch
    {
        ResourceDefinitionCreated e => ResourceDefinitionState.Absent(state.Key) with
        {
            Exists = true,
            Name = e.Name,
            Uuid = e.Uuid,
            ExternalName = e.ExternalName,
            ResourceGroup = e.ResourceGroup,
            LayerStack = e.LayerStack,
            Props = e.Props.WithComparers(StringComparer.Ordinal),
            PeerSlots = e.PeerSlots,
            Secret = e.Secret,
            TransportType = e.TransportType,
            CreatedAtMs = e.CreatedAtMs,
            PendingReleases = state.PendingReleases,
        },
        ResourceDefinitionModified e => state with { LayerStack = e.LayerStack, PeerSlots = e.PeerSlots, ResourceGroup = e.ResourceGroup },
        ResourceDefinitionPropsChanged e => state with { Props = Props.Apply(state.Props, e.Change) },
        ResourceDefinitionDeleted e => ResourceDefinitionState.Absent(state.Key) with { PendingReleases = state.PendingReleases.AddRange(e.Releases.Where(r => !state.PendingReleases.Contains(r))) },
        VolumeDefinitionCreated e => state with { VolumeDefinitions = state.VolumeDefinitions.SetItem(e.Volume.VolumeNumber, e.Volume) },
        VolumeDefinitionModified e => WithVolume(state, e.VolumeNumber, v => v with { SizeKiB = e.SizeKiB, Flags = e.Flags, Props = Props.Apply(v.Props, e.Props) }),
        VolumeDefinitionDeleted e => state with
        {
            VolumeDefinitions = state.VolumeDefinitions.Remove(e.VolumeNumber),
            Replicas = state.Replicas.ToImmutableSortedDictionary(r => r.Key, r => r.Value with { VolumeProps = r.Value.VolumeProps.Remove(e.VolumeNumber) }, StringComparer.Ordinal),
            PendingReleases = AddRelease(state.PendingReleases, e.Release),
        },
        ReplicaCreated e => state with { Replicas = state.Replicas.SetItem(Names.Key(e.Replica.NodeName), e.Replica) },
        ReplicaFlagsChanged e => WithReplica(state, e.NodeKey, r => r with { Flags = e.Flags, StoragePool = e.StoragePool }),
        ReplicaDiskToggled e => WithReplica(state, e.NodeKey, r => r with { Flags = e.Flags, StoragePool = e.StoragePool }),
        ReplicaPropsChanged e => WithReplica(state, e.NodeKey, r => r with { Props = Props.Apply(r.Props, e.Change) }),
        ReplicaVolumePropsChanged e => WithReplica(state, e.NodeKey, r => r with
        {
            VolumeProps = r.VolumeProps.SetItem(e.VolumeNumber, Props.Apply(r.VolumeProps.GetValueOrDefault(e.VolumeNumber, Props.Empty), e.Change)),
        }),
        ReplicaDeleted e => state with { Replicas = state.Replicas.Remove(e.NodeKey), PendingReleases = AddRelease(state.PendingReleases, e.Release) },
        OperationStarted e => state with { Operation = e.Operation },
        MinorAssigned e => WithVolume(state, e.VolumeNumber, v => v with { Minor = e.Minor }),
        PortAssigned e => WithReplica(state, e.NodeKey, r => r with { Port = e.Port }),
        NumberGivenBack e => state with { PendingReleases = state.PendingReleases.Remove(e.Release) },
        OperationCompleted or OperationFailed => state with { Operation = null },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "unknown resource event"),
    };

    public static ApiCallRc NotFound(string name, long op) => ApiCallRc.Error(
        MaskRscDfn, op, FailNotFoundRscDfn,
        $"Resource definition '{name}' not found.",
        "No resource definition of that name exists.",
        "Check the name with GET /v1/resource-definitions.");

    public static ApiCallRc ReplicaNotFound(string resource, string node, long op) => ApiCallRc.Error(
        MaskRsc, op, FailNotFoundRsc,
        $"Resource '{resource}' not found on node '{node}'.",
        $"The resource definition '{resource}' has no replica on that node.",
        $"Check with GET /v1/resource-definitions/{resource}/resources.");

    public static ApiCallRc VolumeDefinitionNotFound(string resource, int volumeNumber, long op) => ApiCallRc.Error(
        MaskVlmDfn, op, FailNotFoundVlmDfn,
        $"Volume definition {volumeNumber} of resource definition '{resource}' not found.",
        "The resource definition has no volume with that number.",
        $"Check with GET /v1/resource-definitions/{resource}/volume-definitions.");

    private static ApiCallRc Busy(ResourceDefinitionState state, long op) => ApiCallRc.Error(
        MaskRscDfn, op, FailRscBusy,
        $"Resource definition '{state.Name}' is busy with another change ({state.Operation!.Description}).",
        "That change is still waiting for DRBD numbers from the allocators; it finishes or is undone on its own.",
        "Retry in a moment.");

    private static long OpOf(IResourceCommand command) => command switch
    {
        DeleteResourceDefinition or DeleteVolumeDefinition or DeleteReplica => MaskDel,
        CreateVolumeDefinitions or AddReplicas => MaskCrt,
        _ => MaskMod,
    };

    private static ImmutableList<PendingRelease> AddRelease(ImmutableList<PendingRelease> releases, PendingRelease? release) =>
        release is null || releases.Contains(release) ? releases : releases.Add(release);

    private static ResourceDefinitionState WithVolume(ResourceDefinitionState state, int volumeNumber, Func<VolumeDefinition, VolumeDefinition> change) =>
        state.VolumeDefinitions.TryGetValue(volumeNumber, out var v) ? state with { VolumeDefinitions = state.VolumeDefinitions.SetItem(volumeNumber, change(v)) } : state;

    private static ResourceDefinitionState WithReplica(ResourceDefinitionState state, string nodeKey, Func<Replica, Replica> change) =>
        state.Replicas.TryGetValue(nodeKey, out var r) ? state with { Replicas = state.Replicas.SetItem(nodeKey, change(r)) } : state;
}
