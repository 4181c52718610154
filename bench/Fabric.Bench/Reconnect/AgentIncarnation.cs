using Akka.Actor;
using Fabric.Bench.Hosting;
using Fabric.Core.Runtime;
using Fabric.Node.Agent;
using Fabric.Node.Storage;

namespace Fabric.Bench.Reconnect;

/// <summary>
/// One incarnation of a node agent in the satellite member, started as <c>NodeAgentHosting.StartAgent</c>
/// starts agents (same settings) but with a link that can be cut, so it can die without a goodbye.
/// </summary>
public sealed class AgentIncarnation
{
    private static int _started;
    private readonly SeverableAgentLink _link;

    private AgentIncarnation(IActorRef actor, SeverableAgentLink link)
    {
        Actor = actor;
        _link = link;
    }

    public IActorRef Actor { get; }

    public static AgentIncarnation Start(FabricSystem satellite, string nodeName, StorageProviders providers)
    {
        var settings = new NodeAgentSettings(nodeName, providers.For, satellite.Settings.NodeHeartbeatInterval, satellite.Settings.AgentMaxParallel);
        var link = new SeverableAgentLink(new FabricAgentLink(satellite));
        var name = $"agent-{nodeName}-{Interlocked.Increment(ref _started)}";
        return new AgentIncarnation(satellite.System.ActorOf(NodeAgentActor.PropsFor(settings, link), name), link);
    }

    /// <summary>Nothing the agent sends leaves any more (its member is about to die with it).</summary>
    public void CutLink() => _link.Cut();

    /// <summary>
    /// Stops the agent and waits until it has terminated. <paramref name="crash"/>: the link is cut first, so
    /// nothing more reaches the controllers (no goodbye; they notice the silence after the status timeout).
    /// Otherwise a clean stop: the goodbye takes the node offline at once.
    /// </summary>
    public async Task StopAsync(ActorSystem system, bool crash, TimeSpan timeout)
    {
        if (crash)
        {
            _link.Cut();
        }
        using var cts = new CancellationTokenSource(timeout);
        var terminated = Actor.WatchAsync(cts.Token);
        system.Stop(Actor);
        await terminated;
    }
}
