using Akka.Actor;
using Fabric.Core.Runtime;

namespace Fabric.Node.Agent;

/// <summary>The agent's link through a running <see cref="FabricSystem"/> (any role): pub-sub to controllers, the node-sync region.</summary>
public sealed class FabricAgentLink(FabricSystem fabric) : INodeAgentLink
{
    public void Publish(object message) => fabric.PublishToControllers(message);

    public void SendToSync(string nodeName, object message, IActorRef sender) => fabric.SendToNodeSync(nodeName, message, sender);
}
