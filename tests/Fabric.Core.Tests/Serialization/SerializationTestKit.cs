using Akka.TestKit.Xunit2;
using Fabric.Core.Serialization;

namespace Fabric.Core.Tests.Serialization;

/// <summary>A TestKit whose actor system uses <see cref="SerializationConfig.Hocon"/> and knows the test durable types.</summary>
public abstract class SerializationTestKit : TestKit
{
    static SerializationTestKit() => TestDurableTypes.Register();

    protected SerializationTestKit() : base(SerializationConfig.Hocon)
    {
    }
}
