using System.Globalization;
using System.Text;

namespace Fabric.Node.Tests.Drbd.Netlink;

/// <summary>
/// Byte vectors written by hand: hex digits with whitespace, '|' separators and '#' comments to
/// the end of the line. Used for expected wire bytes so tests never derive them from the encoder.
/// </summary>
internal static class Hex
{
    public static byte[] Bytes(string text)
    {
        var digits = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            var code = line.Split('#')[0];
            foreach (var c in code)
            {
                if (Uri.IsHexDigit(c))
                {
                    digits.Append(c);
                }
                else if (!char.IsWhiteSpace(c) && c != '|')
                {
                    throw new FormatException($"Unexpected character '{c}' in hex vector.");
                }
            }
        }
        if (digits.Length % 2 != 0)
        {
            throw new FormatException($"Odd number of hex digits ({digits.Length}).");
        }
        var bytes = new byte[digits.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = byte.Parse(digits.ToString(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        return bytes;
    }

    public static string Of(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < bytes.Length; i++)
        {
            if (i > 0 && i % 4 == 0)
            {
                sb.Append(' ');
            }
            sb.Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Asserts equal bytes, showing both as grouped hex so a mismatch is readable.</summary>
    public static void Equal(string expected, ReadOnlySpan<byte> actual) => Assert.Equal(Of(Bytes(expected)), Of(actual));
}
