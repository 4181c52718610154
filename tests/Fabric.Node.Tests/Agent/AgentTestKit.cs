using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Protocol;
using Fabric.Node.Agent;

namespace Fabric.Node.Tests.Agent;

/// <summary>Records what an agent publishes to controllers and forwards its pings to a probe standing in for the sync entity.</summary>
public sealed class RecordingAgentLink(IActorRef sync) : INodeAgentLink
{
    public ConcurrentQueue<object> Published { get; } = new();

    public void Publish(object message) => Published.Enqueue(message);

    public void SendToSync(string nodeName, object message, IActorRef sender) => sync.Tell(message, sender);

    public IEnumerable<NodeAgentReport> Reports => Published.OfType<NodeAgentReport>();

    /// <summary>Folds every published observation delta, in order, as a controller would.</summary>
    public ImmutableSortedDictionary<string, ObservedResource> Observed()
    {
        var result = ImmutableSortedDictionary<string, ObservedResource>.Empty;
        foreach (var observations in Published.OfType<NodeObservations>())
        {
            result = result.RemoveRange(observations.Removals).SetItems(observations.Upserts.Select(r => KeyValuePair.Create(r.Name.ToUpperInvariant(), r)));
        }
        return result;
    }
}

/// <summary>Desired-state messages for one node, as a sync entity would send them.</summary>
public static class DesiredStates
{
    public static readonly DesiredPool Pool = new("pool1", ProviderKind.LvmThin, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("StorDriver/StorPoolName", "vg/thin")]));

    public static DesiredResource Resource(string name, params long[] sizesKiB) =>
        new(name, Guid.Parse("22222222-3333-4444-8555-666677778888"), Guid.NewGuid(), Pool.Name, false, 0, 0, 7000, ["STORAGE"],
            [.. sizesKiB.Select((size, vnr) => new DesiredVolume(vnr, size, null))], []);

    public static DesiredFullPart Full(Guid session, long generation, long offset, params DesiredResource[] resources) =>
        new("node1", session, generation, offset, 1, 1, [Pool], [.. resources]);

    public static DesiredDelta Delta(Guid session, long generation, long offset, DesiredResource[] upserts, params string[] removals) =>
        new("node1", session, generation, offset, new DesiredChange([], [], [.. upserts], [.. removals]));
}
