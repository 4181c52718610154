using System.Text.Json;
using Fabric.Core.Api;
using Fabric.Host.Api.Contracts;
using Xunit;

namespace Fabric.Host.Tests.Api;

public sealed class ApiCallRcHttpTests
{
    private static ApiCallRc Err(long code) => ApiCallRc.Error(ApiConsts.MaskNode, ApiConsts.MaskCrt, code, $"error {code}");

    private static ApiCallRc Ok() => ApiCallRc.Success(ApiConsts.MaskNode, ApiConsts.MaskCrt, ApiConsts.Created, "created");

    private static ApiCallRc Warn(long code) => ApiCallRc.Warning(ApiConsts.MaskNode, ApiConsts.MaskCrt, code, "warning");

    private static ApiCallRc Info() => ApiCallRc.Info(ApiConsts.MaskNode, ApiConsts.MaskMod, ApiConsts.InfoPropSet, "info");

    [Theory]
    [InlineData(true, 201)]
    [InlineData(false, 200)]
    public void Empty_list_is_success(bool isCreate, int expected)
    {
        Assert.Equal(expected, ApiCallRcHttp.StatusFor([], isCreate));
    }

    [Theory]
    [InlineData(true, 201)]
    [InlineData(false, 200)]
    public void Success_info_and_warnings_are_success(bool isCreate, int expected)
    {
        Assert.Equal(expected, ApiCallRcHttp.StatusFor([Ok(), Info(), Warn(ApiConsts.WarnNotConnected)], isCreate));
    }

    [Fact]
    public void A_warning_with_a_not_found_code_is_not_an_error()
    {
        Assert.Equal(200, ApiCallRcHttp.StatusFor([Warn(ApiConsts.FailNotFoundNode)], isCreate: false));
    }

    [Theory]
    [InlineData(300, 404)]
    [InlineData(310, 404)]
    [InlineData(399, 404)]
    [InlineData(400, 403)]
    [InlineData(499, 403)]
    [InlineData(299, 500)]
    [InlineData(200, 500)]
    [InlineData(500, 500)]
    [InlineData(510, 500)]
    [InlineData(998, 500)]
    [InlineData(100, 500)]
    public void Error_code_range_decides(long code, int expected)
    {
        Assert.Equal(expected, ApiCallRcHttp.StatusFor([Err(code)], isCreate: true));
        Assert.Equal(expected, ApiCallRcHttp.StatusFor([Err(code)], isCreate: false));
    }

    [Fact]
    public void Sign_in_failures_map_to_403_and_401()
    {
        Assert.Equal(403, ApiCallRcHttp.StatusFor([new ApiCallRc(ApiCallRcHttp.FailSignIn, "denied")], isCreate: false));
        Assert.Equal(401, ApiCallRcHttp.StatusFor([new ApiCallRc(ApiCallRcHttp.FailSignInMissingCredentials, "who?")], isCreate: false));
        Assert.Equal(10000L | ApiConsts.MaskError, ApiCallRcHttp.FailSignIn);
        Assert.Equal(10001L | ApiConsts.MaskError, ApiCallRcHttp.FailSignInMissingCredentials);
    }

    [Fact]
    public void The_first_error_decides_not_the_first_entry_or_the_worst()
    {
        Assert.Equal(404, ApiCallRcHttp.StatusFor([Ok(), Warn(ApiConsts.WarnNotConnected), Err(ApiConsts.FailNotFoundNode), Err(ApiConsts.FailExistsNode)], isCreate: true));
        Assert.Equal(500, ApiCallRcHttp.StatusFor([Err(ApiConsts.FailExistsNode), Err(ApiConsts.FailNotFoundNode)], isCreate: true));
        Assert.Equal(403, ApiCallRcHttp.StatusFor([Info(), Err(401), Err(300)], isCreate: false));
    }

    [Fact]
    public void Parse_error_entry_would_be_500_under_to_response_so_callers_send_400_explicitly()
    {
        var entry = ApiCallRcHttp.ParseError(new JsonException("bad"));

        Assert.Equal(500, ApiCallRcHttp.StatusFor([entry], isCreate: true));
        Assert.Equal(400, ApiCallRcHttp.StatusBadRequest);
    }

