using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Api;
using Fabric.Core.Naming;
using Fabric.Core.Properties;
using static Fabric.Core.Api.ApiConsts;

namespace Fabric.Core.Aggregates.Resources;

public sealed partial class ResourceAggregate
{
    /// <summary>LINSTOR's resource prop naming a replica's storage pool; toggle-disk records the pool it moved to there.</summary>
    public const string StorPoolNameProp = "StorPoolName";

    /// <summary>
    /// Toggle-disk. Refusals change nothing: an unknown replica; a replica already in the requested
    /// state (a warning, as in LINSTOR); into diskless: no DRBD in the stack (only DRBD can serve a
    /// diskless replica), no other diskful replica on an online node, a target pool that is not
    /// DISKLESS; into diskful: a target pool that is missing on the node or DISKLESS. A tiebreaker
    /// that gets a disk stops being one. Afterwards auto-tiebreaker and auto-quorum run as after any
    /// replica change: a new diskless replica may make the tiebreaker superfluous, a new diskful one
    /// may call for one (which needs a port: then the change is an operation).
    /// </summary>
    private static Decision<IResourceEvent> DecideToggleDisk(ResourceDefinitionState state, ToggleDisk c, DecideContext context)
    {
        var nodeKey = Names.Key(c.NodeName);
        if (!state.Replicas.TryGetValue(nodeKey, out var replica))
        {
            return Decision<IResourceEvent>.Reject(ReplicaNotFound(state.Name, c.NodeName, MaskMod));
        }
        var what = $"Resource '{state.Name}' on node '{replica.NodeName}'";
        if (c.Diskful && !replica.IsDiskless)
        {
            return Decision<IResourceEvent>.Nothing(Referenced(ApiCallRc.Warning(
                MaskRsc, MaskMod, WarnRscAlreadyHasDisk,
                $"{what} already has a disk (storage pool '{replica.StoragePool}').",
                "Toggle-disk into diskful only applies to a diskless replica.",
                "Nothing to do; to move the replica to another pool, delete it and create it there."), state, replica));
        }
        if (!c.Diskful && replica.IsDiskless)
        {
            return Decision<IResourceEvent>.Nothing(Referenced(ApiCallRc.Warning(
                MaskRsc, MaskMod, WarnRscAlreadyDiskless,
                $"{what} is already diskless.",
                "Toggle-disk into diskless only applies to a replica with a disk.",
                "Nothing to do."), state, replica));
        }
        if (ToggleRefusal(state, replica, c) is { } refusal)
        {
            return Decision<IResourceEvent>.Reject(Referenced(refusal, state, replica));
        }

        var changes = new Changes(state, context.NowMs);
        var flags = c.Diskful
            ? replica.Flags & ~ResourceFlags.TieBreaker
            : (replica.Flags & ~ResourceFlags.TieBreaker) | ResourceFlags.DrbdDiskless;
        changes.Emit(new ReplicaDiskToggled(nodeKey, flags, c.StoragePool));
        var poolProp = PropsChange.Of(new Dictionary<string, string> { [StorPoolNameProp] = c.StoragePool });
        if (!Props.IsNoop(replica.Props, poolProp))
        {
            changes.Emit(new ReplicaPropsChanged(nodeKey, poolProp));
        }
        changes.Messages.Add(Referenced(c.Diskful
            ? ApiCallRc.Success(MaskRsc, MaskMod, Modified, $"Addition of disk to resource '{state.Name}' on node '{replica.NodeName}' registered (storage pool '{c.StoragePool}').",
                replica.IsTieBreaker ? "The replica was the resource's tiebreaker; with a disk it is a regular replica." : "The node agent creates the backing volume and DRBD meta-data, attaches it and resyncs from a peer.")
            : ApiCallRc.Success(MaskRsc, MaskMod, Modified, $"Removal of disk from resource '{state.Name}' on node '{replica.NodeName}' registered.",
                "The node agent detaches the disk (the replica stays a diskless DRBD client) and deletes the backing volume."), state, replica));
        AutoMagic(changes, c.Policy, excludeFromTiebreaker: null);
        var added = changes.State.Replicas.Keys.Except(state.Replicas.Keys).ToImmutableList();
        StartOperation(changes, $"adding a tiebreaker to '{state.Name}'", c.Policy, createdDefinition: false, added, []);
        return changes.Accept();
    }

    private static ApiCallRc? ToggleRefusal(ResourceDefinitionState state, Replica replica, ToggleDisk c)
    {
        var what = $"resource '{state.Name}' on node '{replica.NodeName}'";
        if (!c.Diskful)
        {
            if (!state.LayerStack.Contains(Layers.Drbd))
            {
                return ApiCallRc.Error(MaskRsc, MaskMod, FailInvldLayerStack,
                    $"Cannot make {what} diskless: toggle-disk is only supported with DRBD.",
                    $"The layer stack of '{state.Name}' is {string.Join(",", state.LayerStack)}; without DRBD a replica without a disk has no data at all.",
                    "Delete the replica instead, or use a resource definition with DRBD in its layer stack.");
            }
            var online = c.OnlineNodes.ToHashSet(StringComparer.Ordinal);
            var otherDisks = state.Replicas.Where(r => r.Key != Names.Key(replica.NodeName) && !r.Value.IsDiskless).ToList();
            if (!otherDisks.Any(r => online.Contains(r.Key)))
            {
                return ApiCallRc.Error(MaskRsc, MaskMod, FailInsufficientReplicaCount,
                    $"Cannot remove the disk from {what}: no other replica with a disk is online.",
                    otherDisks.Count == 0
                        ? "It is the only replica that holds the data."
                        : $"The other replicas with a disk ({string.Join(", ", otherDisks.Select(r => $"'{r.Value.NodeName}'"))}) are on nodes that are offline.",
                    "Add a diskful replica first (or bring its node online), then toggle this one.");
            }
            if (c.StoragePoolKind is null)
            {
                return NodeAggregate.StoragePoolNotFound(replica.NodeName, c.StoragePool, MaskMod);
            }
            if (c.StoragePoolKind != ProviderKind.Diskless)
            {
                return ApiCallRc.Error(MaskRsc, MaskMod, FailInvldStorPoolName,
                    $"Cannot make {what} diskless in storage pool '{c.StoragePool}': that pool has backing storage.",
                    $"Storage pool '{c.StoragePool}' on node '{replica.NodeName}' is of kind {c.StoragePoolKind.Value.ToApi()}, not DISKLESS.",
                    $"Name a DISKLESS pool ({NodeAggregate.DefaultDisklessPool}), or leave the pool out.");
            }
            return null;
        }
        if (c.StoragePoolKind is null)
        {
            return NodeAggregate.StoragePoolNotFound(replica.NodeName, c.StoragePool, MaskMod);
        }
        if (c.StoragePoolKind == ProviderKind.Diskless)
        {
            return ApiCallRc.Error(MaskRsc, MaskMod, FailInvldStorPoolName,
                $"Cannot give {what} a disk in storage pool '{c.StoragePool}': that pool is DISKLESS.",
                "A diskful replica needs a pool with backing storage (LVM, LVM_THIN, ZFS, FILE, ...).",
                $"Name a storage pool with storage on node '{replica.NodeName}' (GET /v1/nodes/{replica.NodeName}/storage-pools).");
        }
        return null;
    }

    private static ApiCallRc Referenced(ApiCallRc rc, ResourceDefinitionState state, Replica replica) => rc.WithRef("RscDfn", state.Name).WithRef("Node", replica.NodeName);
}
