using System.Collections.Immutable;
using Fabric.Core.Aggregates.Allocators;
using Fabric.Core.Allocation;
using Fabric.Core.Api;
using Fabric.Core.Naming;
using Fabric.Core.Properties;
using Fabric.Core.Quorum;
using static Fabric.Core.Api.ApiConsts;

namespace Fabric.Core.Aggregates.Resources;

public sealed partial class ResourceAggregate
{
    private static Decision<IResourceEvent> DecideAddReplicas(ResourceDefinitionState state, AddReplicas c, DecideContext context)
    {
        var changes = new Changes(state, context.NowMs);
        if (AddReplicaSpecs(changes, c.Replicas, c.ExistingIsOk) is { } error)
        {
            return error;
        }
        AutoMagic(changes, c.Policy, excludeFromTiebreaker: null);
        var added = changes.State.Replicas.Keys.Except(state.Replicas.Keys).ToImmutableList();
        StartOperation(changes, $"adding replicas of '{state.Name}'", c.Policy, createdDefinition: false, added, []);
        return changes.Accept();
    }

    private static Decision<IResourceEvent> DecideModifyReplica(ResourceDefinitionState state, ModifyReplica c)
    {
        var nodeKey = Names.Key(c.NodeName);
        if (!state.Replicas.TryGetValue(nodeKey, out var replica))
        {
            return Decision<IResourceEvent>.Reject(ReplicaNotFound(state.Name, c.NodeName, MaskMod));
        }
        if (Props.Validate(c.Props) is { } propsError)
        {
            return Reject(MaskRsc, MaskMod, FailInvldProp, $"Invalid property change for resource '{state.Name}' on '{replica.NodeName}'.", propsError, "Use keys of the form 'Namespace/Key'.");
        }
        var message = ApiCallRc.Success(MaskRsc, MaskMod, Modified, $"Resource '{state.Name}' on node '{replica.NodeName}' modified.").WithRef("RscDfn", state.Name).WithRef("Node", replica.NodeName);
        return Props.IsNoop(replica.Props, c.Props)
            ? Decision<IResourceEvent>.Nothing(message)
            : Decision<IResourceEvent>.Accept(new ReplicaPropsChanged(nodeKey, c.Props), message);
    }

    private static Decision<IResourceEvent> DecideModifyReplicaVolume(ResourceDefinitionState state, ModifyReplicaVolume c)
    {
        var nodeKey = Names.Key(c.NodeName);
        if (!state.Replicas.TryGetValue(nodeKey, out var replica))
        {
            return Decision<IResourceEvent>.Reject(ReplicaNotFound(state.Name, c.NodeName, MaskMod));
        }
        if (!state.VolumeDefinitions.ContainsKey(c.VolumeNumber))
        {
            return Decision<IResourceEvent>.Reject(ApiCallRc.Error(MaskVlm, MaskMod, FailNotFoundVlm, $"Volume {c.VolumeNumber} of resource '{state.Name}' on '{replica.NodeName}' not found.", "The resource definition has no volume with that number.", $"Check with GET /v1/resource-definitions/{state.Name}/resources/{replica.NodeName}/volumes."));
        }
        if (Props.Validate(c.Props) is { } propsError)
        {
            return Reject(MaskVlm, MaskMod, FailInvldProp, $"Invalid property change for volume {c.VolumeNumber} of '{state.Name}' on '{replica.NodeName}'.", propsError, "Use keys of the form 'Namespace/Key'.");
        }
        return Decision<IResourceEvent>.Accept(
            new ReplicaVolumePropsChanged(nodeKey, c.VolumeNumber, c.Props),
            ApiCallRc.Success(MaskVlm, MaskMod, Modified, $"Volume {c.VolumeNumber} of resource '{state.Name}' on node '{replica.NodeName}' modified.").WithRef("RscDfn", state.Name).WithRef("Node", replica.NodeName));
    }

