using System.Collections.Immutable;
using Akka.Actor;
using Fabric.Core.Aggregates.Nodes;
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
        var session = Guid.Parse("0a0b0c0d-1111-4222-8333-444455556666");
        yield return new AgentSyncPing("alpha", Guid.Parse("11111111-2222-4333-8444-555555555555"), ActorRefs.Nobody, session, 7, 1234);
        yield return new DesiredFullPart("alpha", session, 1, 987, 2, 3, [Pool], [Resource]);
        yield return new DesiredDelta("alpha", session, 8, 990, new DesiredChange([Pool], ["OLDPOOL"], [Resource], ["GONE"]));
        yield return new ResyncRequest("alpha", Guid.Parse("11111111-2222-4333-8444-555555555555"), session, 8, 990, "a gap");
        yield return new ResourcesApplied("alpha", Guid.Parse("11111111-2222-4333-8444-555555555555"), session, 8, [new ResourceOutcome("r1", true, null), new ResourceOutcome("r2", false, "lvcreate failed")]);
        yield return new PoolCheck("alpha", Pool);
        yield return new PoolCheckResult(false, new PoolCapacity("thin", "LVM_THIN", 1, 2), "missing", "no vg", "create it");
        yield return new NodeObservations("alpha", Guid.Parse("11111111-2222-4333-8444-555555555555"), 12, 11, false, [Observed], ["R9"], [new AgentErrorReport("5E8509DD-69506-000006", "alpha", 1_700_000_000_000, "failed", "cause", "fix", "stack")]);
        yield return new ObservationsRequest("alpha", ActorRefs.Nobody);
    }

    private static readonly DesiredPool Pool = new("thin", ProviderKind.LvmThin, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("StorDriver/StorPoolName", "vg0/thin")]));

    private static readonly DesiredResource Resource = new(
        "r1", Guid.Parse("22222222-3333-4444-8555-666677778888"), Guid.Parse("33333333-4444-4555-8666-777788889999"), "thin", false, 0, 1, 7001,
        ["DRBD", "STORAGE"], [new DesiredVolume(0, 10240, 1000), new DesiredVolume(1, 20480, null)], [new DesiredPeer("beta", 0, 7000, false), new DesiredPeer("gamma", 2, 7002, true)]);

    private static readonly ObservedResource Observed = new(
        "r1", Guid.Parse("22222222-3333-4444-8555-666677778888"), Guid.Parse("0a0b0c0d-1111-4222-8333-444455556666"), 8, false,
        [new ObservedVolume(0, "/dev/loop3", 10240, 512, "UpToDate", null), new ObservedVolume(1, null, 0, 0, "Failed", new ObservedError("create failed", "tool", "fix", "5E8509DD-69506-000006", 2, 1_700_000_000_000, 1_700_000_002_000))],
        null, 1_700_000_000_100);
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
            case NodeAgentGoodbye or ResyncRequest or PoolCheckResult:
                Assert.Equal(sample, back);
                break;
            default:
                // Records compare lists by reference: compare the JSON of both instead (actor refs excluded).
                Assert.Equal(Json(sample), Json(back));
                break;
        }
    }

    private static string Json(object message) => System.Text.Json.JsonSerializer.Serialize(message, message.GetType(), JsonOptions);

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
    {
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
        {
            Modifiers = { WithoutActorRefs },
        },
    };

    private static void WithoutActorRefs(System.Text.Json.Serialization.Metadata.JsonTypeInfo info)
    {
        foreach (var property in info.Properties.Where(p => typeof(IActorRef).IsAssignableFrom(p.PropertyType)).ToList())
        {
            info.Properties.Remove(property);
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
