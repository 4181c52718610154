using System.Globalization;

namespace Fabric.Node.Storage;

/// <summary>Parsing and rounding of the sizes storage tools print and accept.</summary>
public static class SizeText
{
    /// <summary>Parses a size such as "4096.00" (lvs/vgs with <c>--units k --nosuffix</c>); fractions are dropped.</summary>
    public static long ParseKiB(string text) =>
        TryParseKiB(text) ?? throw new FormatException($"'{text}' is not a size");

    /// <summary>Like <see cref="ParseKiB"/>, null for empty or malformed text.</summary>
    public static long? TryParseKiB(string text) =>
        decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? (long)decimal.Floor(value)
            : null;

    /// <summary>Parses a percentage such as "12.34" (lvs data_percent); empty text (an inactive pool) is 0.</summary>
    public static decimal ParsePercent(string text) =>
        decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : 0m;

    /// <summary>Rounds <paramref name="kib"/> up to a multiple of <paramref name="granularityKiB"/>.</summary>
    public static long RoundUp(long kib, long granularityKiB) =>
        (kib + granularityKiB - 1) / granularityKiB * granularityKiB;

    /// <summary>A KiB count as text for a tool argument, e.g. "4096".</summary>
    public static string Format(long kib) => kib.ToString(CultureInfo.InvariantCulture);

    /// <summary>Splits tool output into non-empty lines.</summary>
    public static IEnumerable<string> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