    private static Decision<IResourceEvent> DecideDeleteReplica(ResourceDefinitionState state, DeleteReplica c, DecideContext context)
    {
        var nodeKey = Names.Key(c.NodeName);
        if (!state.Replicas.TryGetValue(nodeKey, out var replica))
        {
            return Decision<IResourceEvent>.Reject(ReplicaNotFound(state.Name, c.NodeName, MaskDel));
        }
        var changes = new Changes(state, context.NowMs);
        var remaining = state.Replicas.Remove(nodeKey).Values.Select(ToQuorum).ToList();
        var tiebreakerWanted = c.Policy.Quorum.AutoTiebreaker && !remaining.Any(r => r.TieBreaker) && QuorumRules.TiebreakerWanted(remaining);
        if (c.KeepTiebreaker && !replica.IsDiskless && tiebreakerWanted)
        {
            changes.Emit(new ReplicaFlagsChanged(nodeKey, ResourceFlags.TieBreaker, Nodes.NodeAggregate.DefaultDisklessPool));
            changes.Messages.Add(ApiCallRc.Info(MaskRsc, MaskDel, InfoTieBreakerCreated, $"Resource '{state.Name}' on node '{replica.NodeName}' was turned into a diskless tiebreaker instead of being deleted.").WithRef("RscDfn", state.Name).WithRef("Node", replica.NodeName));
        }
        else
        {
            changes.Emit(new ReplicaDeleted(nodeKey, state.PortRelease(nodeKey)));
            changes.Messages.Add(ApiCallRc.Success(MaskRsc, MaskDel, Deleted, $"Resource '{state.Name}' on node '{replica.NodeName}' deleted.", $"Resource '{state.Name}' on node '{replica.NodeName}' UUID was: {replica.Uuid}").WithRef("RscDfn", state.Name).WithRef("Node", replica.NodeName));
        }
        AutoMagic(changes, c.Policy, excludeFromTiebreaker: nodeKey);
        var added = changes.State.Replicas.Keys.Except(state.Replicas.Keys).ToImmutableList();
        StartOperation(changes, $"replacing the tiebreaker of '{state.Name}'", c.Policy, createdDefinition: false, added, []);
        return changes.Accept();
    }

    /// <summary>Adds replicas with fresh node ids, checking nodes, peer slots and requested ids.</summary>
    private static Decision<IResourceEvent>? AddReplicaSpecs(Changes changes, ImmutableList<ReplicaSpec> specs, bool existingIsOk)
    {
        var name = changes.State.Name;
        foreach (var spec in specs)
        {
            if (Names.CheckNodeName(spec.NodeName) is { } nodeError)
            {
                return Reject(MaskRsc, MaskCrt, FailInvldNodeName, $"Invalid node name '{spec.NodeName}'.", nodeError, "Give the name of an existing node.");
            }
            var nodeKey = Names.Key(spec.NodeName);
            if (changes.State.Replicas.TryGetValue(nodeKey, out var existing))
            {
                if (existing.IsTieBreaker)
                {
                    // A replica requested where the tiebreaker sits takes it over.
                    var flags = spec.Diskless ? ResourceFlags.DrbdDiskless : 0;
                    changes.Emit(new ReplicaFlagsChanged(nodeKey, flags, spec.StoragePool));
                    changes.Messages.Add(ApiCallRc.Info(MaskRsc, MaskCrt, InfoTieBreakerTakeover, $"The tiebreaker of '{name}' on node '{existing.NodeName}' became a regular {(spec.Diskless ? "diskless" : "diskful")} replica.").WithRef("RscDfn", name).WithRef("Node", existing.NodeName));
                    continue;
                }
                if (existingIsOk)
                {
                    changes.Messages.Add(ApiCallRc.Info(MaskRsc, MaskCrt, InfoRscAlreadyExists, $"Resource '{name}' is already available on node '{existing.NodeName}'.").WithRef("RscDfn", name).WithRef("Node", existing.NodeName));
                    continue;
                }
                return Reject(MaskRsc, MaskCrt, FailExistsRsc, $"Resource '{name}' already exists on node '{existing.NodeName}'.", "A node holds at most one replica of a resource.", "Choose another node, or modify the existing replica.");
            }
            if (changes.State.Replicas.Count + 1 > changes.State.PeerSlots + 1)
            {
                return Reject(MaskRsc, MaskCrt, FailInsufficientPeerSlots, $"Resource '{name}' cannot have more than {changes.State.PeerSlots + 1} replicas.", $"Its DRBD metadata has {changes.State.PeerSlots} peer slots, one per other replica.", "Create the resource definition with more peer slots (drbd_peer_slots, or PeerSlots on its resource group).");
            }
            if (Props.Validate(PropsChange.Of(spec.Props)) is { } propsError)
            {
                return Reject(MaskRsc, MaskCrt, FailInvldProp, $"Invalid property for resource '{name}' on '{spec.NodeName}'.", propsError, "Use keys of the form 'Namespace/Key'.");
            }
            if (spec.Port is < 1 or > 65535)
            {
                return Reject(MaskRsc, MaskCrt, FailInvldTcpPort, $"Invalid TCP port {spec.Port} for resource '{name}' on '{spec.NodeName}'.", "TCP ports range from 1 to 65535.", "Leave the port out to have one assigned.");
            }
            var used = changes.State.Replicas.Values.Select(r => r.NodeId).ToHashSet();
            int nodeId;
            if (spec.NodeId is { } requested)
            {
                if (!NumberPools.NodeIds.Contains(requested) || used.Contains(requested))
                {
                    return Reject(MaskRsc, MaskCrt, FailInvldNodeId, $"DRBD node id {requested} is not available for resource '{name}'.", used.Contains(requested) ? "Another replica uses it." : "Node ids range from 0 to 31.", "Leave the node id out to have one assigned.");
                }
                nodeId = requested;
            }
            else if (changes.State.FreeNodeId() is { } free)
            {
                nodeId = free;
            }
            else
            {
                return Reject(MaskRsc, MaskCrt, FailPoolExhaustedNodeId, $"No DRBD node id is left for resource '{name}'.", "All 32 node ids (0-31) are in use.", "Delete a replica first.");
            }
            var uuid = ResourceProcess.Derive(changes.State.Uuid, $"rsc/{nodeKey}/{changes.Events.Count}");
            var replicaFlags = spec.Diskless ? ResourceFlags.DrbdDiskless : 0;
            changes.Emit(new ReplicaCreated(new Replica(spec.NodeName, uuid, nodeId, replicaFlags, spec.StoragePool, spec.Props.WithComparers(StringComparer.Ordinal), changes.NowMs, null, ImmutableSortedDictionary<int, ImmutableSortedDictionary<string, string>>.Empty, spec.Port)));
            changes.Messages.Add(ApiCallRc.Success(MaskRsc, MaskCrt, Created, $"Resource '{name}' successfully created on node '{spec.NodeName}'{(spec.Diskless ? " (diskless)" : $" in storage pool '{spec.StoragePool}'")}.").WithRef("RscDfn", name).WithRef("Node", spec.NodeName));
        }
        return null;
    }

