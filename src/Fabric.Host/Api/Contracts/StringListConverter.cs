using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabric.Host.Api.Contracts;

/// <summary>
/// A JSON array of strings. Elements may be strings, or numbers/booleans taken as text (Jackson
/// coercion); null, object and array elements are rejected, naming the index.
/// </summary>
internal sealed class StringListConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new LinstorJsonException($"expected an array of strings but found {JsonTokenText.Describe(reader.TokenType)}.", "an array of strings");

        var result = new List<string>();
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndArray)
                return result;

            result.Add(JsonTokenText.ScalarAsText(ref reader)
                ?? throw new LinstorJsonException(
                    $"element [{result.Count}] is {JsonTokenText.Describe(reader.TokenType)}; expected a string.",
                    $"a string as element [{result.Count}]"));
        }

        throw new LinstorJsonException("unexpected end of the JSON array.", "an array of strings");
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value)
            writer.WriteStringValue(item);
        writer.WriteEndArray();
    }
}
