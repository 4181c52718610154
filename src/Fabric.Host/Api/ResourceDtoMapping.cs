using System.Globalization;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Api;
using Fabric.Core.Naming;
using Fabric.Core.Properties;
using Fabric.Core.Protocol;
using Fabric.Core.Views;
using Fabric.Host.Api.Contracts;

namespace Fabric.Host.Api;

/// <summary>
/// Resource definitions, volume definitions, resources and volumes to LINSTOR's REST shapes.
/// Observed state (resource and volume <c>state</c>, device paths of storage-only volumes, allocated
/// and usable sizes, failures as volume reports) comes from what the node's agent reported to this
/// controller; while the node is offline it is absent, as LINSTOR omits it for an unreachable
/// satellite (clients show "Unknown").
/// </summary>
public static class ResourceDtoMapping
{
    /// <summary>DRBD's activity-log defaults, which LINSTOR reports for every DRBD resource.</summary>
    public const int AlStripes = 1;
    public const long AlStripeSizeKib = 32;

    public static string DevicePath(int minor) => $"/dev/drbd{minor.ToString(CultureInfo.InvariantCulture)}";

    public static ResourceDefinitionDto ToDto(this ResourceDefinitionState rd, bool withVolumeDefinitions) => new()
    {
        Name = rd.Name,
        ExternalName = rd.ExternalName,
        Props = rd.Props,
        Uuid = rd.Uuid.ToString(),
        ResourceGroupName = rd.ResourceGroup,
        LayerData = rd.LayerStack.Select(layer => new ResourceDefinitionLayerDto
        {
            Type = layer,
            Data = layer == Layers.Drbd ? DrbdDefinition(rd, port: null) : null,
        }).ToList(),
        VolumeDefinitions = withVolumeDefinitions ? rd.VolumeDefinitions.Values.Select(v => v.ToDto(rd)).ToList() : null,
    };

    public static VolumeDefinitionDto ToDto(this VolumeDefinition vd, ResourceDefinitionState rd) => new()
    {
        VolumeNumber = vd.VolumeNumber,
        SizeKib = vd.SizeKiB,
        Props = vd.Props,
        Flags = vd.Flags,
        Uuid = vd.Uuid.ToString(),
        LayerData = rd.LayerStack.Select(layer => new VolumeDefinitionLayerDto
        {
            Type = layer,
            Data = layer == Layers.Drbd ? new DrbdVolumeDefinitionDto { VolumeNumber = vd.VolumeNumber, MinorNumber = vd.Minor } : null,
        }).ToList(),
    };

    /// <summary>A replica as LINSTOR's Resource, or ResourceWithVolumes when <paramref name="withVolumes"/>.</summary>
    /// <param name="observed">What the node's agent reports for this replica (null when its node is offline or nothing was reported).</param>
    public static ResourceDto ToDto(this Replica replica, ResourceDefinitionState rd, ReadModel model, bool withVolumes, ObservedResource? observed = null)
    {
        var node = model.Node(Names.Key(replica.NodeName));
        observed = ObservedFor(rd, observed);
        var volumes = withVolumes ? rd.VolumeDefinitions.Values.Select(vd => replica.ToVolumeDto(vd, rd, node, observed)).ToList() : null;
        return new ResourceDto
        {
            Name = rd.Name,
            NodeName = replica.NodeName,
            Props = replica.Props,
            EffectiveProps = EffectivePropsOf(replica, rd, model, node),
            Flags = ResourceFlags.ToNames(replica.Flags),
            LayerObject = LayerObject(replica, rd, observed),
            State = observed is null ? null : new ResourceStateDto { InUse = observed.Drbd?.InUse ?? false },
            Uuid = replica.Uuid.ToString(),
            CreateTimestamp = replica.CreatedAtMs,
            Volumes = volumes,
            SharedName = withVolumes && !rd.VolumeDefinitions.IsEmpty ? PoolOf(replica, node)?.SharedSpace : null,
        };
    }

