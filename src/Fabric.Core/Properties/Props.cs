using System.Collections.Immutable;

namespace Fabric.Core.Properties;

/// <summary>Pure functions over a property map: validation and application of a change.</summary>
public static class Props
{
    public static readonly ImmutableSortedDictionary<string, string> Empty =
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    public const int MaxKeyLength = 256;
    public const int MaxValueLength = 4096;

    /// <summary>Returns a description of the first invalid key or value, or null if the change is valid.</summary>
    public static string? Validate(PropsChange change)
    {
        foreach (var (key, value) in change.Override)
        {
            var keyError = CheckKey(key);
            if (keyError is not null)
            {
                return keyError;
            }
            if (value is null)
            {
                return $"The property '{key}' has no value.";
            }
            if (value.Length > MaxValueLength)
            {
                return $"The value of property '{key}' is {value.Length} characters long; at most {MaxValueLength} are allowed.";
            }
        }
        foreach (var key in change.Delete)
        {
            var keyError = CheckKey(key);
            if (keyError is not null)
            {
                return keyError;
            }
        }
        foreach (var ns in change.DeleteNamespaces)
        {
            var keyError = CheckKey(ns);
            if (keyError is not null)
            {
                return keyError.Replace("property key", "namespace", StringComparison.Ordinal);
            }
        }
        return null;
    }

    public static string? CheckKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return "A property key is empty.";
        }
        if (key.Length > MaxKeyLength)
        {
            return $"The property key '{key[..32]}...' is {key.Length} characters long; at most {MaxKeyLength} are allowed.";
        }
        if (key.StartsWith('/') || key.EndsWith('/') || key.Contains("//", StringComparison.Ordinal))
        {
            return $"The property key '{key}' is malformed: namespaces are separated by single '/' and a key neither starts nor ends with '/'.";
        }
        foreach (var c in key)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return $"The property key '{key}' contains whitespace or a control character.";
            }
        }
        return null;
    }

    /// <summary>Applies deletions (keys, then whole namespaces) and then overrides.</summary>
    public static ImmutableSortedDictionary<string, string> Apply(ImmutableSortedDictionary<string, string> props, PropsChange change)
    {
        var result = props;
        foreach (var key in change.Delete)
        {
            result = result.Remove(key);
        }
        foreach (var ns in change.DeleteNamespaces)
        {
            var prefix = ns + "/";
            foreach (var key in result.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                result = result.Remove(key);
            }
        }
        foreach (var (key, value) in change.Override)
        {
            result = result.SetItem(key, value);
        }
        return result;
    }

    /// <summary>True when applying the change would alter nothing.</summary>
    public static bool IsNoop(ImmutableSortedDictionary<string, string> props, PropsChange change) =>
        Apply(props, change).SequenceEqual(props);
}
