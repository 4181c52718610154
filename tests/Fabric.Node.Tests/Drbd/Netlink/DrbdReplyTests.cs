using Fabric.Node.Drbd.Netlink;

namespace Fabric.Node.Tests.Drbd.Netlink;

/// <summary>Configuration replies and the readable names of their codes.</summary>
public sealed class DrbdReplyTests
{
    [Fact]
    public void A_reply_carries_the_ret_code_and_every_info_text()
    {
        var reply = DrbdReply.Decode(Assert.Single(NetlinkMessage.Split(Hex.Bytes("""
            4c000000 1c00 0000 05000000 7b000000   # reply to seq 5, our port id 123
            0e 02 0000 ffffffff e7ffffff           # cmd primary, ret_code -25
            20000180 1a000100 3120206f 66203320 6e6f6465 73207669 7369626c 65000000   # "1  of 3 nodes visible"
            10000180 0b000100 6e656564 20320000    # "need 2"
            """))));

        Assert.Equal(14, reply.Command);
        Assert.Equal(-25, reply.RetCode);
        Assert.False(reply.IsSuccess);
        Assert.Equal(["1  of 3 nodes visible", "need 2"], reply.InfoText);
        Assert.Equal("1  of 3 nodes visible; need 2", reply.Info);
    }

    [Theory]
    [InlineData(101, true)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(4, true)]
    [InlineData(0, false)]
    [InlineData(-18, false)]
    [InlineData(119, false)]
    [InlineData(100, false)]
    public void Success_is_NO_ERROR_or_a_positive_state_result(int code, bool success)
    {
        Assert.Equal(success, DrbdCodeNames.IsSuccess(code));
    }

    [Theory]
    [InlineData(-25, "SS_NO_QUORUM (no quorum)")]
    [InlineData(-18, "SS_IN_TRANSIENT_STATE (in a transient state; retry after the next state change)")]
    [InlineData(119, "ERR_MD_INVALID (no valid meta-data; create it with drbdmeta create-md)")]
    [InlineData(158, "ERR_RES_NOT_KNOWN (unknown resource)")]
    [InlineData(176, "ERR_PATH_COLLISION (the path collides with an existing one)")]
    [InlineData(101, "NO_ERROR (success)")]
    public void Codes_have_readable_names(int code, string expected)
    {
        Assert.Equal(expected, DrbdCodeNames.Describe(code));
    }

    [Fact]
    public void Every_documented_code_has_a_name()
    {
        int[] errors = [.. Enumerable.Range(101, 76).Except([106, 109, 110, 113, 117, 128, 136])];
        int[] states = [.. Enumerable.Range(-28, 33).Except([-3])];

        Assert.All(errors, c => Assert.StartsWith("ERR_", DrbdCodeNames.Name(c) == "NO_ERROR" ? "ERR_" : DrbdCodeNames.Name(c)));
        Assert.All(states, c => Assert.StartsWith("SS_", DrbdCodeNames.Name(c)));
        Assert.Contains("newer", DrbdCodeNames.Describe(200));
        Assert.Contains("newer", DrbdCodeNames.Describe(-40));
    }

    [Fact]
    public void Errno_values_have_readable_names()
    {
        Assert.Equal("ENOENT (no such object)", Errno.Describe(-2));
        Assert.StartsWith("EPERM", Errno.Describe(1));
        Assert.Equal("errno 250", Errno.Describe(250));
    }
}
