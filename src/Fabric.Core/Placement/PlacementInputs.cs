using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Aggregates.ResourceGroups;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Allocation;
using Fabric.Core.Naming;
using Fabric.Core.Protocol;
using Fabric.Core.Quorum;
using Fabric.Core.Views;

namespace Fabric.Core.Placement;

/// <summary>
/// Builds the autoplacer's inputs from what a controller knows: the read model (nodes, pools,
/// replicas, props) and the node-status board (which agents are online, reported capacity).
/// Pure: same model and board snapshot, same inputs.
/// </summary>
public static class PlacementInputs
{
    /// <summary>
    /// Every existing node as a candidate. Online and pool capacity come from the board (null when the
    /// node's agent did not report the pool or the node is offline); ReservedKiB and ResourceCount
    /// from the replicas in each pool; ResourceKeys from the replicas on each node.
    /// </summary>
    public static ImmutableList<CandidateNode> Candidates(ReadModel model, ImmutableSortedDictionary<string, NodeLiveStatus> board)
    {
        // (node key, pool key) -> reserved KiB and distinct resource keys; node key -> resource keys.
        var reserved = new Dictionary<(string, string), long>();
        var poolResources = new Dictionary<(string, string), HashSet<string>>();
        var nodeResources = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var rd in model.ExistingResources)
        {
            var size = TotalSizeKiB(rd);
            foreach (var (nodeKey, replica) in rd.Replicas)
            {
                Bucket(nodeResources, nodeKey).Add(rd.Key);
                if (replica.IsDiskless || replica.IsTieBreaker)
                {
                    continue;
                }
                var at = (nodeKey, Names.Key(replica.StoragePool));
                reserved[at] = reserved.GetValueOrDefault(at) + size;
                Bucket(poolResources, at).Add(rd.Key);
            }
        }

