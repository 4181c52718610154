using Akka.Configuration;

namespace Fabric.Core.Serialization;

/// <summary>
/// HOCON that registers <see cref="DurableJsonSerializer"/> for <see cref="IDurable"/> and
/// <see cref="HyperionWireSerializer"/> for <see cref="IWireMessage"/>. The same text is in
/// hocon/serialization.conf; a test keeps the two identical.
/// </summary>
public static class SerializationConfig
{
    public const string Text = """
        # Fabric serializers. Keep identical to Fabric.Core.Serialization.SerializationConfig.Text (a test compares them).
        akka.actor {
          serializers {
            fabric-durable-json = "Fabric.Core.Serialization.DurableJsonSerializer, Fabric.Core"
            fabric-wire-hyperion = "Fabric.Core.Serialization.HyperionWireSerializer, Fabric.Core"
          }
          serialization-bindings {
            "Fabric.Core.Serialization.IDurable, Fabric.Core" = fabric-durable-json
            "Fabric.Core.Serialization.IWireMessage, Fabric.Core" = fabric-wire-hyperion
          }
          serialization-identifiers {
            "Fabric.Core.Serialization.DurableJsonSerializer, Fabric.Core" = 4101
            "Fabric.Core.Serialization.HyperionWireSerializer, Fabric.Core" = 4102
          }
        }
        """;

    public static Config Hocon { get; } = ConfigurationFactory.ParseString(Text);
}
