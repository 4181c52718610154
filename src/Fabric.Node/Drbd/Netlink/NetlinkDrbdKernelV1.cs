using System.Net;
using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// The in-tree DRBD 8.4 driver (genl API 1) behind DRBD 9's model. New peers and paths only go to
/// memory (<see cref="DrbdV1PeerBook"/>) and are sent with 8.4's connect, which creates the
/// connection from the address pair and the net options; later connection commands name it by
/// that address pair. Role changes go to every minor of the resource (8.4 roles are per minor);
/// minors and live connections are taken from the driver's state dump. Removing the path of a
/// live connection disconnects it. Quorum, diskless clients, forget-peer and a second peer are
/// refused with <see cref="DrbdFeatureUnavailableException"/>.
/// </summary>
public sealed class NetlinkDrbdKernelV1 : NetlinkDrbdKernel
{
    private readonly DrbdV1PeerBook _book;

    internal NetlinkDrbdKernelV1(DrbdKernelSession session)
        : base(session) => _book = session.PeerDirectory ?? throw new ArgumentException("An API 1 session needs a peer book.", nameof(session));

    public override async Task NewResourceAsync(string resource, int nodeId, DrbdResourceOptions options, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV1.NewResource(resource, options), cancellationToken).ConfigureAwait(false);

    public override async Task ChangeResourceOptionsAsync(string resource, DrbdResourceOptions options, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV1.ResourceOptions(resource, options), cancellationToken).ConfigureAwait(false);

    public override async Task NewMinorAsync(string resource, int minor, int volume, bool intentionalDiskless, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV1.NewMinor(resource, minor, volume, intentionalDiskless), cancellationToken).ConfigureAwait(false);

    public override async Task AttachAsync(int minor, DrbdDiskConfig disk, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV1.Attach(minor, disk), cancellationToken).ConfigureAwait(false);

    public override async Task ChangeDiskOptionsAsync(int minor, DrbdDiskOptions options, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV1.DiskOptions(minor, options), cancellationToken).ConfigureAwait(false);

    public override async Task DetachAsync(int minor, bool force, bool intentionalDiskless, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV1.Detach(minor, force, intentionalDiskless), cancellationToken).ConfigureAwait(false);

    public override Task NewPeerAsync(string resource, int peerNodeId, DrbdNetOptions options, CancellationToken cancellationToken)
    {
        DrbdRequestsV1.NetOptions(options); // refuses bad values now rather than at connect
        _book.AddPeer(resource, peerNodeId, options);
        return Task.CompletedTask;
    }

