using System.Text.Json;
using System.Text.RegularExpressions;
using Fabric.Core.Api;

namespace Fabric.Host.Api.Contracts;

/// <summary>
/// HTTP status codes for ApiCallRc lists, as LINSTOR's <c>ApiCallRcRestUtils.toResponse</c> computes
/// them, plus the entries for request bodies that cannot be parsed or are too large.
/// </summary>
public static partial class ApiCallRcHttp
{
    public const int StatusOk = 200;
    public const int StatusCreated = 201;
    public const int StatusBadRequest = 400;
    public const int StatusUnauthorized = 401;
    public const int StatusForbidden = 403;
    public const int StatusNotFound = 404;
    public const int StatusPayloadTooLarge = 413;
    public const int StatusInternalServerError = 500;

    /// <summary>The <c>WWW-Authenticate</c> header LINSTOR sends with a 401.</summary>
    public const string UnauthorizedChallenge = "Basic realm=\"Linstor\"";

    /// <summary>
    /// Start of the message of every parse-error entry; LINSTOR's own message is "Unable to parse input json."
    /// (with the parser's message in details), here followed by what is wrong.
    /// </summary>
    public const string ParseErrorMessagePrefix = "Unable to parse input json";

    /// <summary>FAIL_SIGN_IN = 10000 | MASK_ERROR (linstor-common consts.json).</summary>
    internal const long FailSignIn = 10000L | ApiConsts.MaskError;

    /// <summary>FAIL_SIGN_IN_MISSING_CREDENTIALS = 10001 | MASK_ERROR (linstor-common consts.json).</summary>
    internal const long FailSignInMissingCredentials = 10001L | ApiConsts.MaskError;

    /// <summary>
    /// The first error entry decides: code 300–399 (not found) → 404; code 400–499 (access denied)
    /// or FAIL_SIGN_IN → 403; FAIL_SIGN_IN_MISSING_CREDENTIALS → 401 (send <see cref="UnauthorizedChallenge"/>);
    /// any other error → 500. Without errors: 201 for creates, 200 otherwise.
    /// </summary>
    public static int StatusFor(IEnumerable<ApiCallRc> entries, bool isCreate)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            if (!entry.IsError)
                continue;

