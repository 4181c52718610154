using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Fabric.Core.Serialization;

/// <summary>
/// The System.Text.Json settings of the journal format. Changing any of them changes stored bytes:
/// treat them as frozen (a golden-JSON test guards them).
/// </summary>
public static class DurableJsonOptions
{
    /// <summary>
    /// camelCase property names; dictionary keys kept verbatim (property keys are case-sensitive data);
    /// enums as their member names; a missing non-nullable constructor parameter or a null in a non-nullable
    /// member is an error rather than a silent default (evolve a type by adding a new manifest version,
    /// or by adding constructor parameters with default values).
    /// </summary>
    public static JsonSerializerOptions Default { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = null,
            WriteIndented = false,
            NumberHandling = JsonNumberHandling.Strict,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        options.MakeReadOnly();
        return options;
    }
}
