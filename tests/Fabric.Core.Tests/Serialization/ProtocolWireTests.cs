using System.Collections.Immutable;
using Fabric.Core.Protocol;
using Fabric.Core.Serialization;

namespace Fabric.Core.Tests.Serialization;

/// <summary>One populated instance of every wire message of the controller/node protocol (Fabric.Core.Protocol).</summary>
public static class ProtocolWireSamples
{
    public static IEnumerable<IWireMessage> All()
    {
        yield return new NodeAgentReport(
            "alpha",
            Guid.Parse("11111111-2222-4333-8444-555555555555"),
            long.MaxValue - 1,
            1_700_000_000_123,
            [new PoolCapacity("thin", "LVM_THIN", 882_894_848, 1_056_964_608), new PoolCapacity("files", "FILE", 0, long.MaxValue)],
            ["DRBD", "STORAGE"],
            ["DISKLESS", "LVM_THIN", "FILE"]);
        yield return new NodeAgentGoodbye("alpha", Guid.Parse("66666666-7777-4888-9999-aaaaaaaaaaaa"));
    }
}

public sealed class ProtocolWireTests : SerializationTestKit
{
    public static TheoryData<string> SampleNames => [.. ProtocolWireSamples.All().Select(s => s.GetType().Name)];

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Protocol_message_round_trips_through_the_hyperion_wire_serializer(string typeName)
    {
        var sample = ProtocolWireSamples.All().Single(s => s.GetType().Name == typeName);
        var serializer = Sys.Serialization.FindSerializerFor(sample);
        Assert.IsType<HyperionWireSerializer>(serializer);

        var back = Sys.Serialization.Deserialize(serializer.ToBinary(sample), serializer.Identifier, manifest: "");

        Assert.IsType(sample.GetType(), back);
        switch (sample)
        {
            case NodeAgentReport report:
                var r = (NodeAgentReport)back;
                // Records compare lists by reference, so compare members.
                Assert.Equal(report with { Pools = [], SupportedLayers = [], SupportedProviders = [] }, r with { Pools = [], SupportedLayers = [], SupportedProviders = [] });
                Assert.Equal(report.Pools, r.Pools);
                Assert.Equal(report.SupportedLayers, r.SupportedLayers);
                Assert.Equal(report.SupportedProviders, r.SupportedProviders);
                break;
            default:
                Assert.Equal(sample, back);
                break;
        }
    }

    [Fact]
    public void Every_protocol_wire_message_has_a_sample()
    {
        var sampled = ProtocolWireSamples.All().Select(s => s.GetType()).ToHashSet();
        var missing = typeof(IWireMessage).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(NodeAgentReport).Namespace && typeof(IWireMessage).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
            .Where(t => !sampled.Contains(t))
            .Select(t => t.Name);
        Assert.Empty(missing);
    }
}
