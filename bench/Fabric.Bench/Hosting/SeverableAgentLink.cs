using Akka.Actor;
using Fabric.Node.Agent;

namespace Fabric.Bench.Hosting;

/// <summary>
/// The agent's real link with a kill switch: after <see cref="Cut"/> nothing the agent publishes or
/// sends to its sync entity leaves the satellite, as when its process dies. A crashed agent is
/// this link cut and then the actor stopped: its goodbye (sent from PostStop) is lost, so the
/// controllers see only silence, exactly as after kill -9.
/// </summary>
public sealed class SeverableAgentLink(INodeAgentLink inner) : INodeAgentLink
{
    private volatile bool _cut;

    /// <summary>Drops everything from now on.</summary>
    public void Cut() => _cut = true;

    public void Publish(object message)
    {
        if (!_cut)
        {
            inner.Publish(message);
        }
    }

    public void SendToSync(string nodeName, object message, IActorRef sender)
    {
        if (!_cut)
        {
            inner.SendToSync(nodeName, message, sender);
        }
    }
}
