using System.Text.RegularExpressions;

namespace Fabric.Core.Naming;

/// <summary>
/// LINSTOR's name rules. Names are case-insensitive: the key is the upper-case form, the display
/// form keeps the case the user gave.
/// </summary>
public static partial class Names
{
    public const int MaxHostNameLength = 253;

    public static string Key(string name) => name.ToUpperInvariant();

    /// <summary>Resource, resource group, snapshot names: 2-48 characters.</summary>
    public static string? CheckResourceName(string? name) => CheckGeneric(name, "resource name", 2, 48);

    public static string? CheckResourceGroupName(string? name) => CheckGeneric(name, "resource group name", 2, 48);

    /// <summary>Storage pool names: 3-48 characters.</summary>
    public static string? CheckStoragePoolName(string? name) => CheckGeneric(name, "storage pool name", 3, 48);

    /// <summary>Net interface names: 3-32 characters.</summary>
    public static string? CheckNetInterfaceName(string? name) => CheckGeneric(name, "net interface name", 3, 32);

    /// <summary>Node names follow host name rules (RFC 1123 labels separated by dots).</summary>
    public static string? CheckNodeName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "The node name is empty.";
        }
        if (name.Length > MaxHostNameLength)
        {
            return $"The node name is {name.Length} characters long; at most {MaxHostNameLength} are allowed.";
        }
        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63)
            {
                return $"The node name '{name}' has an empty label or a label longer than 63 characters.";
            }
            if (!HostLabel().IsMatch(label))
            {
                return $"The node name '{name}' contains the label '{label}', which is not a valid host name label: letters, digits and '-' only, not starting or ending with '-'.";
            }
        }
        return null;
    }

    private static string? CheckGeneric(string? name, string what, int min, int max)
    {
        if (string.IsNullOrEmpty(name))
        {
            return $"The {what} is empty.";
        }
        if (name.Length < min || name.Length > max)
        {
            return $"The {what} '{name}' is {name.Length} characters long; it must be {min} to {max} characters.";
        }
        if (!(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return $"The {what} '{name}' must start with a letter or '_'.";
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-'))
            {
                return $"The {what} '{name}' contains the character '{c}'; only letters, digits, '_' and '-' are allowed.";
            }
        }
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$")]
    private static partial Regex HostLabel();
}
