using System.Text.Json;
using Akka.Serialization;
using Fabric.Core.Serialization;
using Xunit;

namespace Fabric.Core.Tests.Serialization;

public class DurableJsonRoundTripTests : SerializationTestKit
{
    public static TheoryData<string> SampleTypeNames() => new(DurableSamples.All().Select(o => o.GetType().FullName!));

    [Theory]
    [MemberData(nameof(SampleTypeNames))]
    public void Sample_round_trips_through_the_actor_system_serialization(string typeName)
    {
        var sample = DurableSamples.All().Single(o => o.GetType().FullName == typeName);

        var serializer = Sys.Serialization.FindSerializerFor(sample);
        Assert.IsType<DurableJsonSerializer>(serializer);
        Assert.Equal(DurableJsonSerializer.Id, serializer.Identifier);

        var bytes = serializer.ToBinary(sample);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, sample);
        var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);

        Assert.IsType(sample.GetType(), back);
        Assert.Equal(Json(sample), Json(back));
    }

    [Fact]
    public void Json_comparison_is_not_vacuous()
    {
        var sample = DurableSamples.ResourceCreated();
        Assert.NotEqual(Json(sample), Json(sample with { Props = sample.Props.SetItem("Aux/owner", "someone else") }));
        Assert.NotEqual(Json(sample), Json(sample with { UsageByNode = sample.UsageByNode.Remove("node-b") }));
        Assert.NotEqual(Json(sample), Json(sample with { SizeBytes = sample.SizeBytes - 1 }));
    }

    [Fact]
    public void Large_longs_and_offsets_survive_exactly()
    {
        var sample = DurableSamples.ResourceCreated();
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(sample);

        var back = (SampleResourceCreated)serializer.FromBinary(serializer.ToBinary(sample), serializer.Manifest(sample));

        Assert.Equal(9_007_199_254_740_993, back.SizeBytes);
        Assert.Equal(long.MaxValue, back.UsageByNode["node-a"]);
        Assert.Equal(sample.CreatedAt, back.CreatedAt);
        Assert.Equal(sample.CreatedAt.Offset, back.CreatedAt.Offset);
        Assert.Null(back.Description);
        Assert.Null(back.Priority);
        Assert.Equal(sample.ParentId, back.ParentId);
        Assert.Equal(sample.Props, back.Props);
        Assert.Equal(sample.Nodes, back.Nodes);
    }

    private static string Json(object o) => JsonSerializer.Serialize(o, o.GetType(), DurableJsonOptions.Default);
}
