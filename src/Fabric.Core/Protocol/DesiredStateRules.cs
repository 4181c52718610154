using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Naming;
using Fabric.Core.Views;

namespace Fabric.Core.Protocol;

/// <summary>
/// Pure rules of the desired state a node agent receives: built from the read model, diffed
/// between generations, applied on the agent. No Akka, no clock.
/// </summary>
public static class DesiredStateRules
{
    /// <summary>The node's whole desired state, or null when the node does not exist.</summary>
    public static NodeDesiredState? ForNode(ReadModel model, string nodeKey)
    {
        var node = model.Node(nodeKey);
        if (node is null)
        {
            return null;
        }
        var resources = ImmutableSortedDictionary.CreateBuilder<string, DesiredResource>(StringComparer.Ordinal);
        foreach (var definition in model.ExistingResources)
        {
            if (ForResource(definition, nodeKey, model) is { } desired)
            {
                resources[definition.Key] = desired;
            }
        }
        return new NodeDesiredState(node.Name, PoolsOf(node), resources.ToImmutable());
    }

    /// <summary>The pools the agent serves: every storage pool of the node.</summary>
    public static ImmutableSortedDictionary<string, DesiredPool> PoolsOf(NodeState node) =>
        ImmutableSortedDictionary.CreateRange(
            StringComparer.Ordinal,
            node.StoragePools.Select(p => KeyValuePair.Create(p.Key, new DesiredPool(p.Value.Name, p.Value.Kind, p.Value.Props))));

    /// <summary>
    /// The replica of <paramref name="definition"/> on the node, or null when it has none, or when the
    /// replica is still being added by an open operation (its numbers are not all taken yet).
    /// </summary>
    /// <param name="model">Where peers' addresses and the group's, node's and controller's DRBD options
    /// come from; null leaves them out (no addresses, only replica and definition options).</param>
    public static DesiredResource? ForResource(ResourceDefinitionState? definition, string nodeKey, ReadModel? model = null)
    {
        if (definition is not { Exists: true } || !definition.Replicas.TryGetValue(nodeKey, out var replica))
        {
            return null;
        }
        var operation = definition.Operation;
        if (operation is not null && (operation.CreatedDefinition || operation.AddedNodes.Contains(nodeKey)))
        {
            return null;
        }
        var volumes = definition.VolumeDefinitions.Values
            .Where(v => operation is null || !operation.AddedVolumes.Contains(v.VolumeNumber))
            .Select(v => new DesiredVolume(v.VolumeNumber, v.SizeKiB, v.Minor))
            .ToImmutableList();
        var peers = definition.Replicas
            .Where(r => r.Key != nodeKey && (operation is null || !operation.AddedNodes.Contains(r.Key)))
            .Select(r => new DesiredPeer(r.Value.NodeName, r.Value.NodeId, r.Value.Port, r.Value.IsDiskless, AddressOf(model?.Node(r.Key)), r.Value.IsTieBreaker))
            .ToImmutableList();
        var drbd = definition.LayerStack.Any(l => string.Equals(l, "DRBD", StringComparison.OrdinalIgnoreCase))
            ? new DesiredDrbd(definition.Secret, definition.PeerSlots, definition.TransportType, AddressOf(model?.Node(nodeKey)), DrbdOptionsOf(replica, definition, model, nodeKey))
            : null;
        return new DesiredResource(
            definition.Name,
            definition.Uuid,
            replica.Uuid,
            replica.StoragePool,
            replica.IsDiskless,
            replica.Flags,
            replica.NodeId,
            replica.Port,
            definition.LayerStack,
            volumes,
            peers,
            drbd);
    }

    /// <summary>The prefix of every prop the DRBD layer reads.</summary>
    public const string DrbdOptionsPrefix = "DrbdOptions/";

    /// <summary>The address DRBD uses on a node: its net interface named "default", else the first active one.</summary>
    public static string? AddressOf(NodeState? node)
    {
        if (node is null || node.NetInterfaces.Count == 0)
        {
            return null;
        }
        var chosen = node.NetInterfaces.Values.FirstOrDefault(n => string.Equals(n.Name, "default", StringComparison.OrdinalIgnoreCase))
            ?? node.NetInterfaces.Values.FirstOrDefault(n => n.IsActive)
            ?? node.NetInterfaces.Values.First();
        return chosen.Address;
    }

