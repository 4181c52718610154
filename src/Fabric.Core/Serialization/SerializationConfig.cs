using Akka.Configuration;
using Fabric.Core.Runtime;

namespace Fabric.Core.Serialization;

/// <summary>
/// hocon/serialization.conf (embedded in Fabric.Core): registers <see cref="DurableJsonSerializer"/>
/// for <see cref="IDurable"/> and <see cref="HyperionWireSerializer"/> for <see cref="IWireMessage"/>.
/// </summary>
public static class SerializationConfig
{
    public static Config Hocon { get; } = AkkaConfig.Embedded("serialization.conf");
}
