using System.Collections.Immutable;
using Fabric.Core.Naming;

namespace Fabric.Core.Protocol;

/// <summary>
/// This process's view of node agent liveness and pool capacity, for lock-free readers (REST,
/// placement). Only the <see cref="NodeStatusActor"/> writes it, by swapping in new immutable
/// snapshots built with <see cref="NodeStatusRules"/>. Empty on processes without the controller role.
/// </summary>
public sealed class NodeStatusBoard
{
    private ImmutableSortedDictionary<string, NodeLiveStatus> _current = ImmutableSortedDictionary.Create<string, NodeLiveStatus>(StringComparer.Ordinal);

    /// <summary>Node key (upper-case name) to its live status.</summary>
    public ImmutableSortedDictionary<string, NodeLiveStatus> Current => Volatile.Read(ref _current);

    /// <summary>The live status of a node by name or key, or null if no agent ever reported it to this process.</summary>
    public NodeLiveStatus? Get(string nodeName) => Current.TryGetValue(Names.Key(nodeName), out var status) ? status : null;

    public bool IsOnline(string nodeName) => Get(nodeName)?.Online == true;

    /// <summary>Online, and its agent runs DRBD (a tiebreaker or any DRBD replica needs the driver there).</summary>
    public bool IsOnlineWithDrbd(string nodeName) =>
        Get(nodeName) is { Online: true } live && live.SupportedLayers.Any(l => string.Equals(l, "DRBD", StringComparison.OrdinalIgnoreCase));

    /// <summary>The observed replica of a resource on a node, while the node is online.</summary>
    public ObservedResource? ObservedOf(string nodeName, string resourceKey) => Get(nodeName)?.OnlineResource(resourceKey);

    public ImmutableSortedDictionary<string, NodeLiveStatus> Update(Func<ImmutableSortedDictionary<string, NodeLiveStatus>, ImmutableSortedDictionary<string, NodeLiveStatus>> change)
    {
        while (true)
        {
            var before = Volatile.Read(ref _current);
            var after = change(before);
            if (ReferenceEquals(before, after) || ReferenceEquals(Interlocked.CompareExchange(ref _current, after, before), before))
            {
                return after;
            }
        }
    }
}
