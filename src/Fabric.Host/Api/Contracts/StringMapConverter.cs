using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabric.Host.Api.Contracts;

/// <summary>
/// LINSTOR <c>Properties</c> (map of string to string). Values may be strings, or numbers/booleans
/// taken as text (Jackson coercion); null, object and array values are rejected, naming the key.
/// Keys are kept verbatim (no naming policy) in the order received; a repeated key keeps its last value.
/// </summary>
internal sealed class StringMapConverter : JsonConverter<IReadOnlyDictionary<string, string>>
{
    public override IReadOnlyDictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new LinstorJsonException($"expected an object of string values but found {JsonTokenText.Describe(reader.TokenType)}.", "an object of string values");

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
                return result;

            var key = reader.GetString() ?? string.Empty;
            reader.Read();
            result[key] = JsonTokenText.ScalarAsText(ref reader)
                ?? throw new LinstorJsonException(
                    $"the value of key '{key}' is {JsonTokenText.Describe(reader.TokenType)}; expected a string.",
                    $"a string as the value of key '{key}'");
        }

        throw new LinstorJsonException("unexpected end of the JSON object.", "an object of string values");
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, item) in value)
            writer.WriteString(key, item);
        writer.WriteEndObject();
    }
}
