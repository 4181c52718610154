using System.Collections.Immutable;
using System.Text.Json;
using Fabric.Core.Api;
using Fabric.Core.Properties;
using Fabric.Host.Api.Contracts;
using Xunit;

namespace Fabric.Host.Tests.Api;

public sealed class ApiCallRcMappingTests
{
    private static readonly DateTimeOffset NewYear = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Node_created_ret_code_is_the_digest_example()
    {
        Assert.Equal(20709377L, ApiConsts.MaskNode | ApiConsts.MaskCrt | ApiConsts.Created);
        Assert.Equal(0x013C0001L, ApiCallRc.Success(ApiConsts.MaskNode, ApiConsts.MaskCrt, ApiConsts.Created, "m").RetCode);
    }

    [Fact]
    public void Node_created_entry_serializes_like_linstor()
    {
        var rc = ApiCallRc.Success(ApiConsts.MaskNode, ApiConsts.MaskCrt, ApiConsts.Created, "New node 'n1' created.", details: "Node 'n1' UUID is: u1")
            .WithRef("Node", "n1");

        var json = LinstorJson.Serialize(new[] { rc.ToDto(NewYear) });

        Assert.Equal(
            """[{"ret_code":20709377,"message":"New node 'n1' created.","details":"Node 'n1' UUID is: u1","obj_refs":{"Node":"n1"},"created_at":"2026-01-01T00:00:00.000+00:00"}]""",
            json);
    }

    [Fact]
    public void Not_found_during_resource_create_is_the_digest_negative_example()
    {
        const long failNotFoundRscDfn = 301;
        var rc = ApiCallRc.Error(ApiConsts.MaskRsc, ApiConsts.MaskCrt, failNotFoundRscDfn, "m");

        Assert.Equal(-4611686018407202515L, rc.RetCode);
        Assert.Contains("\"ret_code\":-4611686018407202515", LinstorJson.Serialize(rc.ToDto(NewYear)), StringComparison.Ordinal);
    }

    [Fact]
    public void To_dto_copies_every_field()
    {
        var rc = new ApiCallRc(
            ApiConsts.MaskError | ApiConsts.MaskStorPool | ApiConsts.MaskCrt | ApiConsts.FailNotFoundNode,
            "message",
            "cause",
            "details",
            "correction",
            ImmutableSortedDictionary<string, string>.Empty.Add("Node", "n1").Add("StorPool", "p"));

        var dto = rc.ToDto(NewYear, ["ERR-1"]);

        Assert.Equal(rc.RetCode, dto.RetCode);
        Assert.Equal("message", dto.Message);
        Assert.Equal("cause", dto.Cause);
        Assert.Equal("details", dto.Details);
        Assert.Equal("correction", dto.Correction);
        Assert.Equal(["ERR-1"], dto.ErrorReportIds);
        Assert.Equal(new Dictionary<string, string> { ["Node"] = "n1", ["StorPool"] = "p" }, dto.ObjRefs);
        Assert.Equal("2026-01-01T00:00:00.000+00:00", dto.CreatedAt);
    }

    [Fact]
    public void Created_at_is_iso_8601_with_milliseconds_and_offset()
    {
        var time = new DateTimeOffset(2026, 3, 4, 5, 6, 7, 89, TimeSpan.FromHours(2));

        Assert.Equal("2026-03-04T05:06:07.089+02:00", ApiCallRcMapping.FormatCreatedAt(time));
        Assert.Equal("2026-03-04T05:06:07.089-05:30", ApiCallRcMapping.FormatCreatedAt(new DateTimeOffset(2026, 3, 4, 5, 6, 7, 89, TimeSpan.FromMinutes(-330))));
        Assert.True(DateTimeOffset.TryParse(ApiCallRcMapping.FormatCreatedAt(time), out var parsed));
        Assert.Equal(time, parsed);
    }

    [Fact]
    public void To_dtos_maps_a_list_in_order()
    {
        var rcs = new[]
        {
            ApiCallRc.Success(ApiConsts.MaskNode, ApiConsts.MaskCrt, ApiConsts.Created, "first"),
            ApiCallRc.Warning(ApiConsts.MaskNode, ApiConsts.MaskCrt, ApiConsts.WarnNotConnected, "second"),
        };

        var dtos = rcs.ToDtos(NewYear);

        Assert.Equal(["first", "second"], dtos.Select(d => d.Message));
        Assert.All(dtos, d => Assert.Equal("2026-01-01T00:00:00.000+00:00", d.CreatedAt));
    }

    [Fact]
    public void Modify_dtos_map_to_props_change()
    {
        var dto = LinstorJson.ReadRequest<NodeModifyDto>(
            """{"node_type":"combined","override_props":{"b":"2","a":"1"},"delete_props":["c"],"delete_namespaces":["Aux/ns"]}""");

        var change = dto.ToPropsChange();

        Assert.Equal(["a", "b"], change.Override.Keys);
        Assert.Equal("1", change.Override["a"]);
        Assert.Equal(["c"], change.Delete);
        Assert.Equal(["Aux/ns"], change.DeleteNamespaces);
    }

    [Fact]
    public void Absent_modify_fields_map_to_an_empty_change()
    {
        IPropsModify[] all =
        [
            LinstorJson.ReadRequest<NodeModifyDto>("{}"),
            LinstorJson.ReadRequest<StoragePoolDefinitionModifyDto>("{}"),
            LinstorJson.ReadRequest<ControllerPropsModifyDto>("{}"),
            LinstorJson.ReadRequest<PropsModifyDto>("{}"),
        ];

        Assert.All(all, dto => Assert.True(dto.ToPropsChange().IsEmpty));
    }

    [Fact]
    public void Every_props_modify_dto_maps_all_three_fields()
    {
        const string body = """{"override_props":{"k":"v"},"delete_props":["d"],"delete_namespaces":["n"]}""";
        IPropsModify[] all =
        [
            LinstorJson.ReadRequest<NodeModifyDto>(body),
            LinstorJson.ReadRequest<StoragePoolDefinitionModifyDto>(body),
            LinstorJson.ReadRequest<ControllerPropsModifyDto>(body),
            LinstorJson.ReadRequest<PropsModifyDto>(body),
        ];

        foreach (var dto in all)
        {
            PropsChange change = dto.ToPropsChange();
            Assert.Equal("v", change.Override["k"]);
            Assert.Equal(["d"], change.Delete);
            Assert.Equal(["n"], change.DeleteNamespaces);
        }
    }

    [Fact]
    public void Parse_error_entry_round_trips_as_api_call_rc_list()
    {
        var ex = Assert.ThrowsAny<JsonException>(() => LinstorJson.ReadRequest<NodeDto>("""{"x":1}"""));
        var json = LinstorJson.Serialize(new[] { ApiCallRcHttp.ParseError(ex).ToDto(NewYear) });

        var parsed = JsonSerializer.Deserialize<List<ApiCallRcDto>>(json, LinstorJson.Options);

        var entry = Assert.Single(parsed!);
        Assert.Equal(ApiConsts.ApiCallParseError, entry.RetCode);
    }
}