    [Fact]
    public void Parse_error_for_unknown_field_names_the_field()
    {
        var rc = ParseErrorFor<NodeDto>("""{"name":"n1","nmae":"x"}""");

        Assert.Equal(ApiConsts.ApiCallParseError, rc.RetCode);
        Assert.True(rc.IsError);
        Assert.StartsWith("Unable to parse input json: ", rc.Message, StringComparison.Ordinal);
        Assert.Contains("unknown field 'nmae'", rc.Message, StringComparison.Ordinal);
        Assert.Contains("$.nmae", rc.Cause, StringComparison.Ordinal);
        Assert.Contains("'nmae'", rc.Correction, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(rc.Details));
        Assert.Null(rc.ObjRefs);
    }

    [Fact]
    public void Parse_error_for_wrong_type_names_the_path_and_the_expected_type()
    {
        var rc = ParseErrorFor<NodeDto>("""{"name":"n1","net_interfaces":[{"name":"d","address":"a","satellite_port":"abc"}]}""");

        Assert.Contains("'net_interfaces[0].satellite_port'", rc.Message, StringComparison.Ordinal);
        Assert.Contains("whole number", rc.Message, StringComparison.Ordinal);
        Assert.Contains("$.net_interfaces[0].satellite_port", rc.Cause, StringComparison.Ordinal);
        Assert.Contains("whole number", rc.Correction, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_error_for_bad_boolean_says_a_boolean_was_expected()
    {
        var rc = ParseErrorFor<NetInterfaceDto>("""{"name":"d","is_active":"yes"}""");

        Assert.Contains("'is_active'", rc.Message, StringComparison.Ordinal);
        Assert.Contains("\"yes\"", rc.Message, StringComparison.Ordinal);
        Assert.Equal("Send a boolean (true or false) for field 'is_active'.", rc.Correction);
    }

    [Fact]
    public void Parse_error_for_null_property_value_names_the_key()
    {
        var rc = ParseErrorFor<ControllerPropsModifyDto>("""{"override_props":{"Aux/x":null}}""");

        Assert.Contains("'override_props'", rc.Message, StringComparison.Ordinal);
        Assert.Contains("'Aux/x'", rc.Message, StringComparison.Ordinal);
        Assert.Contains("'Aux/x'", rc.Correction, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_error_for_array_instead_of_object()
    {
        var rc = ParseErrorFor<NodeDto>("""{"props":["a"]}""");

        Assert.Contains("'props'", rc.Message, StringComparison.Ordinal);
        Assert.Contains("object", rc.Correction, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_error_for_malformed_json_says_so()
    {
        var rc = ParseErrorFor<NodeDto>("{\"name\":\"n1\",}");

        Assert.Contains("invalid JSON", rc.Message, StringComparison.Ordinal);
        Assert.Contains("not well-formed JSON", rc.Cause, StringComparison.Ordinal);
        Assert.DoesNotContain("reader options", rc.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_error_for_empty_and_null_bodies()
    {
        Assert.Contains("empty", ParseErrorFor<NodeDto>("").Message, StringComparison.Ordinal);
        Assert.Contains("null", ParseErrorFor<NodeDto>("null").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_error_for_missing_required_field()
    {
        var rc = ParseErrorFor<ApiCallRcDto>("""{"ret_code":1}""");

        Assert.Contains("'message'", rc.Message, StringComparison.Ordinal);
        Assert.Contains("'message'", rc.Correction, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_error_serializes_to_the_linstor_shape()
    {
        var rc = ParseErrorFor<NodeDto>("""{"x":1}""");

        var json = LinstorJson.Serialize(rc.ToDto(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        using var document = JsonDocument.Parse(json);
        Assert.Equal(["ret_code", "message", "cause", "details", "correction", "created_at"], document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(-3458764513820540931L, document.RootElement.GetProperty("ret_code").GetInt64());
    }

    [Fact]
    public void Payload_too_large_entry_is_an_error_giving_the_limit()
    {
        var rc = ApiCallRcHttp.PayloadTooLarge(1_048_576, 2_000_000);

        Assert.True(rc.IsError);
        Assert.Equal(ApiConsts.FailInvldRequest, ApiConsts.CodeOf(rc.RetCode));
        Assert.Contains("1048576", rc.Message, StringComparison.Ordinal);
        Assert.Contains("2000000", rc.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(rc.Correction));
        Assert.Contains("1048576", ApiCallRcHttp.PayloadTooLarge(1_048_576).Message, StringComparison.Ordinal);
        Assert.Equal(413, ApiCallRcHttp.StatusPayloadTooLarge);
    }

    private static ApiCallRc ParseErrorFor<T>(string body) where T : class
    {
        var ex = Assert.ThrowsAny<JsonException>(() => LinstorJson.ReadRequest<T>(body));
        return ApiCallRcHttp.ParseError(ex);
    }
}
