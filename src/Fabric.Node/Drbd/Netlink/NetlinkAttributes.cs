using System.Buffers.Binary;
using System.Text;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// One attribute as received. <see cref="Type"/> is masked with NLA_TYPE_MASK (0x3FFF), so
/// NLA_F_NESTED and the 0x4000 bit (DRBD's old "mandatory" flag, the kernel's NLA_F_NET_BYTEORDER)
/// never disturb the id; <see cref="RawType"/> keeps the bits.
/// </summary>
public readonly record struct NetlinkAttribute(ushort Type, ushort RawType, ReadOnlyMemory<byte> Value)
{
    public byte AsU8() => Value.Length >= 1 ? Value.Span[0] : throw Size(1);

    public bool AsFlag() => AsU8() != 0;

    public ushort AsU16() => Value.Length >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(Value.Span) : throw Size(2);

    public uint AsU32() => Value.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Value.Span) : throw Size(4);

    public int AsS32() => unchecked((int)AsU32());

    public ulong AsU64() => Value.Length >= 8 ? BinaryPrimitives.ReadUInt64LittleEndian(Value.Span) : throw Size(8);

    /// <summary>The text up to the first NUL (or the whole value when it has none).</summary>
    public string AsString()
    {
        var span = Value.Span;
        var end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }

    /// <summary>The attributes nested in this one.</summary>
    public NetlinkAttributes AsNested() => NetlinkAttributes.Parse(Value);

    private NetlinkFormatException Size(int needed) =>
        new($"Netlink attribute {Type} has {Value.Length} value bytes; {needed} are needed.");
}

/// <summary>
/// A parsed attribute sequence. Attributes of type 0 (the padding DRBD puts before a u64 on some
/// architectures) are skipped; unknown ids are kept but callers simply never ask for them.
/// When an id repeats, <see cref="TryGet"/> returns the last one and <see cref="All"/> every one.
/// </summary>
public sealed class NetlinkAttributes
{
    private readonly List<NetlinkAttribute> _items;

    private NetlinkAttributes(List<NetlinkAttribute> items) => _items = items;

    public IReadOnlyList<NetlinkAttribute> Items => _items;

    public static NetlinkAttributes Parse(ReadOnlyMemory<byte> data)
    {
        var items = new List<NetlinkAttribute>();
        var offset = 0;
        while (data.Length - offset >= NetlinkProtocol.AttributeHeaderSize)
        {
            var span = data.Span[offset..];
            var length = BinaryPrimitives.ReadUInt16LittleEndian(span);
            var rawType = BinaryPrimitives.ReadUInt16LittleEndian(span[2..]);
            if (length < NetlinkProtocol.AttributeHeaderSize || length > span.Length)
            {
                throw new NetlinkFormatException($"A netlink attribute at offset {offset} claims {length} bytes but {span.Length} remain.");
            }
            var type = (ushort)(rawType & NetlinkProtocol.AttributeTypeMask);
            if (type != 0)
            {
                items.Add(new NetlinkAttribute(type, rawType, data.Slice(offset + NetlinkProtocol.AttributeHeaderSize, length - NetlinkProtocol.AttributeHeaderSize)));
            }
            offset += NetlinkProtocol.Align(length);
        }
        return new NetlinkAttributes(items);
    }

    public bool TryGet(ushort type, out NetlinkAttribute attribute)
    {
        for (var i = _items.Count - 1; i >= 0; i--)
        {
            if (_items[i].Type == type)
            {
                attribute = _items[i];
                return true;
            }
        }
        attribute = default;
        return false;
    }

    public bool Has(ushort type) => TryGet(type, out _);

    public IEnumerable<NetlinkAttribute> All(ushort type) => _items.Where(a => a.Type == type);

    public NetlinkAttributes? Nested(ushort type) => TryGet(type, out var a) ? a.AsNested() : null;

    public uint? U32(ushort type) => TryGet(type, out var a) ? a.AsU32() : null;

    public int? S32(ushort type) => TryGet(type, out var a) ? a.AsS32() : null;

    public ulong? U64(ushort type) => TryGet(type, out var a) ? a.AsU64() : null;

    public bool? Flag(ushort type) => TryGet(type, out var a) ? a.AsFlag() : null;

    public string? String(ushort type) => TryGet(type, out var a) ? a.AsString() : null;

    public ReadOnlyMemory<byte>? Binary(ushort type) => TryGet(type, out var a) ? a.Value : null;
}