        var result = ImmutableList.CreateBuilder<CandidateNode>();
        foreach (var node in model.ExistingNodes)
        {
            var live = board.TryGetValue(node.Key, out var s) && s.Online ? s : null;
            var pools = node.StoragePools.Values.Select(pool =>
            {
                var poolKey = Names.Key(pool.Name);
                var reported = pool.Kind == ProviderKind.Diskless ? null : live?.OnlinePool(poolKey);
                return new CandidatePool(
                    pool.Name,
                    pool.Kind,
                    reported?.FreeKiB,
                    reported?.TotalKiB,
                    reserved.GetValueOrDefault((node.Key, poolKey)),
                    poolResources.TryGetValue((node.Key, poolKey), out var rscs) ? rscs.Count : 0,
                    pool.Props,
                    pool.SharedSpace);
            }).ToImmutableList();
            result.Add(new CandidateNode(
                node.Name,
                live is not null,
                Evacuating: false,
                node.Props,
                pools,
                nodeResources.TryGetValue(node.Key, out var keys) ? keys.ToImmutableHashSet(StringComparer.Ordinal) : ImmutableHashSet.Create<string>(StringComparer.Ordinal),
                live is null ? ImmutableHashSet<string>.Empty : live.SupportedLayers.Select(l => l.ToUpperInvariant()).ToImmutableHashSet(StringComparer.OrdinalIgnoreCase)));
        }
        return result.ToImmutable();
    }

    /// <summary>The definition's replicas as the placer sees them (tiebreakers count as diskless).</summary>
    public static ImmutableList<ExistingReplica> Existing(ResourceDefinitionState rd, ReadModel model) =>
        rd.Replicas.Values.Select(r =>
        {
            var diskless = r.IsDiskless || r.IsTieBreaker;
            var kind = model.Node(Names.Key(r.NodeName))?.StoragePools.GetValueOrDefault(Names.Key(r.StoragePool))?.Kind
                ?? (diskless ? ProviderKind.Diskless : ProviderKind.Lvm);
            return new ExistingReplica(r.NodeName, r.StoragePool, kind, diskless);
        }).ToImmutableList();

    /// <summary>Sum of the sizes of the definition's volumes (KiB).</summary>
    public static long TotalSizeKiB(ResourceDefinitionState rd) => rd.VolumeDefinitions.Values.Sum(v => v.SizeKiB);

    /// <summary>The request for one resource from a (merged) select filter.</summary>
    public static PlacementRequest Request(string resourceName, long sizeKiB, AutoSelectFilter filter)
    {
        var pools = ImmutableList.CreateBuilder<string>();
        if (!string.IsNullOrWhiteSpace(filter.StoragePool))
        {
            pools.Add(filter.StoragePool.Trim());
        }
        foreach (var p in filter.StoragePoolList ?? [])
        {
            if (!pools.Contains(p, StringComparer.OrdinalIgnoreCase))
            {
                pools.Add(p);
            }
        }
        return new PlacementRequest(
            resourceName,
            sizeKiB,
            filter.PlaceCount,
            filter.AdditionalPlaceCount,
            filter.NodeNameList ?? [],
            pools.ToImmutable(),
            filter.StoragePoolDisklessList ?? [],
            filter.ReplicasOnSame ?? [],
            filter.ReplicasOnDifferent ?? [],
            filter.XReplicasOnDifferentMap ?? ImmutableSortedDictionary<string, int>.Empty,
            filter.NotPlaceWithRsc ?? [],
            filter.NotPlaceWithRscRegex,
            (filter.ProviderList ?? []).Select(ProviderKinds.Parse).Where(k => k is not null).Select(k => k!.Value).ToImmutableList(),
            filter.LayerStack ?? [],
            filter.DisklessOnRemaining ?? false,
            filter.DisklessType);
    }

    public static PlacementSettings Settings(ReadModel model) => PlacementSettings.FromControllerProps(model.Controller.State.Props);

    /// <summary>
    /// What the resource entity needs from outside: number ranges from controller/node props, the quorum
    /// policy from definition → group → controller props, and tiebreaker candidates (online nodes with a
    /// diskless pool, fewest resources first).
    /// </summary>
    public static ResourcePolicy Policy(ReadModel model, IReadOnlyList<CandidateNode> candidates, IReadOnlyDictionary<string, string>? definitionProps, ResourceGroupState? group)
    {
        var controller = model.Controller.State.Props;
        var portsByNode = ImmutableSortedDictionary.CreateBuilder<string, NumberRange>(StringComparer.Ordinal);
        foreach (var node in model.ExistingNodes)
        {
            if (node.Props.TryGetValue(NumberPools.TcpPortRangeProp, out var range))
            {
                portsByNode[node.Key] = NumberPools.TcpPortsFrom(range);
            }
        }
        var allocation = new AllocationPolicy(
            NumberPools.MinorsFrom(controller.GetValueOrDefault(NumberPools.MinorRangeProp)),
            NumberPools.TcpPortsFrom(controller.GetValueOrDefault(NumberPools.TcpPortRangeProp)),
            portsByNode.ToImmutable());
        var quorum = QuorumPolicy.From(definitionProps, group?.Props, controller);
        var tiebreakers = candidates
            .Where(n => n.Online && !n.Evacuating)
            .Select(n => (Node: n, Pool: n.Pools.FirstOrDefault(p => p.Kind == ProviderKind.Diskless && Names.Key(p.PoolName) == Names.Key(Autoplacer.DefaultDisklessPool))
                ?? n.Pools.FirstOrDefault(p => p.Kind == ProviderKind.Diskless)))
            .Where(x => x.Pool is not null)
            .OrderBy(x => x.Node.ResourceKeys.Count)
            .ThenBy(x => Names.Key(x.Node.Name), StringComparer.Ordinal)
            .Select(x => new TiebreakerCandidate(x.Node.Name, x.Pool!.PoolName))
            .ToImmutableList();
        return new ResourcePolicy(allocation, quorum, tiebreakers);
    }

    private static HashSet<string> Bucket<TKey>(Dictionary<TKey, HashSet<string>> map, TKey key)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var set))
        {
            set = new HashSet<string>(StringComparer.Ordinal);
            map[key] = set;
        }
        return set;
    }
}
