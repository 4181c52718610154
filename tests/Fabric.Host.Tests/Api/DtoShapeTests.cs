using System.Text.Json;
using Fabric.Host.Api.Contracts;
using Xunit;

namespace Fabric.Host.Tests.Api;

/// <summary>The DTOs carry exactly the spec's fields (linstor-rest-v1.yaml, components/schemas), in its order.</summary>
public sealed class DtoShapeTests
{
    public static TheoryData<string, string[]> SpecFields => new()
    {
        { nameof(NodeDto), ["name", "type", "flags", "props", "net_interfaces", "connection_status", "uuid", "storage_providers", "resource_layers", "unsupported_providers", "unsupported_layers", "eviction_timestamp", "platform", "os_variant"] },
        { nameof(NetInterfaceDto), ["name", "address", "satellite_port", "satellite_encryption_type", "is_active", "uuid"] },
        { nameof(NodeModifyDto), ["node_type", "override_props", "delete_props", "delete_namespaces"] },
        { nameof(StoragePoolDto), ["storage_pool_name", "node_name", "provider_kind", "props", "static_traits", "free_capacity", "total_capacity", "free_space_mgr_name", "uuid", "reports", "supports_snapshots", "shared_space", "external_locking"] },
        { nameof(StoragePoolDefinitionDto), ["storage_pool_name", "props"] },
        { nameof(StoragePoolDefinitionModifyDto), ["override_props", "delete_props", "delete_namespaces"] },
        { nameof(ControllerPropsModifyDto), ["override_props", "delete_props", "delete_namespaces"] },
        { nameof(PropsModifyDto), ["override_props", "delete_props", "delete_namespaces"] },
        { nameof(ControllerVersionDto), ["version", "git_hash", "build_time", "rest_api_version"] },
        { nameof(ApiCallRcDto), ["ret_code", "message", "cause", "details", "correction", "error_report_ids", "obj_refs", "created_at"] },
    };

    private static readonly Dictionary<string, object> FullySet = new()
    {
        [nameof(NodeDto)] = FullNode(),
        [nameof(NetInterfaceDto)] = FullNetInterface(),
        [nameof(NodeModifyDto)] = new NodeModifyDto
        {
            NodeType = "satellite",
            OverrideProps = new Dictionary<string, string> { ["Aux/a"] = "1" },
            DeleteProps = ["Aux/b"],
            DeleteNamespaces = ["Aux/ns"],
        },
        [nameof(StoragePoolDto)] = FullStoragePool(),
        [nameof(StoragePoolDefinitionDto)] = new StoragePoolDefinitionDto
        {
            StoragePoolName = "pool1",
            Props = new Dictionary<string, string> { ["Aux/a"] = "1" },
        },
        [nameof(StoragePoolDefinitionModifyDto)] = new StoragePoolDefinitionModifyDto
        {
            OverrideProps = new Dictionary<string, string> { ["MaxOversubscriptionRatio"] = "2" },
            DeleteProps = ["Aux/b"],
            DeleteNamespaces = ["Aux/ns"],
        },
        [nameof(ControllerPropsModifyDto)] = new ControllerPropsModifyDto
        {
            OverrideProps = new Dictionary<string, string> { ["DrbdOptions/auto-quorum"] = "io-error" },
            DeleteProps = ["Aux/b"],
            DeleteNamespaces = ["Aux/ns"],
        },
        [nameof(PropsModifyDto)] = new PropsModifyDto
        {
            OverrideProps = new Dictionary<string, string> { ["Aux/a"] = "1" },
            DeleteProps = ["Aux/b"],
            DeleteNamespaces = ["Aux/ns"],
        },
        [nameof(ControllerVersionDto)] = new ControllerVersionDto
        {
            Version = "1.33.1",
            GitHash = "abcdef0",
            BuildTime = "2026-01-01T00:00:00+00:00",
            RestApiVersion = "1.28.0",
        },
        [nameof(ApiCallRcDto)] = FullApiCallRc(),
    };

    [Theory]
    [MemberData(nameof(SpecFields))]
    public void Json_field_names_and_order_match_the_spec(string dto, string[] specFields)
    {
        var type = FullySet[dto].GetType();

        var names = LinstorJson.Options.GetTypeInfo(type).Properties.Select(p => p.Name);

        Assert.Equal(specFields, names);
    }

