using System.Buffers.Binary;
using System.Text;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// Writes a sequence of netlink attributes (struct nlattr: u16 length, u16 type, value, padding
/// to 4 bytes) in host byte order (little-endian on every platform .NET runs DRBD on). Nested
/// attributes are opened with <see cref="BeginNested"/> and closed with <see cref="EndNested"/>;
/// they carry NLA_F_NESTED. Pure: no I/O.
/// </summary>
public sealed class NetlinkAttributeWriter
{
    private readonly List<byte> _bytes = [];
    private readonly Stack<int> _open = new();

    public int Length => _bytes.Count;

    /// <summary>Starts a nested attribute; everything written until <see cref="EndNested"/> goes inside it.</summary>
    public NetlinkAttributeWriter BeginNested(ushort type)
    {
        CheckType(type);
        _open.Push(_bytes.Count);
        AppendHeader(0, (ushort)(type | NetlinkProtocol.AttributeNested));
        return this;
    }

    public NetlinkAttributeWriter EndNested()
    {
        if (_open.Count == 0)
        {
            throw new InvalidOperationException("EndNested without a matching BeginNested.");
        }
        var start = _open.Pop();
        var length = _bytes.Count - start;
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"A nested netlink attribute of {length} bytes exceeds the 65535-byte limit.");
        }
        _bytes[start] = (byte)length;
        _bytes[start + 1] = (byte)(length >> 8);
        return this;
    }

    /// <summary>A DRBD flag field (NLA_U8 holding 0 or 1).</summary>
    public NetlinkAttributeWriter PutFlag(ushort type, bool value) => PutU8(type, value ? (byte)1 : (byte)0);

    public NetlinkAttributeWriter PutU8(ushort type, byte value) => Put(type, [value]);

    public NetlinkAttributeWriter PutU16(ushort type, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        return Put(type, b);
    }

    public NetlinkAttributeWriter PutU32(ushort type, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        return Put(type, b);
    }

    /// <summary>A signed field that DRBD transports as NLA_U32 (two's complement).</summary>
    public NetlinkAttributeWriter PutS32(ushort type, int value) => PutU32(type, unchecked((uint)value));

    public NetlinkAttributeWriter PutU64(ushort type, ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        return Put(type, b);
    }

    /// <summary>
    /// A NUL-terminated string (NLA_NUL_STRING). <paramref name="maxLength"/> is the C buffer
    /// size including the NUL, as DRBD declares it; longer text is refused.
    /// </summary>
    public NetlinkAttributeWriter PutString(ushort type, string value, int maxLength, string fieldName)
    {
        var text = Encoding.UTF8.GetBytes(value);
        if (Array.IndexOf(text, (byte)0) >= 0)
        {
            throw new ArgumentException($"The {fieldName} '{value}' contains a NUL character, which netlink strings cannot carry.", nameof(value));
        }
        if (maxLength > 0 && text.Length > maxLength - 1)
        {
            throw new ArgumentException(
                $"The {fieldName} '{value}' is {text.Length} bytes long; DRBD accepts at most {maxLength - 1}. Use a shorter value.", nameof(value));
        }
        var withNul = new byte[text.Length + 1];
        text.CopyTo(withNul, 0);
        return Put(type, withNul);
    }

    /// <summary>Raw bytes (NLA_BINARY), e.g. a sockaddr.</summary>
    public NetlinkAttributeWriter PutBinary(ushort type, ReadOnlySpan<byte> value) => Put(type, value);

    /// <summary>Appends attributes another writer produced (already aligned).</summary>
    public NetlinkAttributeWriter AppendEncoded(ReadOnlySpan<byte> attributes)
    {
        if (attributes.Length % 4 != 0)
        {
            throw new ArgumentException("Encoded attributes are always a multiple of 4 bytes long.", nameof(attributes));
        }
        foreach (var b in attributes)
        {
            _bytes.Add(b);
        }
        return this;
    }

    /// <summary>The attributes written so far; every nested attribute must be closed.</summary>
    public byte[] ToArray()
    {
        if (_open.Count != 0)
        {
            throw new InvalidOperationException($"{_open.Count} nested attribute(s) are still open.");
        }
        return [.. _bytes];
    }

    private NetlinkAttributeWriter Put(ushort type, ReadOnlySpan<byte> value)
    {
        CheckType(type);
        var length = NetlinkProtocol.AttributeHeaderSize + value.Length;
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException($"A netlink attribute of {length} bytes exceeds the 65535-byte limit.", nameof(value));
        }
        AppendHeader((ushort)length, type);
        foreach (var b in value)
        {
            _bytes.Add(b);
        }
        Pad();
        return this;
    }

    private void AppendHeader(ushort length, ushort type)
    {
        _bytes.Add((byte)length);
        _bytes.Add((byte)(length >> 8));
        _bytes.Add((byte)type);
        _bytes.Add((byte)(type >> 8));
    }

    private void Pad()
    {
        while (_bytes.Count % 4 != 0)
        {
            _bytes.Add(0);
        }
    }

    private static void CheckType(ushort type)
    {
        if (type == 0 || type > NetlinkProtocol.AttributeTypeMask)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Netlink attribute types are 1..0x3FFF.");
        }
    }
}
