using System.Collections;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Fabric.Host.Api.Contracts;

/// <summary>
/// System.Text.Json settings that read and write JSON the way LINSTOR's REST API (Jackson) does.
/// <list type="bullet">
/// <item>Output: snake_case names; null, empty strings and empty collections/maps are omitted
/// (Jackson <c>@JsonInclude(NON_EMPTY)</c>); numbers and booleans are always written, 0 and false included;
/// no HTML escaping of quotes or non-ASCII text.</item>
/// <item>Input: unknown fields are rejected; numbers are also accepted as strings ("2");
/// booleans also as the strings "true"/"false" in any case; string fields also take numbers
/// and booleans as their text; null values inside property maps and string lists are rejected.</item>
/// <item>Property-map keys are never renamed.</item>
/// </list>
/// </summary>
public static class LinstorJson
{
    /// <summary>The shared, read-only options. Use these for every LINSTOR REST body.</summary>
    public static JsonSerializerOptions Options { get; } = CreateReadOnly();

    /// <summary>Applies the LINSTOR settings to a mutable options instance (e.g. ASP.NET Core's HTTP JSON options).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.PropertyNameCaseInsensitive = false;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.NumberHandling = JsonNumberHandling.AllowReadingFromString;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.RespectNullableAnnotations = true;
        options.ReadCommentHandling = JsonCommentHandling.Disallow;
        options.AllowTrailingCommas = false;
        options.WriteIndented = false;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new LenientBooleanConverter());
        options.Converters.Add(new LenientStringConverter());
        options.Converters.Add(new StringMapConverter());
        options.Converters.Add(new StringListConverter());
        options.TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitEmptyValues } };
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static byte[] SerializeToUtf8Bytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>Parses a request body. Throws <see cref="JsonException"/> for malformed JSON, unknown fields, wrong types, or a JSON <c>null</c> body.</summary>
    public static T ReadRequest<T>(ReadOnlySpan<byte> utf8Json) where T : class =>
        JsonSerializer.Deserialize<T>(utf8Json, Options) ?? throw NullBody<T>();

    /// <inheritdoc cref="ReadRequest{T}(ReadOnlySpan{byte})"/>
    public static T ReadRequest<T>(string json) where T : class =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw NullBody<T>();

    /// <inheritdoc cref="ReadRequest{T}(ReadOnlySpan{byte})"/>
    public static async ValueTask<T> ReadRequestAsync<T>(Stream utf8Json, CancellationToken cancellationToken = default) where T : class =>
        await JsonSerializer.DeserializeAsync<T>(utf8Json, Options, cancellationToken).ConfigureAwait(false) ?? throw NullBody<T>();

    /// <summary>True for what Jackson's NON_EMPTY leaves out: null, "", and empty collections or maps.</summary>
    internal static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        ICollection c => c.Count == 0,
        IEnumerable e => !HasAny(e),
        _ => false,
    };

    private static bool HasAny(IEnumerable items)
    {
        var enumerator = items.GetEnumerator();
        try
        {
            return enumerator.MoveNext();
        }
        finally
        {
            (enumerator as IDisposable)?.Dispose();
        }
    }

    private static void OmitEmptyValues(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
            return;
        foreach (var property in typeInfo.Properties)
            property.ShouldSerialize = static (_, value) => !IsEmpty(value);
    }

    private static LinstorJsonException NullBody<T>() =>
        new("the request body is null; expected a JSON object.", "a JSON object", "$");

    private static JsonSerializerOptions CreateReadOnly()
    {
        var options = new JsonSerializerOptions();
        Configure(options);
        options.MakeReadOnly();
        return options;
    }
}