            var code = ApiConsts.CodeOf(entry.RetCode);
            if (code is >= 300 and <= 399)
                return StatusNotFound;
            if (entry.RetCode == FailSignIn || code is >= 400 and <= 499)
                return StatusForbidden;
            if (entry.RetCode == FailSignInMissingCredentials)
                return StatusUnauthorized;
            return StatusInternalServerError;
        }
        return isCreate ? StatusCreated : StatusOk;
    }

    /// <summary>
    /// The <see cref="ApiConsts.ApiCallParseError"/> entry for a body that could not be read, to be sent
    /// with <see cref="StatusBadRequest"/>: the message says which field is wrong and what was expected,
    /// the cause gives the JSON path and position, the details the parser's own message.
    /// </summary>
    /// <remarks>
    /// LINSTOR answers 400 on its synchronous request path (RequestHelper.doInScope) and 500 on some
    /// asynchronous ones; clients only look at the error bit of ret_code.
    /// </remarks>
    public static ApiCallRc ParseError(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var path = string.IsNullOrEmpty(exception.Path) ? "$" : exception.Path;
        var position = exception.LineNumber is { } line && exception.BytePositionInLine is { } column
            ? $" (line {line + 1}, byte {column + 1})"
            : string.Empty;
        var (problem, wellFormed, correction) = Explain(exception, path);

        return new ApiCallRc(
            ApiConsts.ApiCallParseError,
            $"{ParseErrorMessagePrefix}: {problem}",
            Cause: wellFormed
                ? $"The request body does not have the expected shape at JSON path {path}{position}."
                : $"The request body is not well-formed JSON at JSON path {path}{position}.",
            Details: exception.Message,
            Correction: correction);
    }

    /// <summary>The entry for a body larger than the limit, to be sent with <see cref="StatusPayloadTooLarge"/>.</summary>
    public static ApiCallRc PayloadTooLarge(long limitBytes, long? actualBytes = null) =>
        new(
            ApiConsts.MaskError | ApiConsts.FailInvldRequest,
            actualBytes is { } actual
                ? $"The request body of {actual} bytes is larger than the limit of {limitBytes} bytes."
                : $"The request body is larger than the limit of {limitBytes} bytes.",
            Cause: "The server refuses request bodies above this size.",
            Correction: "Send a smaller request, e.g. split the change into several requests.");

    private static (string Problem, bool WellFormed, string Correction) Explain(JsonException exception, string path)
    {
        var field = FieldOf(path);
        var raw = StripPosition(exception.Message);

        if (exception is LinstorJsonException linstor)
            return (path == "$" ? raw : $"{field}: {raw}", true, $"Send {linstor.Expected} for {field}.");

        var unknown = UnmappedMember().Match(raw);
        if (unknown.Success)
        {
            var name = unknown.Groups["name"].Value;
            return ($"unknown field '{name}'.", true,
                $"Remove the field '{name}' (at {path}); field names are snake_case and case-sensitive, see the LINSTOR REST API.");
        }

        var conversion = ConversionFailed().Match(raw);
        if (conversion.Success)
        {
            var expected = Expected(conversion.Groups["type"].Value);
            return ($"{field} is not {expected}.", true, $"Send {expected} for {field}.");
        }

        var missing = MissingRequired().Match(raw);
        if (missing.Success)
        {
            var names = missing.Groups["names"].Value;
            return ($"required field(s) {names} missing.", true, $"Add the field(s) {names}.");
        }

        var notNull = NullNotAllowed().Match(raw);
        if (notNull.Success)
        {
            var name = notNull.Groups["name"].Value;
            return ($"field '{name}' must not be null.", true, $"Send a value for '{name}'; it cannot be null.");
        }

        if (raw.Contains("does not contain any JSON tokens", StringComparison.Ordinal))
            return ("the request body is empty; expected a JSON object.", false, "Send a JSON object as the request body.");

        var reason = raw
            .Replace(" Change the reader options.", string.Empty, StringComparison.Ordinal)
            .Replace(", when isFinalBlock is true", string.Empty, StringComparison.Ordinal);
        return ($"invalid JSON: {reason}", false, "Send a well-formed JSON document (RFC 8259; no comments or trailing commas).");
    }

    /// <summary>$.net_interfaces[0].satellite_port → field 'net_interfaces[0].satellite_port'.</summary>
    private static string FieldOf(string path)
    {
        if (path is "$" or "")
            return "the request body";
        return $"field '{path.TrimStart('$').TrimStart('.')}'";
    }

    /// <summary>Plain-language name of a .NET type named in a System.Text.Json message.</summary>
    private static string Expected(string typeName)
    {
        var name = typeName.Replace("System.Nullable`1[", string.Empty, StringComparison.Ordinal).TrimEnd(']');
        return name switch
        {
            "System.Int32" => "a whole number (32-bit)",
            "System.Int64" => "a whole number (64-bit)",
            "System.Boolean" => "a boolean (true or false)",
            "System.String" => "a string",
            _ when name.Contains("Dictionary", StringComparison.Ordinal) => "an object",
            _ when name.Contains("List", StringComparison.Ordinal) || name.EndsWith("[]", StringComparison.Ordinal) => "an array",
            _ => "an object",
        };
    }

    private static string StripPosition(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return cut >= 0 ? message[..cut] : message;
    }

    [GeneratedRegex(@"The JSON property '(?<name>.*)' could not be mapped")]
    private static partial Regex UnmappedMember();

    [GeneratedRegex(@"could not be converted to (?<type>\S+?)\.?(\s|$)")]
    private static partial Regex ConversionFailed();

    [GeneratedRegex(@"missing required properties,? including(?: the following)?: (?<names>.*?)\.?$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"The property or field '(?<name>[^']*)' on type '[^']*' doesn't allow setting null values")]
    private static partial Regex NullNotAllowed();
}
