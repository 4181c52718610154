using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Util;
using Hyperion;
using AkkaSerializer = Akka.Serialization.Serializer;

namespace Fabric.Core.Serialization;

/// <summary>
/// Serializes <see cref="IWireMessage"/> types (and everything they contain) with Hyperion: version tolerance
/// on, object references preserved, no known-types table. Actor refs travel as their serialized path and
/// are resolved by the receiving system. Hyperion writes CLR type names, so use it only for transient messages.
/// </summary>
public sealed class HyperionWireSerializer : AkkaSerializer
{
    public const int Id = 4102;

    private readonly Hyperion.Serializer hyperion;

    public HyperionWireSerializer(ExtendedActorSystem system) : base(system)
    {
        var surrogates = new[]
        {
            Surrogate.Create<IActorRef, ActorRefSurrogate>(ToSurrogate, surrogate => FromSurrogate(system, surrogate)),
            // Other Akka types with their own wire form (ActorPath, Address, ...).
            Surrogate.Create<ISurrogated, ISurrogate>(from => from.ToSurrogate(system), to => to.FromSurrogate(system)),
        };

        hyperion = new Hyperion.Serializer(new SerializerOptions(
            versionTolerance: true,
            preserveObjectReferences: true,
            surrogates: surrogates,
            serializerFactories: null,
            knownTypes: null,
            ignoreISerializable: true,
            packageNameOverrides: null,
            disallowUnsafeTypes: true,
            typeFilter: DisabledTypeFilter.Instance));
    }

    public HyperionWireSerializer(ExtendedActorSystem system, Config config) : this(system)
    {
    }

    public override int Identifier => Id;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        hyperion.Serialize(obj, stream);
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, Type type)
    {
        try
        {
            using var stream = new MemoryStream(bytes);
            return hyperion.Deserialize<object>(stream);
        }
        catch (Exception e)
        {
            throw new SerializationException($"Hyperion could not deserialize a wire message (expected {type?.FullName ?? "any type"}): {e.Message}", e);
        }
    }

    private static ActorRefSurrogate ToSurrogate(IActorRef actorRef) =>
        new(actorRef is Nobody ? ActorRefSurrogate.NobodyPath : Akka.Serialization.Serialization.SerializedActorPath(actorRef));

    private static IActorRef FromSurrogate(ExtendedActorSystem system, ActorRefSurrogate surrogate) =>
        surrogate.Path == ActorRefSurrogate.NobodyPath ? ActorRefs.Nobody : system.Provider.ResolveActorRef(surrogate.Path);
}