    /// <summary>Auto-tiebreaker, then auto-quorum, over the replica set the changes lead to.</summary>
    private static void AutoMagic(Changes changes, ResourcePolicy policy, string? excludeFromTiebreaker)
    {
        var state = changes.State;
        var action = QuorumRules.Tiebreaker(state.Replicas.Values.Select(ToQuorum).ToList(), policy.Quorum);
        switch (action)
        {
            case TiebreakerAction.Add:
                var candidate = policy.TiebreakerCandidates.FirstOrDefault(t => !state.Replicas.ContainsKey(Names.Key(t.NodeName)) && Names.Key(t.NodeName) != excludeFromTiebreaker);
                if (candidate is null)
                {
                    changes.Messages.Add(ApiCallRc.Warning(MaskRscDfn, 0, WarnNotEnoughNodesForTieBreaker, $"Resource '{state.Name}' needs a diskless tiebreaker, but no other online node has a diskless pool.", "Its diskful replica count is even, so a lost link can leave no quorum.", "Add a node with a diskless pool, or add a diskless replica yourself."));
                    break;
                }
                var nodeKey = Names.Key(candidate.NodeName);
                if (state.FreeNodeId() is not { } nodeId || state.Replicas.Count + 1 > state.PeerSlots + 1)
                {
                    break;
                }
                var uuid = ResourceProcess.Derive(state.Uuid, $"rsc/{nodeKey}/{changes.Events.Count}");
                changes.Emit(new ReplicaCreated(new Replica(candidate.NodeName, uuid, nodeId, ResourceFlags.TieBreaker, candidate.PoolName, Props.Empty, changes.NowMs, null, ImmutableSortedDictionary<int, ImmutableSortedDictionary<string, string>>.Empty)));
                changes.Messages.Add(ApiCallRc.Info(MaskRscDfn, MaskCrt, InfoTieBreakerCreated, $"Tiebreaker for resource '{state.Name}' created on node '{candidate.NodeName}'.").WithRef("RscDfn", state.Name).WithRef("Node", candidate.NodeName));
                break;
            case TiebreakerAction.Remove remove:
                var tiebreaker = state.Replicas[remove.NodeKey];
                changes.Emit(new ReplicaDeleted(remove.NodeKey, state.PortRelease(remove.NodeKey)));
                changes.Messages.Add(ApiCallRc.Info(MaskRscDfn, MaskDel, InfoTieBreakerDeleting, $"Tiebreaker of resource '{state.Name}' on node '{tiebreaker.NodeName}' removed; it is no longer needed.").WithRef("RscDfn", state.Name).WithRef("Node", tiebreaker.NodeName));
                break;
        }
        AutoQuorumOnly(changes, policy);
    }

