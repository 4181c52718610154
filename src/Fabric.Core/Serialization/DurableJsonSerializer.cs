using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace Fabric.Core.Serialization;

/// <summary>
/// Serializes <see cref="IDurable"/> types as System.Text.Json (<see cref="DurableJsonOptions.Default"/>)
/// under the stable manifest of their <see cref="DurableAttribute"/>. Types are looked up in
/// <see cref="DurableTypeRegistry"/>, never by CLR name.
/// </summary>
public sealed class DurableJsonSerializer : SerializerWithStringManifest
{
    public const int Id = 4101;

    public DurableJsonSerializer(ExtendedActorSystem system) : base(system)
    {
        // Build (and validate) the registry now, so an invalid durable type fails at actor-system start.
        _ = DurableTypeRegistry.Current;
    }

    public DurableJsonSerializer(ExtendedActorSystem system, Config config) : this(system)
    {
    }

    public override int Identifier => Id;

    public override string Manifest(object o) => DurableTypeRegistry.Current.ManifestOf(o.GetType());

    public override byte[] ToBinary(object obj)
    {
        var type = obj.GetType();
        _ = DurableTypeRegistry.Current.ManifestOf(type); // refuse to write what could not be read back
        return JsonSerializer.SerializeToUtf8Bytes(obj, type, DurableJsonOptions.Default);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!DurableTypeRegistry.Current.TryGetType(manifest, out var type))
            throw new SerializationException(
                $"Unknown durable manifest '{manifest}': no registered {nameof(IDurable)} type carries it. " +
                $"Registered assemblies: {string.Join(", ", DurableTypeRegistry.Assemblies.Select(a => a.GetName().Name))}.");

        try
        {
            return JsonSerializer.Deserialize(bytes, type, DurableJsonOptions.Default)
                   ?? throw new SerializationException($"Durable manifest '{manifest}' ({type.FullName}) holds JSON null.");
        }
        catch (JsonException e)
        {
            throw new SerializationException($"Cannot read durable manifest '{manifest}' as {type.FullName}: {e.Message}", e);
        }
    }
}
