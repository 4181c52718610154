using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Fabric.Core.Api;

namespace Fabric.Host.Api.Contracts;

/// <summary>
/// The <c>offset</c> and <c>limit</c> query parameters of LINSTOR list endpoints.
/// Absent or empty values mean 0; <c>limit=0</c> means no limit.
/// </summary>
public readonly record struct PageQuery(int Offset, int Limit)
{
    public const string OffsetParameter = "offset";
    public const string LimitParameter = "limit";

    private static readonly SearchValues<char> AsciiDigits = SearchValues.Create("0123456789");

    /// <summary>Everything: offset 0, no limit.</summary>
    public static PageQuery All => default;

    /// <summary>
    /// Parses the raw query values (the first value when a parameter is repeated, as JAX-RS does).
    /// A negative, non-numeric or out-of-range value yields an error entry
    /// (<see cref="ApiConsts.FailInvldRequest"/>) naming the parameter.
    /// </summary>
    public static bool TryParse(string? offset, string? limit, out PageQuery query, [NotNullWhen(false)] out ApiCallRc? error)
    {
        query = All;
        if (!TryParseValue(OffsetParameter, offset, out var offsetValue, out error) ||
            !TryParseValue(LimitParameter, limit, out var limitValue, out error))
            return false;

        query = new PageQuery(offsetValue, limitValue);
        return true;
    }

    /// <summary>Skips <see cref="Offset"/> items, then takes <see cref="Limit"/> items unless it is 0.</summary>
    public IEnumerable<T> Apply<T>(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var page = Offset > 0 ? items.Skip(Offset) : items;
        return Limit > 0 ? page.Take(Limit) : page;
    }

    private static bool TryParseValue(string name, string? raw, out int value, [NotNullWhen(false)] out ApiCallRc? error)
    {
        value = 0;
        error = null;
        if (string.IsNullOrEmpty(raw))
            return true;

        var digits = raw[0] is '+' or '-' ? raw.AsSpan(1) : raw.AsSpan();
        if (digits.IsEmpty || digits.ContainsAnyExcept(AsciiDigits))
        {
            error = Invalid(name, raw, "is not a whole number");
            return false;
        }
        if (raw[0] == '-' && digits.ContainsAnyExcept('0'))
        {
            error = Invalid(name, raw, "is negative");
            return false;
        }
        if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            error = Invalid(name, raw, $"is larger than {int.MaxValue}");
            return false;
        }
        return true;
    }

    private static ApiCallRc Invalid(string name, string raw, string problem) =>
        ApiCallRc.Error(
            0,
            0,
            ApiConsts.FailInvldRequest,
            $"Invalid query parameter '{name}': '{raw}' {problem}.",
            cause: $"'{name}' must be a whole number from 0 to {int.MaxValue}.",
            correction: name == LimitParameter
                ? "Pass limit=0 (or leave it out) for no limit, or a positive number of items."
                : "Pass offset=0 (or leave it out) to start at the first item, or the number of items to skip.");
}
