using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabric.Host.Api.Contracts;

/// <summary>
/// Strings as LINSTOR's Jackson reads them: a JSON string, or a number or boolean taken as its text
/// (Jackson's default scalar coercion). Objects and arrays are rejected.
/// </summary>
internal sealed class LenientStringConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonTokenText.ScalarAsText(ref reader)
        ?? throw new LinstorJsonException($"expected a string but found {JsonTokenText.Describe(reader.TokenType)}.", "a string");

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() ?? string.Empty;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value);
}
