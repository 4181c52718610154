using System.Collections.Immutable;
using Fabric.Node.Drbd.Netlink;
using Fabric.Node.Process;

namespace Fabric.Node.Tests.Drbd.Netlink;

/// <summary>
/// The real netlink socket and nlctrl resolution against this host's kernel, checked against what
/// iproute2's <c>genl ctrl list</c> reports for the same families.
/// </summary>
public sealed class NetlinkSocketKernelTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly NetlinkSocket _socket = NetlinkSocket.Open();
    private readonly NetlinkChannel _channel;

    public NetlinkSocketKernelTests() => _channel = new NetlinkChannel(_socket, Timeout);

    public void Dispose() => _channel.Dispose();

    private static async Task<IReadOnlyList<GenlFamilyListing>> GenlListAsync()
    {
        var result = await new CommandRunner().RunCheckedAsync(CommandSpec.Of("genl", "ctrl", "list"), CancellationToken.None);
        return GenlCtrlList.Parse(result.Stdout);
    }

    [Fact]
    public void The_socket_is_bound_with_a_port_id_and_a_raised_receive_buffer()
    {
        Assert.NotEqual(0u, _socket.PortId);
        // Linux reports twice the requested size; as root SO_RCVBUFFORCE passes net.core.rmem_max.
        var expected = Environment.UserName == "root" ? 2 * NetlinkSocket.DefaultReceiveBufferBytes : 4096;
        Assert.True(_socket.ReceiveBufferBytes >= expected, $"receive buffer {_socket.ReceiveBufferBytes} < {expected}");
    }

    [Fact]
    public async Task Nlctrl_resolves_itself_as_genl_reports_it()
    {
        var family = await GenericNetlinkFamilyResolver.ResolveAsync(_channel, "nlctrl", CancellationToken.None);
        var listed = (await GenlListAsync()).Single(f => f.Name == "nlctrl");

        Assert.Equal(NetlinkControl.FamilyId, family.Id);
        Assert.Equal(listed.Id, family.Id);
        Assert.Equal((uint)listed.Version, family.Version);
        Assert.Contains(NetlinkControl.CommandGetFamily, family.Operations);
        Assert.Equal(listed.Operations.Order(), family.Operations.Order());
        Assert.Equal((uint)listed.Groups["notify"], family.MulticastGroups["notify"]);
    }

    [Fact]
    public async Task Every_family_genl_lists_resolves_by_name_to_the_same_description()
    {
        var listed = await GenlListAsync();

        Assert.True(listed.Count >= 2, "genl ctrl list shows at least nlctrl and one more family on this host");
        foreach (var expected in listed)
        {
            var family = await GenericNetlinkFamilyResolver.ResolveAsync(_channel, expected.Name, CancellationToken.None);
            Assert.Equal(expected.Name, family.Name);
            Assert.Equal(expected.Id, family.Id);
            Assert.Equal((uint)expected.Version, family.Version);
            Assert.Equal((uint)expected.HeaderSize, family.HeaderSize);
            Assert.Equal((uint)expected.MaxAttributes, family.MaxAttribute);
            Assert.Equal(expected.Operations.Order(), family.Operations.Order());
            Assert.Equal(expected.Groups.ToImmutableSortedDictionary(g => g.Key, g => (uint)g.Value, StringComparer.Ordinal), family.MulticastGroups);
        }
    }

    [Fact]
    public async Task The_family_dump_is_a_multi_part_reply_listing_the_same_families()
    {
        var dumped = await GenericNetlinkFamilyResolver.ListAsync(_channel, CancellationToken.None);
        var listed = await GenlListAsync();

        Assert.Equal(listed.Select(f => f.Name).Order(), dumped.Select(f => f.Name).Order());
        // After the dump the channel still pairs replies correctly.
        Assert.Equal(NetlinkControl.FamilyId, (await GenericNetlinkFamilyResolver.ResolveAsync(_channel, "nlctrl", CancellationToken.None)).Id);
    }

    [Fact]
    public async Task An_unknown_family_is_reported_as_not_found()
    {
        var e = await Assert.ThrowsAsync<GenericNetlinkFamilyNotFoundException>(() => GenericNetlinkFamilyResolver.ResolveAsync(_channel, "no-such-family", CancellationToken.None));

        Assert.Equal("no-such-family", e.FamilyName);
        Assert.Equal(Errno.Enoent, Assert.IsType<NetlinkErrorException>(e.InnerException).ErrorNumber);
    }

    [Fact]
    public async Task A_command_the_family_does_not_have_comes_back_as_an_errno()
    {
        var request = NetlinkMessageWriter.Generic(NetlinkControl.FamilyId, NetlinkProtocol.FlagRequest | NetlinkProtocol.FlagAck, 0, 99, 1, [], []);

        var e = await Assert.ThrowsAsync<NetlinkErrorException>(() => _channel.RequestAsync(request, "nlctrl command 99", CancellationToken.None));

        Assert.Equal(Errno.Eopnotsupp, e.ErrorNumber);
        Assert.Contains("nlctrl command 99", e.Message);
        Assert.Contains("EOPNOTSUPP", e.Message);
    }

    [Fact]
    public async Task Joining_the_nlctrl_notify_group_succeeds_and_a_receive_can_be_cancelled()
    {
        var nlctrl = await GenericNetlinkFamilyResolver.ResolveAsync(_channel, "nlctrl", CancellationToken.None);
        using var listener = NetlinkSocket.Open();
        listener.JoinGroup(nlctrl.MulticastGroups["notify"]);
        using var cancel = new CancellationTokenSource();

        var receive = listener.ReceiveAsync(cancel.Token).AsTask();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receive);
    }

    [Fact]
    public void Joining_a_group_the_family_does_not_have_is_refused()
    {
        var e = Assert.Throws<NetlinkErrorException>(() => _socket.JoinGroup(0xFFFFFF));

        Assert.Contains("join multicast group", e.Message);
    }
}