    public static VolumeDto ToVolumeDto(this Replica replica, VolumeDefinition vd, ResourceDefinitionState rd, NodeState? node, ObservedResource? observed = null)
    {
        var pool = PoolOf(replica, node);
        observed = ObservedFor(rd, observed);
        var seen = observed?.Volumes.FirstOrDefault(v => v.VolumeNumber == vd.VolumeNumber);
        var layers = new List<VolumeLayerDto>();
        foreach (var layer in rd.LayerStack)
        {
            object? data = layer switch
            {
                Layers.Drbd => DrbdVolume(vd, seen),
                Layers.Storage => StorageVolume(vd.VolumeNumber, seen, replica.IsDiskless),
                _ => null,
            };
            layers.Add(new VolumeLayerDto { Type = layer, Data = data });
        }
        var isDrbd = rd.LayerStack.Contains(Layers.Drbd);
        return new VolumeDto
        {
            VolumeNumber = vd.VolumeNumber,
            StoragePoolName = replica.StoragePool,
            ProviderKind = pool?.Kind.ToApi() ?? (replica.IsDiskless ? ProviderKind.Diskless.ToApi() : null),
            DevicePath = isDrbd && vd.Minor is { } minor ? DevicePath(minor) : seen?.DevicePath,
            AllocatedSizeKib = seen is { DevicePath: not null } ? seen.AllocatedKiB : null,
            UsableSizeKib = seen is { DevicePath: not null } ? seen.UsableKiB : null,
            State = seen is null ? null : new VolumeStateDto
            {
                DiskState = seen.DiskState,
                ReplicationStates = seen.Replication is { Count: > 0 } replication
                    ? replication.ToDictionary(r => r.PeerNode, r => new ReplicationStateDto { ReplicationState = r.ReplicationState, DonePercentage = r.DonePercent }, StringComparer.Ordinal)
                    : null,
            },
            Reports = seen?.Error is { } error ? [ErrorOf(error, rd.Name, replica.NodeName, vd.VolumeNumber)] : null,
            Props = replica.VolumeProps.GetValueOrDefault(vd.VolumeNumber),
            Uuid = Fabric.Core.Aggregates.Resources.ResourceProcess.Derive(replica.Uuid, $"vlm/{vd.VolumeNumber}").ToString(),
            LayerDataList = layers,
        };
    }

    /// <summary>Props in force on a replica: resource, definition, group, node, controller (first wins).</summary>
    public static Dictionary<string, EffectivePropertyDto> EffectivePropsOf(Replica replica, ResourceDefinitionState rd, ReadModel model, NodeState? node)
    {
        var group = model.ResourceGroup(Names.Key(rd.ResourceGroup));
        var resolved = EffectiveProps.Resolve(
        [
            new PropsLevel(EffectiveProps.Resource, $"Resource '{rd.Name}' on node '{replica.NodeName}'", replica.Props),
            new PropsLevel(EffectiveProps.ResourceDefinition, $"Resource definition '{rd.Name}'", rd.Props),
            new PropsLevel(EffectiveProps.ResourceGroup, $"Resource group '{group?.Name ?? rd.ResourceGroup}'", group?.Props ?? Props.Empty),
            new PropsLevel(EffectiveProps.Node, $"Node '{node?.Name ?? replica.NodeName}'", node?.Props ?? Props.Empty),
            new PropsLevel(EffectiveProps.Controller, "Controller", model.Controller.State.Props),
        ]);
        return resolved.ToDictionary(
            kv => kv.Key,
            kv => new EffectivePropertyDto
            {
                Type = kv.Value.Active.Type,
                Value = kv.Value.Active.Value,
                Descr = kv.Value.Active.Description,
                Other = kv.Value.Overridden.Select(o => new PropertyWithDescriptionDto { Type = o.Type, Value = o.Value, Descr = o.Description }).ToList(),
            },
            StringComparer.Ordinal);
    }

    /// <summary>An observation counts only for this incarnation of the definition (not a deleted namesake).</summary>
    private static ObservedResource? ObservedFor(ResourceDefinitionState rd, ObservedResource? observed) =>
        observed is not null && observed.DefinitionUuid == rd.Uuid ? observed : null;

    /// <summary>
    /// The storage layer's volume: with DRBD on top, the backing device and its size. A diskless
    /// replica has none ("Diskless"); one still reported after a toggle into diskless is "Deleting".
    /// </summary>
    private static StorageVolumeDto StorageVolume(int volumeNumber, ObservedVolume? seen, bool diskless)
    {
        var device = seen?.BackingDevice ?? (seen?.BackingUsableKiB is null ? seen?.DevicePath : null);
        var drbdOnTop = seen?.BackingUsableKiB is not null;
        return new StorageVolumeDto
        {
            VolumeNumber = volumeNumber,
            DevicePath = device,
            AllocatedSizeKib = device is not null ? seen!.AllocatedKiB : null,
            UsableSizeKib = device is not null ? seen!.BackingUsableKiB ?? seen.UsableKiB : null,
            DiskState = seen is null ? null
                : !drbdOnTop ? seen.DiskState
                : diskless ? (device is null ? "Diskless" : "Deleting")
                : device is null ? "Creating" : "UpToDate",
        };
    }