    [Theory]
    [MemberData(nameof(SpecFields))]
    public void Fully_set_dto_writes_every_spec_field_in_order(string dto, string[] specFields)
    {
        var json = JsonSerializer.Serialize(FullySet[dto], FullySet[dto].GetType(), LinstorJson.Options);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(specFields, document.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [MemberData(nameof(SpecFields))]
    public void Dto_round_trips_through_json(string dto, string[] specFields)
    {
        _ = specFields;
        var original = FullySet[dto];
        var type = original.GetType();
        var json = JsonSerializer.Serialize(original, type, LinstorJson.Options);

        var parsed = JsonSerializer.Deserialize(json, type, LinstorJson.Options);

        Assert.NotNull(parsed);
        Assert.Equal(json, JsonSerializer.Serialize(parsed, type, LinstorJson.Options));
    }

    [Fact]
    public void Node_round_trip_keeps_values()
    {
        var json = LinstorJson.Serialize(FullNode());

        var node = LinstorJson.ReadRequest<NodeDto>(json);

        Assert.Equal("n1", node.Name);
        Assert.Equal("SATELLITE", node.Type);
        Assert.Equal(["EVICTED"], node.Flags);
        Assert.Equal("v", node.Props!["Aux/k"]);
        Assert.Equal(3366, node.NetInterfaces![0].SatellitePort);
        Assert.True(node.NetInterfaces[0].IsActive);
        Assert.Equal(["ZFS", "ZFS_THIN"], node.UnsupportedProviders!["zfs"]);
        Assert.Equal(1700000000000L, node.EvictionTimestamp);
        Assert.Equal("LINUX", node.Platform);
    }

    [Fact]
    public void Storage_pool_round_trip_keeps_nested_reports()
    {
        var json = LinstorJson.Serialize(FullStoragePool());

        var pool = LinstorJson.ReadRequest<StoragePoolDto>(json);

        var report = Assert.Single(pool.Reports!);
        Assert.Equal(-4611686018406907903L, report.RetCode);
        Assert.Equal("No such volume group", report.Message);
        Assert.Equal(1048576L, pool.TotalCapacity);
        Assert.False(pool.ExternalLocking);
    }

    [Fact]
    public void Api_call_rc_requires_ret_code_and_message()
    {
        Assert.ThrowsAny<JsonException>(() => LinstorJson.ReadRequest<ApiCallRcDto>("""{"message":"m"}"""));
        Assert.ThrowsAny<JsonException>(() => LinstorJson.ReadRequest<ApiCallRcDto>("""{"ret_code":1}"""));
    }

    [Fact]
    public void Python_client_node_create_body_is_accepted()
    {
        // Shape of linstor-api-py's node_create: lower-case type, port as a number, no uuid.
        const string body = """
            {"name": "alpha", "type": "satellite",
             "net_interfaces": [{"name": "default", "address": "10.43.70.1", "satellite_port": 3366,
                                 "satellite_encryption_type": "plain", "is_active": true}],
             "props": {}}
            """;

        var node = LinstorJson.ReadRequest<NodeDto>(body);

        Assert.Equal("alpha", node.Name);
        Assert.Equal("satellite", node.Type);
        Assert.Equal("plain", node.NetInterfaces![0].SatelliteEncryptionType);
        Assert.Empty(node.Props!);
    }

    private static NetInterfaceDto FullNetInterface() => new()
    {
        Name = "default",
        Address = "10.0.0.1",
        SatellitePort = 3366,
        SatelliteEncryptionType = "PLAIN",
        IsActive = true,
        Uuid = "e8ef8d6b-17bc-42f0-9367-4aae40c78ecb",
    };

    private static NodeDto FullNode() => new()
    {
        Name = "n1",
        Type = "SATELLITE",
        Flags = ["EVICTED"],
        Props = new Dictionary<string, string> { ["Aux/k"] = "v" },
        NetInterfaces = [FullNetInterface()],
        ConnectionStatus = "ONLINE",
        Uuid = "3c6f0e3e-6a8f-4d6b-9a57-0b2b8f1f2a10",
        StorageProviders = ["DISKLESS", "LVM", "LVM_THIN"],
        ResourceLayers = ["DRBD", "STORAGE"],
        UnsupportedProviders = new Dictionary<string, IReadOnlyList<string>> { ["zfs"] = ["ZFS", "ZFS_THIN"] },
        UnsupportedLayers = new Dictionary<string, IReadOnlyList<string>> { ["NVME"] = ["nvme-cli missing"] },
        EvictionTimestamp = 1700000000000,
        Platform = "LINUX",
        OsVariant = "Debian GNU/Linux 12 (bookworm)",
    };

    private static ApiCallRcDto FullApiCallRc() => new()
    {
        RetCode = -4611686018406907903,
        Message = "No such volume group",
        Cause = "vg0 is missing",
        Details = "vgs exited with 5",
        Correction = "Create vg0",
        ErrorReportIds = ["6571A3B2-00000-000000"],
        ObjRefs = new Dictionary<string, string> { ["Node"] = "n1", ["StorPool"] = "pool1" },
        CreatedAt = "2026-01-01T00:00:00.000+00:00",
    };

    private static StoragePoolDto FullStoragePool() => new()
    {
        StoragePoolName = "pool1",
        NodeName = "n1",
        ProviderKind = "LVM_THIN",
        Props = new Dictionary<string, string> { ["StorDriver/LvmVg"] = "vg0", ["StorDriver/ThinPool"] = "thin" },
        StaticTraits = new Dictionary<string, string> { ["Provisioning"] = "Thin", ["SupportsSnapshots"] = "true" },
        FreeCapacity = 524288,
        TotalCapacity = 1048576,
        FreeSpaceMgrName = "n1;pool1",
        Uuid = "0d4fd9a5-31a7-4bd4-9d26-4c2b8f0e9f11",
        Reports = [FullApiCallRc()],
        SupportsSnapshots = true,
        SharedSpace = "shared1",
        ExternalLocking = false,
    };
}