    /// <summary>Sets quorum/on-no-quorum on the definition as auto-quorum wants, unless a user owns them.</summary>
    private static void AutoQuorumOnly(Changes changes, ResourcePolicy policy)
    {
        var state = changes.State;
        var userOwnsQuorum = state.Props.ContainsKey(QuorumPolicy.QuorumProp) && !state.Props.ContainsKey(QuorumPolicy.QuorumSetByProp);
        var effective = userOwnsQuorum ? policy.Quorum with { UserSetQuorum = true } : policy.Quorum;
        if (QuorumRules.AutoQuorum(state.Replicas.Values.Select(ToQuorum), effective) is not { } setting)
        {
            return;
        }
        var overrides = new Dictionary<string, string> { [QuorumPolicy.QuorumProp] = setting.Quorum, [QuorumPolicy.QuorumSetByProp] = QuorumPolicy.QuorumSetByAuto };
        var deletes = new List<string>();
        if (setting.OnNoQuorum is { } onNoQuorum)
        {
            overrides[QuorumPolicy.OnNoQuorumProp] = onNoQuorum;
        }
        else if (state.Props.ContainsKey(QuorumPolicy.OnNoQuorumProp))
        {
            deletes.Add(QuorumPolicy.OnNoQuorumProp);
        }
        var change = PropsChange.Of(overrides, deletes);
        if (!Props.IsNoop(state.Props, change))
        {
            changes.Emit(new ResourceDefinitionPropsChanged(change));
        }
    }

    /// <summary>Records an operation when the changes left numbers to allocate.</summary>
    private static void StartOperation(Changes changes, string description, ResourcePolicy policy, bool createdDefinition, ImmutableList<string> addedNodes, ImmutableList<int> addedVolumes)
    {
        if (ResourceProcess.NumbersComplete(changes.State))
        {
            return;
        }
        var id = ResourceProcess.Derive(changes.State.Uuid, $"op/{changes.Events.Count}/{description}");
        changes.Emit(new OperationStarted(new ResourceOperation(id, description, policy.Allocation, policy.Quorum, createdDefinition, addedNodes, addedVolumes)));
    }

    private static Decision<IResourceEvent> DecideRecord(ResourceDefinitionState state, RecordAllocations c)
    {
        var changes = new Changes(state);
        if (c.OperationId is { } opId && state.Operation?.Id == opId && state.Exists)
        {
            for (var i = 0; i < c.MinorsFor.Count; i++)
            {
                if (state.VolumeDefinitions.TryGetValue(c.MinorsFor[i], out var vd) && vd.Minor is null)
                {
                    changes.Emit(new MinorAssigned(c.MinorsFor[i], c.Minors[i]));
                }
            }
            for (var i = 0; i < c.PortsFor.Count; i++)
            {
                if (state.Replicas.TryGetValue(c.PortsFor[i], out var replica) && replica.Port is null)
                {
                    changes.Emit(new PortAssigned(c.PortsFor[i], c.Ports[i]));
                }
            }
            if (ResourceProcess.NumbersComplete(changes.State))
            {
                changes.Emit(new OperationCompleted(opId));
            }
        }
        foreach (var release in c.Released.Where(state.PendingReleases.Contains))
        {
            changes.Emit(new NumberGivenBack(release));
        }
        return changes.Accept();
    }

    /// <summary>An allocator refused: undo what the operation added and give back what it may hold.</summary>
    private static Decision<IResourceEvent> DecideFail(ResourceDefinitionState state, FailOperation c)
    {
        if (state.Operation is not { } op || op.Id != c.OperationId)
        {
            return Decision<IResourceEvent>.Nothing();
        }
        var changes = new Changes(state);
        changes.Emit(new OperationFailed(op.Id, c.Error.Message));
        if (op.CreatedDefinition)
        {
            changes.Emit(new ResourceDefinitionDeleted(AllReleases(state)));
        }
        else
        {
            foreach (var nodeKey in op.AddedNodes.Where(state.Replicas.ContainsKey))
            {
                changes.Emit(new ReplicaDeleted(nodeKey, state.PortRelease(nodeKey)));
            }
            foreach (var number in op.AddedVolumes.Where(state.VolumeDefinitions.ContainsKey))
            {
                changes.Emit(new VolumeDefinitionDeleted(number, state.MinorRelease(number)));
            }
            AutoQuorumOnly(changes, new ResourcePolicy(op.Allocation, op.Quorum, []));
        }
        return changes.Accept();
    }

    private static QuorumReplica ToQuorum(Replica r) => new(Names.Key(r.NodeName), r.IsDiskless, r.IsTieBreaker, ResourceFlags.Has(r.Flags, ResourceFlags.Delete), ResourceFlags.Has(r.Flags, ResourceFlags.Inactive));
}
