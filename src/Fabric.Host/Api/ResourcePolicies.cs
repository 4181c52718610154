using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Aggregates.ResourceGroups;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Allocation;
using Fabric.Core.Naming;
using Fabric.Core.Quorum;
using Fabric.Core.Views;

namespace Fabric.Host.Api;

/// <summary>
/// Builds the <see cref="ResourcePolicy"/> every resource command carries, from the read model, in
/// one place: allocation ranges, quorum policy and tiebreaker candidates.
/// </summary>
public static class ResourcePolicies
{
    /// <summary>
    /// The policy for a command on <paramref name="definition"/> (null while it is being created).
    /// <paramref name="resourceGroup"/> overrides the definition's group (create, or a group change).
    /// </summary>
    /// <param name="isOnline">Whether a node (by key) is online; only online nodes may host a tiebreaker.</param>
    /// <param name="layerStack">The stack of a definition not created yet (spawn); an existing definition's own stack wins.
    /// Without DRBD there is no quorum to manage: no auto-quorum, no tiebreaker.</param>
    public static ResourcePolicy For(ReadModel model, ResourceDefinitionState? definition, Func<string, bool> isOnline, string? resourceGroup = null, IReadOnlyDictionary<string, string>? definitionProps = null, IReadOnlyList<string>? layerStack = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(isOnline);
        var controller = model.Controller.State.Props;
        var groupKey = Names.Key(resourceGroup ?? definition?.ResourceGroup ?? ResourceGroupState.DefaultName);
        var group = model.ResourceGroup(groupKey);
        var rdProps = definitionProps ?? definition?.Props;

        var defaultPorts = NumberPools.TcpPortsFrom(controller.GetValueOrDefault(NumberPools.TcpPortRangeProp));
        var portsByNode = model.ExistingNodes
            .Where(n => n.Props.ContainsKey(NumberPools.TcpPortRangeProp))
            .ToImmutableSortedDictionary(n => n.Key, n => NumberPools.TcpPortsFrom(n.Props[NumberPools.TcpPortRangeProp]), StringComparer.Ordinal);
        var allocation = new AllocationPolicy(NumberPools.MinorsFrom(controller.GetValueOrDefault(NumberPools.MinorRangeProp)), defaultPorts, portsByNode);

        var quorum = QuorumPolicy.From(rdProps, group?.Props, controller);
        var stack = definition is { Exists: true } ? definition.LayerStack : layerStack;
        if (stack is { Count: > 0 } && !stack.Contains(Layers.Drbd, StringComparer.OrdinalIgnoreCase))
        {
            quorum = quorum with { AutoQuorum = "disabled", AutoTiebreaker = false };
        }

        return new ResourcePolicy(allocation, quorum, TiebreakerCandidates(model, definition, isOnline));
    }

    /// <summary>Online nodes with a DISKLESS pool that do not host the resource, fewest resources first, then by name.</summary>
    public static ImmutableList<TiebreakerCandidate> TiebreakerCandidates(ReadModel model, ResourceDefinitionState? definition, Func<string, bool> isOnline)
    {
        var resourceCounts = model.ExistingResources
            .SelectMany(r => r.Replicas.Keys)
            .GroupBy(k => k, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return model.ExistingNodes
            .Where(n => isOnline(n.Key) && (definition is null || !definition.Replicas.ContainsKey(n.Key)))
            .Select(n => (Node: n, Pool: DisklessPool(n)))
            .Where(x => x.Pool is not null)
            .OrderBy(x => resourceCounts.GetValueOrDefault(x.Node.Key))
            .ThenBy(x => x.Node.Key, StringComparer.Ordinal)
            .Select(x => new TiebreakerCandidate(x.Node.Name, x.Pool!.Name))
            .ToImmutableList();
    }

    /// <summary>The node's diskless pool: the default one if present, else the first DISKLESS pool by name.</summary>
    public static StoragePool? DisklessPool(NodeState node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.StoragePools.TryGetValue(Names.Key(NodeAggregate.DefaultDisklessPool), out var dflt) && dflt.Kind == ProviderKind.Diskless
            ? dflt
            : node.StoragePools.Values.FirstOrDefault(p => p.Kind == ProviderKind.Diskless);
    }
}
