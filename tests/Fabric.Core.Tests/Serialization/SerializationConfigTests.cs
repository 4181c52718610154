using Akka.Configuration;
using Fabric.Core.Serialization;
using Xunit;

namespace Fabric.Core.Tests.Serialization;

public class SerializationConfigTests
{
    [Fact]
    public void Configured_identifiers_match_the_serializers()
    {
        var ids = SerializationConfig.Hocon.GetConfig("akka.actor.serialization-identifiers")
            .AsEnumerable().ToDictionary(p => p.Key, p => p.Value.GetInt());
        Assert.Equal(DurableJsonSerializer.Id, ids[Qualified<DurableJsonSerializer>()]);
        Assert.Equal(HyperionWireSerializer.Id, ids[Qualified<HyperionWireSerializer>()]);
    }

    [Fact]
    public void Configured_type_names_resolve()
    {
        Config actor = SerializationConfig.Hocon.GetConfig("akka.actor");
        foreach (var name in actor.GetConfig("serializers").AsEnumerable().Select(p => p.Value.GetString()))
            Assert.NotNull(Type.GetType(name, throwOnError: true));
        foreach (var name in actor.GetConfig("serialization-bindings").AsEnumerable().Select(p => p.Key))
            Assert.NotNull(Type.GetType(name, throwOnError: true));
    }

    private static string Qualified<T>() => $"{typeof(T).FullName}, {typeof(T).Assembly.GetName().Name}";
}
