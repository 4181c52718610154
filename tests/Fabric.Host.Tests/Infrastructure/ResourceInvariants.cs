using Fabric.Core.Aggregates.Allocators;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Views;

namespace Fabric.Host.Tests.Infrastructure;

/// <summary>
/// What must hold for every resource in a settled read model: numbers complete and unique, and the
/// allocators holding exactly the numbers the resources use (nothing leaked, nothing shared).
/// </summary>
public static class ResourceInvariants
{
    public static bool Settled(ReadModel model) => model.Resources.Values.All(r => !r.State.HasWork);

    /// <summary>Returns a list of violations; empty when all is well.</summary>
    public static List<string> Violations(ReadModel model, int? expectedReplicas = null)
    {
        var problems = new List<string>();
        var resources = model.ExistingResources.ToList();
        var minorUsers = new Dictionary<int, string>();
        var portUsers = new Dictionary<(string Node, int Port), string>();
        var expectedMinorOwners = new Dictionary<string, int>(StringComparer.Ordinal);
        var expectedPortOwners = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var r in resources)
        {
            if (r.Operation is not null)
            {
                problems.Add($"{r.Name}: operation still open ({r.Operation.Description})");
            }
            if (expectedReplicas is { } n && r.Replicas.Values.Count(x => !x.IsDiskless) != n)
            {
                problems.Add($"{r.Name}: {r.Replicas.Values.Count(x => !x.IsDiskless)} diskful replicas, expected {n}");
            }
            if (r.Replicas.Values.Select(x => x.NodeId).Distinct().Count() != r.Replicas.Count)
            {
                problems.Add($"{r.Name}: duplicate DRBD node ids");
            }
            foreach (var vd in r.VolumeDefinitions.Values)
            {
                if (vd.Minor is not { } minor)
                {
                    problems.Add($"{r.Name}/{vd.VolumeNumber}: no minor");
                    continue;
                }
                if (!minorUsers.TryAdd(minor, $"{r.Name}/{vd.VolumeNumber}"))
                {
                    problems.Add($"minor {minor} used by {minorUsers[minor]} and {r.Name}/{vd.VolumeNumber}");
                }
                expectedMinorOwners[r.MinorOwner(vd.VolumeNumber)] = minor;
            }
            foreach (var (nodeKey, replica) in r.Replicas)
            {
                if (replica.Port is not { } port)
                {
                    problems.Add($"{r.Name}@{nodeKey}: no port");
                    continue;
                }
                if (!portUsers.TryAdd((nodeKey, port), r.Name))
                {
                    problems.Add($"port {port} on {nodeKey} used by {portUsers[(nodeKey, port)]} and {r.Name}");
                }
                var pool = AllocatorAggregate.TcpPortPool(nodeKey);
                if (!expectedPortOwners.TryGetValue(pool, out var owners))
                {
                    expectedPortOwners[pool] = owners = new Dictionary<string, int>(StringComparer.Ordinal);
                }
                owners[r.PortOwner()] = port;
            }
        }
        problems.AddRange(CompareHoldings(model, AllocatorAggregate.MinorPool, expectedMinorOwners));
        foreach (var (pool, owners) in expectedPortOwners)
        {
            problems.AddRange(CompareHoldings(model, pool, owners));
        }
        foreach (var (key, allocator) in model.Allocators)
        {
            if (key.StartsWith("TCP-PORT:", StringComparison.Ordinal) && !expectedPortOwners.ContainsKey(key) && !allocator.State.ByOwner.IsEmpty)
            {
                problems.Add($"{key}: holds {allocator.State.ByOwner.Count} port(s) no resource uses (leak): {string.Join(", ", allocator.State.ByOwner.Keys.Take(5))}");
            }
        }
        return problems;
    }

    private static IEnumerable<string> CompareHoldings(ReadModel model, string pool, Dictionary<string, int> expected)
    {
        var held = model.Allocators.TryGetValue(pool, out var a) ? a.State.ByOwner : System.Collections.Immutable.ImmutableSortedDictionary<string, int>.Empty;
        foreach (var (owner, number) in held)
        {
            if (!expected.TryGetValue(owner, out var used))
            {
                yield return $"{pool}: {owner} holds {number} but no resource uses it (leak)";
            }
            else if (used != number)
            {
                yield return $"{pool}: {owner} holds {number} but the resource recorded {used}";
            }
        }
        foreach (var (owner, number) in expected)
        {
            if (!held.ContainsKey(owner))
            {
                yield return $"{pool}: {owner} uses {number} without holding it";
            }
        }
    }
}
