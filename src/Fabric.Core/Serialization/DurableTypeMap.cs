using System.Collections.Frozen;
using System.Reflection;
using System.Runtime.Serialization;

namespace Fabric.Core.Serialization;

/// <summary>
/// The validated, immutable two-way map between stable manifests and concrete <see cref="IDurable"/> types,
/// built by scanning assemblies. Building fails with one <see cref="InvalidOperationException"/> that lists
/// every problem found, so a bad durable type stops the process at start instead of corrupting the journal.
/// </summary>
public sealed class DurableTypeMap
{
    private readonly FrozenDictionary<string, Type> typeByManifest;
    private readonly FrozenDictionary<Type, string> manifestByType;

    private DurableTypeMap(Dictionary<string, Type> byManifest)
    {
        typeByManifest = byManifest.ToFrozenDictionary(StringComparer.Ordinal);
        manifestByType = byManifest.ToFrozenDictionary(pair => pair.Value, pair => pair.Key);
    }

    /// <summary>Manifest → type, for every registered durable type.</summary>
    public IReadOnlyDictionary<string, Type> TypesByManifest => typeByManifest;

    public bool TryGetType(string manifest, out Type type) => typeByManifest.TryGetValue(manifest, out type!);

    /// <summary>The manifest of a registered durable type; a <see cref="SerializationException"/> otherwise.</summary>
    public string ManifestOf(Type type) =>
        manifestByType.TryGetValue(type, out var manifest)
            ? manifest
            : throw new SerializationException(
                $"Type '{type.FullName}' is not a registered durable type. It must implement {nameof(IDurable)}, " +
                $"carry [{nameof(DurableAttribute)}(\"...\")], and its assembly '{type.Assembly.GetName().Name}' " +
                $"must be registered with {nameof(DurableTypeRegistry)}.{nameof(DurableTypeRegistry.Register)}.");

    /// <summary>Scans the assemblies and validates every durable type in them.</summary>
    /// <exception cref="InvalidOperationException">Listing every invalid type and duplicate manifest.</exception>
    public static DurableTypeMap Build(IEnumerable<Assembly> assemblies)
    {
        var byManifest = new Dictionary<string, Type>(StringComparer.Ordinal);
        var errors = new List<string>();

        foreach (var type in assemblies.Distinct().SelectMany(a => a.GetTypes()))
        {
            var manifest = ManifestIfValid(type, errors);
            if (manifest is null)
                continue;
            if (byManifest.TryGetValue(manifest, out var other))
                errors.Add($"Manifest '{manifest}' is used by both '{other.FullName}' and '{type.FullName}'; manifests must be unique.");
            else
                byManifest.Add(manifest, type);
        }

        if (errors.Count > 0)
            throw new InvalidOperationException(
                "Invalid durable types:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Order(StringComparer.Ordinal).Select(e => "  - " + e)));

        return new DurableTypeMap(byManifest);
    }

    /// <summary>The manifest of a valid concrete durable type; null for other types (recording any error).</summary>
    private static string? ManifestIfValid(Type type, List<string> errors)
    {
        var attribute = type.GetCustomAttribute<DurableAttribute>(inherit: false);
        var isDurable = typeof(IDurable).IsAssignableFrom(type) && type != typeof(IDurable);

        if (!isDurable)
        {
            if (attribute is not null)
                errors.Add($"'{type.FullName}' carries [{nameof(DurableAttribute)}] but does not implement {nameof(IDurable)}.");
            return null;
        }

        if (type.IsInterface || type.IsAbstract)
        {
            if (attribute is not null)
                errors.Add($"'{type.FullName}' is abstract but carries [{nameof(DurableAttribute)}]; only concrete types are stored.");
            return null;
        }

        if (type.ContainsGenericParameters)
        {
            errors.Add($"'{type.FullName}' is an open generic {nameof(IDurable)} type; durable types must be concrete and non-generic.");
            return null;
        }

        if (attribute is null)
        {
            errors.Add($"'{type.FullName}' implements {nameof(IDurable)} but has no [{nameof(DurableAttribute)}(\"stable-manifest.v1\")].");
            return null;
        }

        if (string.IsNullOrWhiteSpace(attribute.Manifest) || attribute.Manifest.Trim() != attribute.Manifest)
        {
            errors.Add($"'{type.FullName}' has an empty manifest or one with surrounding whitespace: '{attribute.Manifest}'.");
            return null;
        }

        if (typeof(IWireMessage).IsAssignableFrom(type))
        {
            errors.Add($"'{type.FullName}' implements both {nameof(IDurable)} and {nameof(IWireMessage)}; the serializer binding would be ambiguous. Durable types already cross the wire as JSON.");
            return null;
        }

        return attribute.Manifest;
    }
}