    /// <summary>A failing volume's report, as LINSTOR shows satellite errors on a volume.</summary>
    private static ApiCallRcDto ErrorOf(ObservedError error, string resource, string node, int volumeNumber)
    {
        var retry = error.NextRetryMs is { } next
            ? $" Attempt {error.Attempts} failed; the agent retries at {DateTimeOffset.FromUnixTimeMilliseconds(next):O}."
            : $" Attempt {error.Attempts} failed; the agent retries when the desired state changes.";
        return new ApiCallRcDto
        {
            RetCode = ApiConsts.MaskError | ApiConsts.MaskVlm | ApiConsts.FailUnknownError,
            Message = error.Message,
            Cause = error.Cause,
            Correction = (error.Correction ?? string.Empty) + retry,
            ErrorReportIds = error.ErrorReportId is null ? null : [error.ErrorReportId],
            ObjRefs = new Dictionary<string, string> { ["RscDfn"] = resource, ["Node"] = node, ["VlmNr"] = volumeNumber.ToString(CultureInfo.InvariantCulture) },
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(error.SinceMs).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
        };
    }

    private static StoragePool? PoolOf(Replica replica, NodeState? node) =>
        node is not null && node.StoragePools.TryGetValue(Names.Key(replica.StoragePool), out var pool) ? pool : null;

    private static DrbdResourceDefinitionLayerDto DrbdDefinition(ResourceDefinitionState rd, int? port) => new()
    {
        ResourceNameSuffix = string.Empty,
        PeerSlots = rd.PeerSlots,
        AlStripes = AlStripes,
        AlStripeSizeKib = AlStripeSizeKib,
        Port = port,
        TransportType = rd.TransportType,
        Secret = rd.Secret,
        Down = false,
    };

    private static DrbdVolumeDto DrbdVolume(VolumeDefinition vd, ObservedVolume? seen = null) => new()
    {
        DrbdVolumeDefinition = new DrbdVolumeDefinitionDto { ResourceNameSuffix = string.Empty, VolumeNumber = vd.VolumeNumber, MinorNumber = vd.Minor },
        DevicePath = vd.Minor is { } minor ? DevicePath(minor) : null,
        BackingDevice = seen?.BackingDevice,
        MetaDisk = seen?.BackingDevice is null ? null : "internal",
        AllocatedSizeKib = seen?.BackingDevice is null ? null : seen.AllocatedKiB,
        UsableSizeKib = seen?.BackingUsableKiB is null ? null : seen.UsableKiB,
        DiskState = seen?.BackingUsableKiB is null && seen?.Replication is null ? null : seen?.DiskState,
    };

    /// <summary>The layer tree of one replica, from the definition's stack (top layer first).</summary>
    private static ResourceLayerDto? LayerObject(Replica replica, ResourceDefinitionState rd, ObservedResource? observed)
    {
        ResourceLayerDto? child = null;
        foreach (var layer in rd.LayerStack.Reverse())
        {
            var current = new ResourceLayerDto
            {
                Type = layer,
                ResourceNameSuffix = string.Empty,
                Children = child is null ? null : [child],
                Drbd = layer == Layers.Drbd ? new DrbdResourceDto
                {
                    DrbdResourceDefinition = DrbdDefinition(rd, replica.Port),
                    NodeId = replica.NodeId,
                    TcpPorts = replica.Port is { } port ? [port] : null,
                    PeerSlots = rd.PeerSlots,
                    AlStripes = AlStripes,
                    AlSize = AlStripeSizeKib,
                    DrbdVolumes = rd.VolumeDefinitions.Values.Select(vd => DrbdVolume(vd, observed?.Volumes.FirstOrDefault(v => v.VolumeNumber == vd.VolumeNumber))).ToList(),
                    Connections = observed?.Drbd?.Connections.ToDictionary(c => c.PeerNode, c => new DrbdConnectionDto { Connected = c.Connected, Message = c.State }, StringComparer.Ordinal),
                    PromotionScore = observed?.Drbd?.PromotionScore,
                    MayPromote = observed?.Drbd?.MayPromote,
                } : null,
                Storage = layer == Layers.Storage ? new StorageResourceDto
                {
                    StorageVolumes = rd.VolumeDefinitions.Values.Select(vd => StorageVolume(vd.VolumeNumber, observed?.Volumes.FirstOrDefault(v => v.VolumeNumber == vd.VolumeNumber), replica.IsDiskless)).ToList(),
                } : null,
            };
            child = current;
        }
        return child;
    }
}
