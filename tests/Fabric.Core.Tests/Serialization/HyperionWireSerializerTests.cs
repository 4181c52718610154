using System.Collections.Immutable;
using Akka.Actor;
using Fabric.Core.Serialization;
using Xunit;

namespace Fabric.Core.Tests.Serialization;

public class HyperionWireSerializerTests : SerializationTestKit
{
    [Fact]
    public void Wire_message_round_trips_with_collections_nested_records_and_actor_ref()
    {
        var nested = new WireNested("outer", [1, 2, 3], new WireNested("inner", [], null));
        var sample = new WireSample(
            Id: Guid.NewGuid(),
            At: new DateTimeOffset(2025, 6, 7, 8, 9, 10, 456, TimeSpan.FromHours(-5)),
            Big: long.MinValue,
            Missing: null,
            Items: ["a", "b", "c"],
            Props: ImmutableSortedDictionary<string, string>.Empty.Add("b/key", "2").Add("a/key", "1"),
            Usage: ImmutableDictionary<string, long>.Empty.Add("node-a", 10).Add("node-b", long.MaxValue),
            Counts: new Dictionary<string, int> { ["x"] = 1, ["y"] = 2 },
            Nested: nested,
            SameNested: nested,
            ReplyTo: TestActor);

        var back = RoundTrip(sample);

        Assert.Equal(sample.Id, back.Id);
        Assert.Equal(sample.At, back.At);
        Assert.Equal(sample.At.Offset, back.At.Offset);
        Assert.Equal(long.MinValue, back.Big);
        Assert.Null(back.Missing);
        Assert.Equal(sample.Items, back.Items);
        Assert.Equal(sample.Props, back.Props);
        Assert.Equal(["a/key", "b/key"], back.Props.Keys);
        Assert.Equal(sample.Usage.OrderBy(p => p.Key), back.Usage.OrderBy(p => p.Key));
        Assert.Equal(sample.Counts, back.Counts);
        Assert.Equal("outer", back.Nested.Name);
        Assert.Equal([1, 2, 3], back.Nested.Values);
        Assert.Equal("inner", back.Nested.Inner!.Name);
        Assert.Empty(back.Nested.Inner.Values);
        Assert.Null(back.Nested.Inner.Inner);
        Assert.Same(back.Nested, back.SameNested); // references preserved
        Assert.Equal(TestActor, back.ReplyTo);
    }

    [Fact]
    public void Deserialized_actor_ref_is_usable()
    {
        var back = RoundTrip(new WirePing("hello", TestActor));

        back.ReplyTo.Tell("pong");

        ExpectMsg("pong");
    }

    [Fact]
    public void Nobody_round_trips_as_nobody()
    {
        var back = RoundTrip(new WirePing("to nobody", ActorRefs.Nobody));
        Assert.Same(ActorRefs.Nobody, back.ReplyTo);
    }

    [Fact]
    public void Wire_messages_use_the_hyperion_serializer_without_manifest()
    {
        var serializer = Sys.Serialization.FindSerializerFor(new WirePing("x", TestActor));
        Assert.IsType<HyperionWireSerializer>(serializer);
        Assert.Equal(HyperionWireSerializer.Id, serializer.Identifier);
        Assert.False(serializer.IncludeManifest);
    }

    private T RoundTrip<T>(T message) where T : IWireMessage
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        var bytes = serializer.ToBinary(message);
        return Assert.IsType<T>(Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest: ""));
    }
}
