using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Fabric.Host.Api.Contracts;
using Xunit;

namespace Fabric.Host.Tests.Api;

public sealed class LinstorJsonTests
{
    private sealed record Flagged
    {
        public bool Flag { get; init; }
        public bool? MaybeFlag { get; init; }
        public int Count { get; init; }
        public string? Text { get; init; }
    }

    [Fact]
    public void Output_omits_null_fields()
    {
        var json = LinstorJson.Serialize(new NodeDto { Name = "n1", Type = "SATELLITE" });

        Assert.Equal("""{"name":"n1","type":"SATELLITE"}""", json);
    }

    [Fact]
    public void Output_omits_empty_strings_collections_and_maps()
    {
        var node = new NodeDto
        {
            Name = "n1",
            Type = "",
            Flags = [],
            Props = ImmutableSortedDictionary<string, string>.Empty,
            NetInterfaces = new List<NetInterfaceDto>(),
            UnsupportedLayers = new Dictionary<string, IReadOnlyList<string>>(),
            OsVariant = "",
        };

        Assert.Equal("""{"name":"n1"}""", LinstorJson.Serialize(node));
    }

    [Fact]
    public void Output_keeps_zero_and_false_like_jackson_non_empty()
    {
        var pool = new StoragePoolDto
        {
            StoragePoolName = "pool",
            ProviderKind = "LVM",
            FreeCapacity = 0,
            SupportsSnapshots = false,
            ExternalLocking = false,
        };

        Assert.Equal(
            """{"storage_pool_name":"pool","provider_kind":"LVM","free_capacity":0,"supports_snapshots":false,"external_locking":false}""",
            LinstorJson.Serialize(pool));
    }

    [Fact]
    public void Output_uses_snake_case_names_and_keeps_property_keys_verbatim()
    {
        var node = new NodeDto
        {
            Name = "n1",
            ConnectionStatus = "ONLINE",
            EvictionTimestamp = 5,
            Props = new Dictionary<string, string> { ["Aux/SomeKey"] = "v", ["CurStltConnName"] = "default" },
            NetInterfaces = [new NetInterfaceDto { Name = "default", SatellitePort = 3366, IsActive = true }],
        };

        var json = LinstorJson.Serialize(node);

        Assert.Equal(
            """{"name":"n1","props":{"Aux/SomeKey":"v","CurStltConnName":"default"},"net_interfaces":[{"name":"default","satellite_port":3366,"is_active":true}],"connection_status":"ONLINE","eviction_timestamp":5}""",
            json);
    }

    [Fact]
    public void Output_does_not_html_escape_quotes_or_non_ascii()
    {
        var json = LinstorJson.Serialize(new ApiCallRcDto { RetCode = 1, Message = "Node 'n1' <ü> & co" });

        Assert.Equal("""{"ret_code":1,"message":"Node 'n1' <ü> & co"}""", json);
    }

    [Fact]
    public void Output_writes_negative_ret_codes_as_numbers()
    {
        var json = LinstorJson.Serialize(new ApiCallRcDto { RetCode = -4611686018407202515, Message = "m" });

        Assert.Equal("""{"ret_code":-4611686018407202515,"message":"m"}""", json);
    }

    [Fact]
    public void Unknown_request_field_is_rejected()
    {
        var ex = Assert.ThrowsAny<JsonException>(() => LinstorJson.ReadRequest<NodeDto>("""{"name":"n1","nmae":"x"}"""));

        Assert.Equal("$.nmae", ex.Path);
    }

    [Fact]
    public void Unknown_field_in_nested_object_is_rejected()
    {
        var ex = Assert.ThrowsAny<JsonException>(() =>
            LinstorJson.ReadRequest<NodeDto>("""{"name":"n1","net_interfaces":[{"name":"d","address":"a","bogus":1}]}"""));

        Assert.Equal("$.net_interfaces[0].bogus", ex.Path);
    }

    [Fact]
    public void Field_names_are_case_sensitive()
    {
        Assert.ThrowsAny<JsonException>(() => LinstorJson.ReadRequest<NodeDto>("""{"Name":"n1"}"""));
    }

    [Fact]
    public void String_is_accepted_for_int_and_long()
    {
        var node = LinstorJson.ReadRequest<NodeDto>(
            """{"name":"n1","eviction_timestamp":"1700000000000","net_interfaces":[{"name":"d","address":"10.0.0.1","satellite_port":"2"}]}""");

        Assert.Equal(1700000000000L, node.EvictionTimestamp);
        Assert.Equal(2, node.NetInterfaces![0].SatellitePort);
    }

