using Fabric.Core.Entities;
using Fabric.Core.Protocol;
using Fabric.Core.Serialization;

namespace Fabric.Core.Tests.Serialization;

public sealed class ProtocolWarmupTests : SerializationTestKit
{
    [Fact]
    public void The_warm_up_has_a_sample_of_every_protocol_wire_message_and_of_the_entity_envelope()
    {
        var protocol = typeof(NodeAgentReport).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IWireMessage).IsAssignableFrom(t) && t.Namespace == typeof(NodeAgentReport).Namespace)
            .Append(typeof(EntityEnvelope))
            .Select(t => t.Name)
            .Order(StringComparer.Ordinal);

        var sampled = ProtocolWarmup.Samples(TestActor).Select(s => s.GetType().Name).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(protocol, sampled);
    }

    [Fact]
    public void Every_sample_round_trips_through_the_wire_serializer_the_warm_up_uses()
    {
        foreach (var sample in ProtocolWarmup.Samples(TestActor))
        {
            var serializer = Sys.Serialization.FindSerializerFor(sample);
            Assert.IsType<HyperionWireSerializer>(serializer);
            var back = serializer.FromBinary(serializer.ToBinary(sample), sample.GetType());
            Assert.IsType(sample.GetType(), back);
        }

        ProtocolWarmup.Run(Sys);
    }
}
