using System.Globalization;

namespace Fabric.Core.Allocation;

/// <summary>An inclusive range of numbers a pool hands out, as LINSTOR's "first-last" range properties spell it.</summary>
public sealed record NumberRange(int First, int Last)
{
    public int Count => Last - First + 1;

    public bool Contains(int number) => number >= First && number <= Last;

    public override string ToString() => $"{First}-{Last}";

    /// <summary>Parses "first-last" within [min, max]; the error says what is wrong with the value.</summary>
    public static (NumberRange? Range, string? Error) Parse(string? text, int min, int max)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "The range is empty.");
        }
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last))
        {
            return (null, $"'{text}' is not a range of the form 'first-last'.");
        }
        if (first > last)
        {
            return (null, $"The range '{text}' starts after it ends.");
        }
        if (first < min || last > max)
        {
            return (null, $"The range '{text}' leaves the allowed {min}-{max}.");
        }
        return (new NumberRange(first, last), null);
    }
}

/// <summary>The number pools Fabric allocates from, with LINSTOR's defaults and the properties that change them.</summary>
public static class NumberPools
{
    public const string MinorRangeProp = "MinorNrAutoRange";
    public const string TcpPortRangeProp = "TcpPortAutoRange";

    public static readonly NumberRange DefaultMinors = new(1000, 49999);
    public static readonly NumberRange DefaultTcpPorts = new(7000, 7999);
    public static readonly NumberRange NodeIds = new(0, 31);

    /// <summary>DRBD's largest minor number (2^20 - 1).</summary>
    public const int MaxMinor = (1 << 20) - 1;

    public const int DefaultPeerSlots = 7;
    public const int MaxPeerSlots = 31;

    /// <summary>The range from a property value, or the default when the value is absent or invalid.</summary>
    public static NumberRange MinorsFrom(string? prop) =>
        prop is null ? DefaultMinors : NumberRange.Parse(prop, 0, MaxMinor).Range ?? DefaultMinors;

    public static NumberRange TcpPortsFrom(string? prop) =>
        prop is null ? DefaultTcpPorts : NumberRange.Parse(prop, 1, 65535).Range ?? DefaultTcpPorts;

    /// <summary>Lowest number in the range that is not used, or null when the range is exhausted.</summary>
    public static int? FirstFree(NumberRange range, Func<int, bool> isUsed)
    {
        for (var n = range.First; n <= range.Last; n++)
        {
            if (!isUsed(n))
            {
                return n;
            }
        }
        return null;
    }
}
