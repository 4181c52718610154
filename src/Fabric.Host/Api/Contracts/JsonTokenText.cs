using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Fabric.Host.Api.Contracts;

/// <summary>Small helpers the lenient converters share: token descriptions and Jackson's scalar-to-text coercion.</summary>
internal static class JsonTokenText
{
    /// <summary>"a number", "an object", ... for error messages.</summary>
    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>
    /// Text of a scalar token the way Jackson coerces scalars into a String field: strings as is,
    /// numbers as written, booleans as "true"/"false". Null for non-scalars.
    /// </summary>
    public static string? ScalarAsText(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => null,
    };
}
