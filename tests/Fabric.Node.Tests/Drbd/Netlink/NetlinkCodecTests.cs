using System.Net;
using Fabric.Node.Drbd.Netlink;
using FsCheck.Xunit;

namespace Fabric.Node.Tests.Drbd.Netlink;

/// <summary>The attribute writer and reader and the message framing against hand-written byte vectors.</summary>
public sealed class NetlinkCodecTests
{
    [Fact]
    public void Scalars_are_little_endian_with_4_byte_padding()
    {
        var bytes = new NetlinkAttributeWriter()
            .PutFlag(3, true)
            .PutU32(4, 0x01020304)
            .PutS32(3, -3)
            .PutU64(1, 0x1122334455667788)
            .PutU16(9, 0xBEEF)
            .ToArray();

        Hex.Equal("""
            05000300 01000000            # len 5, type 3, u8 1, 3 pad bytes
            08000400 04030201            # u32
            08000300 fdffffff            # s32 -3 as u32
            0c000100 88776655 44332211   # u64
            06000900 efbe0000            # u16 + 2 pad
            """, bytes);
    }

    [Fact]
    public void Strings_are_nul_terminated_and_padded()
    {
        var bytes = new NetlinkAttributeWriter().PutString(2, "r0", 128, "resource name").PutString(5, "beta", 64, "name").ToArray();

        Hex.Equal("""
            07000200 72300000           # "r0\0" + 1 pad
            09000500 62657461 00000000  # "beta\0" + 3 pad
            """, bytes);
    }

    [Fact]
    public void A_string_longer_than_the_field_allows_is_refused_with_the_limit()
    {
        var writer = new NetlinkAttributeWriter();

        var ok = writer.PutString(1, new string('s', 63), 64, "shared secret");
        var e = Assert.Throws<ArgumentException>(() => writer.PutString(1, new string('s', 64), 64, "shared secret"));

        Assert.NotNull(ok);
        Assert.Contains("shared secret", e.Message);
        Assert.Contains("at most 63", e.Message);
        Assert.Throws<ArgumentException>(() => writer.PutString(1, "a\0b", 64, "name"));
    }

    [Fact]
    public void Nested_attributes_carry_NLA_F_NESTED_and_the_length_of_their_content()
    {
        var bytes = new NetlinkAttributeWriter()
            .BeginNested(2).PutString(2, "r0", 128, "resource name").PutU32(6, 1).EndNested()
            .ToArray();

        Hex.Equal("""
            14000280                    # len 20, type 2 | 0x8000
            07000200 72300000
            08000600 01000000
            """, bytes);
    }

    [Fact]
    public void An_open_nest_cannot_be_serialised()
    {
        var writer = new NetlinkAttributeWriter().BeginNested(2);

        Assert.Throws<InvalidOperationException>(() => writer.ToArray());
        Assert.Throws<InvalidOperationException>(() => new NetlinkAttributeWriter().EndNested());
    }