    public override async Task ChangeNetOptionsAsync(string resource, int peerNodeId, DrbdNetOptions options, CancellationToken cancellationToken)
    {
        DrbdRequestsV1.NetOptions(options);
        var entry = _book.Update(resource, peerNodeId, "net-options", e => e with { Options = options });
        if (await LiveConnectionAsync(resource, cancellationToken).ConfigureAwait(false) is { } live)
        {
            await ExecuteAsync(DrbdRequestsV1.NetOptions(resource, live.Local!, live.Peer!, entry.Options), cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task DeletePeerAsync(string resource, int peerNodeId, bool force, CancellationToken cancellationToken)
    {
        if (await LiveConnectionAsync(resource, cancellationToken).ConfigureAwait(false) is { } live)
        {
            await ExecuteAsync(DrbdRequestsV1.Disconnect(resource, live.Local!, live.Peer!, force), cancellationToken, acceptRetCode: -9).ConfigureAwait(false);
        }
        if (_book.Get(resource, peerNodeId) is not null)
        {
            _book.Remove(resource);
        }
    }

    public override Task NewPathAsync(string resource, int peerNodeId, IPEndPoint local, IPEndPoint peer, CancellationToken cancellationToken)
    {
        SocketAddressCodec.Encode(local);
        SocketAddressCodec.Encode(peer);
        _book.Update(resource, peerNodeId, "new-path", e => e.HasPath && !(e.Local!.Equals(local) && e.Peer!.Equals(peer))
            ? throw new DrbdFeatureUnavailableException("new-path", $"a second path ({local} -> {peer}) to peer node {peerNodeId}",
                "DRBD 8.4 connects over one address pair; delete the existing path first or install DRBD 9 for multiple paths.")
            : e with { Local = local, Peer = peer });
        return Task.CompletedTask;
    }

    public override async Task DeletePathAsync(string resource, int peerNodeId, IPEndPoint local, IPEndPoint peer, CancellationToken cancellationToken)
    {
        if (await LiveConnectionAsync(resource, cancellationToken).ConfigureAwait(false) is { } live && live.Local!.Equals(local) && live.Peer!.Equals(peer))
        {
            await ExecuteAsync(DrbdRequestsV1.Disconnect(resource, local, peer, false), cancellationToken, acceptRetCode: -9).ConfigureAwait(false);
        }
        if (_book.Get(resource, peerNodeId) is { HasPath: true } e && e.Local!.Equals(local) && e.Peer!.Equals(peer))
        {
            _book.Update(resource, peerNodeId, "del-path", x => x with { Local = null, Peer = null });
        }
    }

    public override async Task ConnectAsync(string resource, int peerNodeId, bool discardMyData, CancellationToken cancellationToken)
    {
        var entry = _book.Get(resource, peerNodeId)
            ?? throw new InvalidOperationException($"DRBD connect of '{resource}' to peer node {peerNodeId}: no such peer was created on this 8.4 host. Call NewPeerAsync and NewPathAsync first.");
        if (!entry.HasPath)
        {
            throw new InvalidOperationException($"DRBD connect of '{resource}' to peer node {peerNodeId}: the peer has no path. Call NewPathAsync first.");
        }
        await ExecuteAsync(DrbdRequestsV1.Connect(resource, entry.Local!, entry.Peer!, entry.Options, discardMyData), cancellationToken).ConfigureAwait(false);
    }

    public override async Task DisconnectAsync(string resource, int peerNodeId, bool force, CancellationToken cancellationToken)
    {
        var live = await LiveConnectionAsync(resource, cancellationToken).ConfigureAwait(false);
        var entry = _book.Get(resource, peerNodeId);
        var (local, peer) = live is not null ? (live.Local, live.Peer) : (entry?.Local, entry?.Peer);
        if (local is null || peer is null)
        {
            throw DrbdKernelErrors.NotInState("disconnect", DrbdPayload.PeerSubject(resource, peerNodeId), -9, "the 8.4 driver has no address pair for this connection, so it is not connected");
        }
        await ExecuteAsync(DrbdRequestsV1.Disconnect(resource, local, peer, force), cancellationToken).ConfigureAwait(false);
    }

    public override async Task ChangePeerDeviceOptionsAsync(string resource, int peerNodeId, int volume, DrbdPeerDeviceOptions options, CancellationToken cancellationToken)
    {
        if (options.ResyncRateKiB is null && options.CPlanAhead is null)
        {
            DrbdRequestsV1.ResyncOptions(0, options); // refuses bitmap=false; nothing else to send
            return;
        }
        var device = (await DevicesAsync(resource, "peer-device-options", cancellationToken).ConfigureAwait(false)).FirstOrDefault(d => d.Volume == volume)
            ?? throw DrbdKernelErrors.NotInState("peer-device-options", DrbdPayload.PeerDeviceSubject(resource, peerNodeId, volume), 127, "the driver has no minor for this volume");
        await ExecuteAsync(DrbdRequestsV1.ResyncOptions(device.Minor, options), cancellationToken).ConfigureAwait(false);
    }

    public override async Task PrimaryAsync(string resource, bool force, CancellationToken cancellationToken)
    {
        foreach (var device in await DevicesAsync(resource, "primary", cancellationToken).ConfigureAwait(false))
        {
            await ExecuteAsync(DrbdRequestsV1.Primary(device.Minor, force), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <remarks>8.4 has no forced demotion; <paramref name="force"/> is ignored.</remarks>
    public override async Task SecondaryAsync(string resource, bool force, CancellationToken cancellationToken)
    {
        foreach (var device in await DevicesAsync(resource, "secondary", cancellationToken).ConfigureAwait(false))
        {
            await ExecuteAsync(DrbdRequestsV1.Secondary(device.Minor), cancellationToken).ConfigureAwait(false);
        }
    }

    public override Task ForgetPeerAsync(string resource, int peerNodeId, CancellationToken cancellationToken) =>
        throw new DrbdFeatureUnavailableException("forget-peer", "forgetting a peer's bitmap slot", "DRBD 8.4 keeps exactly one peer slot; there is nothing to forget.");

    private protected override void OnResourceGone(string resource) => _book.Remove(resource);

    /// <summary>The resource's minors, ordered by volume; throws when the driver does not know the resource.</summary>
    private async Task<IReadOnlyList<DrbdDeviceNotification>> DevicesAsync(string resource, string operation, CancellationToken cancellationToken)
    {
        var state = await DumpStateAsync(cancellationToken).ConfigureAwait(false);
        if (!state.Notifications.Any(n => n is DrbdResourceNotification && n.Resource == resource))
        {
            throw DrbdKernelErrors.NotInState(operation, DrbdPayload.ResourceSubject(resource), 158, "the driver's state has no such resource");
        }
        return [.. state.Notifications.OfType<DrbdDeviceNotification>().Where(d => d.Resource == resource).OrderBy(d => d.Volume)];
    }

    /// <summary>The address pair of the resource's connection while 8.4 has one configured (between connect and disconnect).</summary>
    private async Task<DrbdPathNotification?> LiveConnectionAsync(string resource, CancellationToken cancellationToken)
    {
        var state = await DumpStateAsync(cancellationToken).ConfigureAwait(false);
        return state.Notifications.OfType<DrbdPathNotification>().FirstOrDefault(p => p.Resource == resource && p.Kind != DrbdNotificationKind.Destroy && p.Local is not null && p.Peer is not null);
    }
}
