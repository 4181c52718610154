using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabric.Host.Api.Contracts;

/// <summary>
/// Booleans as LINSTOR's Jackson reads them: JSON true/false, or the strings "true"/"false" in any case.
/// Registered for <see cref="bool"/>; System.Text.Json uses it for <see cref="Nullable{T}"/> of bool too.
/// </summary>
internal sealed class LenientBooleanConverter : JsonConverter<bool>
{
    private const string Expected = "a boolean (true or false)";

    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.String:
                var text = reader.GetString();
                if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase))
                    return true;
                if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase))
                    return false;
                throw new LinstorJsonException($"expected a boolean (true or false) but found the string \"{text}\".", Expected);
            default:
                throw new LinstorJsonException($"expected a boolean (true or false) but found {JsonTokenText.Describe(reader.TokenType)}.", Expected);
        }
    }

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) =>
        writer.WriteBooleanValue(value);
}