    [Fact]
    public void The_reader_masks_the_nested_and_mandatory_bits_skips_pads_and_reads_nested_values()
    {
        var attributes = NetlinkAttributes.Parse(Hex.Bytes("""
            04000000                    # type 0: u64 padding attribute, skipped
            20001c80                    # nested, len 32, type 28 | 0x8000
            14000140 02001b58 0a000001 00000000 00000000   # my_addr with 0x4000: sockaddr_in 10.0.0.1:7000
            08002a00 07000000           # unknown id 42 inside the nest
            """));

        var nested = Assert.Single(attributes.Items);
        Assert.Equal(28, nested.Type);
        Assert.Equal(0x801c, nested.RawType);
        var inner = nested.AsNested();
        Assert.Equal(1, inner.Items[0].Type);
        Assert.Equal(0x4001, inner.Items[0].RawType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 7000), SocketAddressCodec.Decode(inner.Binary(1)!.Value.Span));
        Assert.False(attributes.Has(42));
        Assert.Equal(7u, inner.U32(42));
    }

    [Fact]
    public void A_truncated_attribute_is_a_format_error()
    {
        var e = Assert.Throws<NetlinkFormatException>(() => NetlinkAttributes.Parse(Hex.Bytes("10000100 01000000")));

        Assert.Contains("claims 16 bytes", e.Message);
    }

    [Fact]
    public void Writer_output_reads_back_to_the_same_values()
    {
        var bytes = new NetlinkAttributeWriter()
            .PutFlag(1, false).PutU32(2, uint.MaxValue).PutS32(3, int.MinValue).PutU64(4, ulong.MaxValue - 1)
            .PutString(5, "Grüße", 16, "text").PutBinary(6, [1, 2, 3])
            .BeginNested(7).PutU32(1, 5).EndNested()
            .ToArray();

        var a = NetlinkAttributes.Parse(bytes);

        Assert.False(a.Flag(1));
        Assert.Equal(uint.MaxValue, a.U32(2));
        Assert.Equal(int.MinValue, a.S32(3));
        Assert.Equal(ulong.MaxValue - 1, a.U64(4));
        Assert.Equal("Grüße", a.String(5));
        Assert.Equal([1, 2, 3], a.Binary(6)!.Value.ToArray());
        Assert.Equal(5u, a.Nested(7)!.U32(1));
    }

    [Property]
    public bool Any_sequence_of_scalars_and_nests_reads_back_in_order(ulong[] values)
    {
        var writer = new NetlinkAttributeWriter();
        for (var i = 0; i < values.Length; i++)
        {
            var type = (ushort)(1 + i % 0x3FFF);
            _ = (i % 3) switch
            {
                0 => writer.PutU8(type, (byte)values[i]),
                1 => writer.PutU32(type, (uint)values[i]),
                _ => writer.BeginNested(type).PutU64(1, values[i]).EndNested(),
            };
        }

        var items = NetlinkAttributes.Parse(writer.ToArray()).Items;

        return items.Count == values.Length && items.Select((a, i) => (i % 3) switch
        {
            0 => a.AsU8() == (byte)values[i],
            1 => a.AsU32() == (uint)values[i],
            _ => a.RawType == (0x8000 | a.Type) && a.AsNested().U64(1) == values[i],
        }).All(ok => ok);
    }

    [Fact]
    public void A_datagram_with_several_messages_is_split_at_aligned_boundaries()
    {
        var datagram = Hex.Bytes("""
            1d000000 1c00 0200 07000000 00000000   # len 29 (unaligned), type 0x1c, NLM_F_MULTI, seq 7
            22 02 0000 ffffffff 65000000 aa 000000 # genl cmd 34 v2, drbd hdr, 1 byte + 3 pad
            14000000 0300 0200 07000000 00000000   # NLMSG_DONE, seq 7
            00000000
            """);

        var messages = NetlinkMessage.Split(datagram);

        Assert.Equal(2, messages.Count);
        Assert.Equal((ushort)0x1c, messages[0].Type);
        Assert.True(messages[0].IsMulti);
        Assert.Equal(7u, messages[0].Sequence);
        Assert.Equal(13, messages[0].Payload.Length);
        Assert.Equal(34, messages[0].AsGeneric().Command);
        Assert.True(messages[1].IsDone);
        Assert.Equal(0, messages[1].ErrorCode);
    }

    [Fact]
    public void A_message_claiming_more_bytes_than_the_datagram_has_is_a_format_error()
    {
        Assert.Throws<NetlinkFormatException>(() => NetlinkMessage.Split(Hex.Bytes("40000000 1c00 0000 01000000 00000000")));
    }

    [Fact]
    public void An_error_reply_exposes_errno_and_the_extended_ack_text()
    {
        var message = Assert.Single(NetlinkMessage.Split(Hex.Bytes("""
            34000000 0200 0003 05000000 9a020000   # len 52, NLMSG_ERROR, flags CAPPED|ACK_TLVS, seq 5
            eaffffff                               # error -22
            14000000 1c00 0500 05000000 00000000   # the request's header (capped)
            0e000100 62616420 76616c75 65000000    # NLMSGERR_ATTR_MSG "bad value"
            """)));

        Assert.True(message.IsError);
        Assert.Equal(-22, message.ErrorCode);
        Assert.Equal("bad value", message.ExtendedAckMessage());
    }

    [Fact]
    public void Generic_and_drbd_headers_are_framed_in_front_of_the_attributes()
    {
        var bytes = NetlinkMessageWriter.Drbd(0x1c, 0x0005, 9, 27, 2, 0xFFFFFFFF, 0, Hex.Bytes("08000100 00000000"));

        Hex.Equal("""
            24000000 1c00 0500 09000000 00000000   # len 36, type 0x1c, REQUEST|ACK, seq 9, pid 0
            1b 02 0000                             # cmd 27 (down), version 2
            ffffffff 00000000                      # minor ~0, flags 0
            08000100 00000000
            """, bytes);
    }

    [Theory]
    [InlineData("10.0.0.1", 7000, "0200 1b58 0a000001 00000000 00000000")]
    [InlineData("192.168.122.7", 7788, "0200 1e6c c0a87a07 00000000 00000000")]
    [InlineData("fe80::1", 7000, "0a00 1b58 00000000 fe800000 00000000 00000000 00000001 00000000")]
    public void Socket_addresses_are_raw_sockaddr_with_the_port_in_network_order(string address, int port, string expected)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(address), port);

        var bytes = SocketAddressCodec.Encode(endpoint);

        Hex.Equal(expected, bytes);
        Assert.Equal(endpoint, SocketAddressCodec.Decode(bytes));
    }

    [Fact]
    public void An_unknown_address_family_decodes_to_null()
    {
        Assert.Null(SocketAddressCodec.Decode(Hex.Bytes("1b00 1b58 0a000001 00000000 00000000")));
    }
}