    [Fact]
    public void Non_numeric_string_for_int_is_rejected()
    {
        var ex = Assert.ThrowsAny<JsonException>(() =>
            LinstorJson.ReadRequest<NetInterfaceDto>("""{"name":"d","address":"a","satellite_port":"two"}"""));

        Assert.Equal("$.satellite_port", ex.Path);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("\"true\"", true)]
    [InlineData("\"false\"", false)]
    [InlineData("\"TRUE\"", true)]
    [InlineData("\"False\"", false)]
    public void Bool_accepts_json_booleans_and_true_false_strings(string literal, bool expected)
    {
        var nullable = LinstorJson.ReadRequest<NetInterfaceDto>($$"""{"name":"d","is_active":{{literal}}}""");
        var plain = LinstorJson.ReadRequest<Flagged>($$"""{"flag":{{literal}},"maybe_flag":{{literal}}}""");

        Assert.Equal(expected, nullable.IsActive);
        Assert.Equal(expected, plain.Flag);
        Assert.Equal(expected, plain.MaybeFlag);
    }

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("\"1\"")]
    [InlineData("1")]
    [InlineData("\"\"")]
    [InlineData("{}")]
    public void Bool_rejects_other_values(string literal)
    {
        var ex = Assert.ThrowsAny<JsonException>(() => LinstorJson.ReadRequest<NetInterfaceDto>($$"""{"is_active":{{literal}}}"""));

        Assert.Equal("$.is_active", ex.Path);
    }

    [Fact]
    public void Null_is_accepted_for_nullable_fields()
    {
        var parsed = LinstorJson.ReadRequest<Flagged>("""{"maybe_flag":null,"text":null}""");

        Assert.Null(parsed.MaybeFlag);
        Assert.Null(parsed.Text);
    }

    [Fact]
    public void Numbers_and_booleans_are_taken_as_text_for_strings_like_jackson()
    {
        var parsed = LinstorJson.ReadRequest<NodeModifyDto>(
            """{"node_type":5,"override_props":{"a":1,"b":true,"c":"x"},"delete_props":[2,false]}""");

        Assert.Equal("5", parsed.NodeType);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "true", ["c"] = "x" }, parsed.OverrideProps);
        Assert.Equal(["2", "false"], parsed.DeleteProps);
    }

    [Fact]
    public void Object_for_a_string_field_is_rejected()
    {
        var ex = Assert.ThrowsAny<JsonException>(() => LinstorJson.ReadRequest<NodeDto>("""{"name":{"x":1}}"""));

        Assert.Equal("$.name", ex.Path);
    }

    [Fact]
    public void Null_property_value_is_rejected_naming_the_key()
    {
        var ex = Assert.ThrowsAny<JsonException>(() =>
            LinstorJson.ReadRequest<ControllerPropsModifyDto>("""{"override_props":{"Aux/a":null}}"""));

        Assert.Equal("$.override_props", ex.Path);
        Assert.Contains("'Aux/a'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_list_element_is_rejected()
    {
        var ex = Assert.ThrowsAny<JsonException>(() =>
            LinstorJson.ReadRequest<ControllerPropsModifyDto>("""{"delete_props":["a",null]}"""));

        Assert.Equal("$.delete_props", ex.Path);
        Assert.Contains("[1]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_property_key_keeps_the_last_value()
    {
        var parsed = LinstorJson.ReadRequest<PropsModifyDto>("""{"override_props":{"k":"1","k":"2"}}""");

        Assert.Equal("2", parsed.OverrideProps!["k"]);
    }

    [Fact]
    public void Property_map_keeps_the_order_received()
    {
        var parsed = LinstorJson.ReadRequest<PropsModifyDto>("""{"override_props":{"z":"1","a":"2"}}""");

        Assert.Equal("""{"override_props":{"z":"1","a":"2"}}""", LinstorJson.Serialize(parsed));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"name\":\"n1\",}")]
    [InlineData("{\"name\":\"n1\" /* c */}")]
    public void Invalid_bodies_are_rejected(string body)
    {
        Assert.ThrowsAny<JsonException>(() => LinstorJson.ReadRequest<NodeDto>(body));
    }

    [Fact]
    public async Task Reads_a_request_from_a_stream()
    {
        using var body = new MemoryStream(Encoding.UTF8.GetBytes("""{"storage_pool_name":"p","provider_kind":"lvm_thin","props":{"StorDriver/LvmVg":"vg"}}"""));

        var pool = await LinstorJson.ReadRequestAsync<StoragePoolDto>(body);

        Assert.Equal("p", pool.StoragePoolName);
        Assert.Equal("lvm_thin", pool.ProviderKind);
        Assert.Equal("vg", pool.Props!["StorDriver/LvmVg"]);
    }

    [Fact]
    public async Task Null_body_from_a_stream_is_rejected()
    {
        using var body = new MemoryStream("null"u8.ToArray());

        await Assert.ThrowsAnyAsync<JsonException>(async () => await LinstorJson.ReadRequestAsync<StoragePoolDto>(body));
    }

    [Fact]
    public void Shared_options_are_read_only()
    {
        Assert.True(LinstorJson.Options.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => LinstorJson.Options.WriteIndented = true);
    }

    [Fact]
    public void Configure_applies_the_settings_to_other_options()
    {
        var options = new JsonSerializerOptions();
        LinstorJson.Configure(options);

        Assert.Equal("""{"name":"n1"}""", JsonSerializer.Serialize(new NodeDto { Name = "n1", Flags = [] }, options));
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<NodeDto>("""{"x":1}""", options));
    }
}
