namespace Fabric.Core.Serialization;

/// <summary>
/// Wire form of an <see cref="Akka.Actor.IActorRef"/> inside a Hyperion-serialized message: its serialized
/// actor path (with address), resolved back to a ref by the receiving actor system.
/// </summary>
public sealed record ActorRefSurrogate(string Path)
{
    /// <summary>Stands for <see cref="Akka.Actor.ActorRefs.Nobody"/>, which has no resolvable path.</summary>
    public const string NobodyPath = "nobody";
}
