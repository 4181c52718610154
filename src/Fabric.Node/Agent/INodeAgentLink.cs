using Akka.Actor;

namespace Fabric.Node.Agent;

/// <summary>How a node agent reaches the controllers: publish to all, or send to its node's sync entity.</summary>
public interface INodeAgentLink
{
    /// <summary>Publishes a report, observations or a goodbye to every controller.</summary>
    void Publish(object message);

    /// <summary>Sends a message to the node's sync entity, wherever it runs, with <paramref name="sender"/> as its sender.</summary>
    void SendToSync(string nodeName, object message, IActorRef sender);
}
