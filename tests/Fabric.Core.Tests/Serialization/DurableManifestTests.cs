using System.Reflection;
using System.Runtime.Serialization;
using System.Text;
using Akka.Serialization;
using Fabric.Core.Serialization;
using Xunit;

namespace Fabric.Core.Tests.Serialization;

public class DurableManifestTests : SerializationTestKit
{
    private SerializerWithStringManifest Durable => (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(DurableSamples.NodeRenamed());

    [Fact]
    public void Every_sample_manifest_is_its_attribute_string()
    {
        foreach (var sample in DurableSamples.All())
        {
            var attribute = sample.GetType().GetCustomAttribute<DurableAttribute>()!;
            Assert.Equal(attribute.Manifest, Durable.Manifest(sample));
        }
    }

    [Fact]
    public void Manifest_is_the_stable_string_not_the_clr_name()
    {
        Assert.Equal("test.sample-node-renamed.v1", Durable.Manifest(DurableSamples.NodeRenamed()));
    }

    [Fact]
    public void Stored_json_format_is_frozen()
    {
        // If this fails, the journal format changed: old events may no longer read back.
        const string expected =
            """{"nodeId":"c0ffee00-1234-4abc-8def-0123456789ab","oldName":"old-node","newName":"new-node","kind":"Creating","at":"2025-03-04T05:06:07.123+02:00","generation":7,"reason":"rename requested"}""";

        Assert.Equal(expected, Encoding.UTF8.GetString(Durable.ToBinary(DurableSamples.NodeRenamed())));
    }

    [Fact]
    public void Dictionary_keys_are_kept_verbatim()
    {
        var json = Encoding.UTF8.GetString(Durable.ToBinary(DurableSamples.ResourceCreated()));
        Assert.Contains("\"DrbdOptions/Net/protocol\":\"C\"", json);
        Assert.Contains("\"usageByNode\":{", json);
    }

    [Fact]
    public void Unknown_manifest_throws_a_serialization_exception_naming_it()
    {
        var e = Assert.Throws<SerializationException>(() =>
            Sys.Serialization.Deserialize("{}"u8.ToArray(), DurableJsonSerializer.Id, "no-such-event.v9"));
        Assert.Contains("no-such-event.v9", e.Message);
    }

    [Fact]
    public void Missing_non_nullable_field_fails_instead_of_defaulting()
    {
        var e = Assert.Throws<SerializationException>(() =>
            Durable.FromBinary("""{"nodeId":"c0ffee00-1234-4abc-8def-0123456789ab","oldName":"a"}"""u8.ToArray(), "test.sample-node-renamed.v1"));
        Assert.Contains("test.sample-node-renamed.v1", e.Message);
    }

    [Fact]
    public void Unregistered_type_is_refused_on_write()
    {
        Assert.Throws<SerializationException>(() => Durable.Manifest(new NotDurable()));
        Assert.Throws<SerializationException>(() => Durable.ToBinary(new NotDurable()));
    }

    private sealed record NotDurable;
}