    private static ImmutableSortedDictionary<string, string> DrbdOptionsOf(Replica replica, ResourceDefinitionState definition, ReadModel? model, string nodeKey)
    {
        var levels = new List<IReadOnlyDictionary<string, string>> { replica.Props, definition.Props };
        if (model is not null)
        {
            if (model.ResourceGroup(Names.Key(definition.ResourceGroup)) is { } group)
            {
                levels.Add(group.Props);
            }
            if (model.Node(nodeKey) is { } node)
            {
                levels.Add(node.Props);
            }
            levels.Add(model.Controller.State.Props);
        }
        var options = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var level in levels)
        {
            foreach (var (key, value) in level)
            {
                if (key.StartsWith(DrbdOptionsPrefix, StringComparison.Ordinal) && !options.ContainsKey(key))
                {
                    options[key] = value;
                }
            }
        }
        return options.ToImmutable();
    }

    /// <summary>What turns <paramref name="before"/> into <paramref name="after"/>.</summary>
    public static DesiredChange Diff(NodeDesiredState before, NodeDesiredState after)
    {
        var poolUpserts = after.Pools.Where(p => !before.Pools.TryGetValue(p.Key, out var old) || !old.SameAs(p.Value)).Select(p => p.Value).ToImmutableList();
        var poolRemovals = before.Pools.Keys.Where(k => !after.Pools.ContainsKey(k)).ToImmutableList();
        var upserts = after.Resources.Where(r => !before.Resources.TryGetValue(r.Key, out var old) || !old.SameAs(r.Value)).Select(r => r.Value).ToImmutableList();
        var removals = before.Resources.Keys.Where(k => !after.Resources.ContainsKey(k)).ToImmutableList();
        return new DesiredChange(poolUpserts, poolRemovals, upserts, removals);
    }

    /// <summary>
    /// Updates <paramref name="current"/> for the entities that changed (by persistence id kind and key):
    /// the node itself (its pools, and its address and DRBD options in every replica it hosts),
    /// another node (its address in the replicas that have it as a peer), a resource group or the
    /// controller (the DRBD options they pass down) and resource definitions. Returns the new state and what changed.
    /// </summary>
    public static (NodeDesiredState State, DesiredChange Change) Refresh(
        NodeDesiredState current, ReadModel model, string nodeKey, IEnumerable<(string Kind, string Key)> changed)
    {
        var pools = current.Pools;
        var resources = current.Resources.ToBuilder();
        var touched = false;
        var recheck = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (kind, key) in changed)
        {
            switch (kind)
            {
                case EntityKinds.Node when key == nodeKey:
                    if (model.Node(nodeKey) is { } node)
                    {
                        pools = PoolsOf(node);
                        touched = true;
                    }
                    recheck.UnionWith(current.Resources.Keys);
                    break;
                case EntityKinds.Node:
                    recheck.UnionWith(current.Resources.Where(r => r.Value.Peers.Any(p => Names.Key(p.NodeName) == key)).Select(r => r.Key));
                    break;
                case EntityKinds.Controller:
                    recheck.UnionWith(current.Resources.Keys);
                    break;
                case EntityKinds.ResourceGroup:
                    recheck.UnionWith(current.Resources.Keys.Where(k => model.Resource(k) is { } d && Names.Key(d.ResourceGroup) == key));
                    break;
                case EntityKinds.Resource:
                    recheck.Add(key);
                    break;
            }
        }
        foreach (var key in recheck)
        {
            var desired = ForResource(model.Resource(key), nodeKey, model);
            if (desired is null)
            {
                touched |= resources.Remove(key);
            }
            else if (!resources.TryGetValue(key, out var old) || !old.SameAs(desired))
            {
                resources[key] = desired;
                touched = true;
            }
        }
        if (!touched)
        {
            return (current, DesiredChange.None);
        }
        var next = current with { Pools = pools, Resources = resources.ToImmutable() };
        return (next, Diff(current, next));
    }

    /// <summary>Applies a change on the agent's side.</summary>
    public static NodeDesiredState Apply(NodeDesiredState state, DesiredChange change)
    {
        var pools = state.Pools.RemoveRange(change.PoolRemovals).SetItems(change.PoolUpserts.Select(p => KeyValuePair.Create(Names.Key(p.Name), p)));
        var resources = state.Resources.RemoveRange(change.ResourceRemovals).SetItems(change.ResourceUpserts.Select(r => KeyValuePair.Create(Names.Key(r.Name), r)));
        return state with { Pools = pools, Resources = resources };
    }

    /// <summary>The kind names used in persistence ids (see <c>PersistenceIds</c>).</summary>
    public static class EntityKinds
    {
        public const string Node = "node";
        public const string Resource = "resource";
        public const string ResourceGroup = "resource-group";
        public const string Controller = "controller";
    }
}
