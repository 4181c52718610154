using System.Net;
using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// DRBD 9 (genl API 2): every operation is one request of <see cref="DrbdRequestsV2"/>. Resync
/// settings given as disk options (drbd.conf's <c>disk { resync-rate }</c>) are, as drbdadm does,
/// applied as peer-device options on every connection of the minor's resource. Only options that
/// are given are sent; an options record with nothing set sends nothing.
/// </summary>
public sealed class NetlinkDrbdKernelV2 : NetlinkDrbdKernel
{
    internal NetlinkDrbdKernelV2(DrbdKernelSession session)
        : base(session)
    {
    }

    public override async Task NewResourceAsync(string resource, int nodeId, DrbdResourceOptions options, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV2.NewResource(resource, nodeId, options), cancellationToken).ConfigureAwait(false);

    public override async Task ChangeResourceOptionsAsync(string resource, DrbdResourceOptions options, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV2.ResourceOptions(resource, options), cancellationToken).ConfigureAwait(false);

    public override async Task NewMinorAsync(string resource, int minor, int volume, bool intentionalDiskless, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV2.NewMinor(resource, minor, volume, intentionalDiskless), cancellationToken).ConfigureAwait(false);

    public override async Task AttachAsync(int minor, DrbdDiskConfig disk, CancellationToken cancellationToken)
    {
        await ExecuteAsync(DrbdRequestsV2.Attach(minor, disk), cancellationToken).ConfigureAwait(false);
        await ApplyResyncOptionsAsync(minor, disk.Options, cancellationToken).ConfigureAwait(false);
    }

    public override async Task ChangeDiskOptionsAsync(int minor, DrbdDiskOptions options, CancellationToken cancellationToken)
    {
        if (options.AlExtents is not null || options.DiskFlushes is not null || options.MdFlushes is not null)
        {
            await ExecuteAsync(DrbdRequestsV2.DiskOptions(minor, options), cancellationToken).ConfigureAwait(false);
        }
        await ApplyResyncOptionsAsync(minor, options, cancellationToken).ConfigureAwait(false);
    }

    public override async Task DetachAsync(int minor, bool force, bool intentionalDiskless, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV2.Detach(minor, force, intentionalDiskless), cancellationToken).ConfigureAwait(false);

    public override async Task NewPeerAsync(string resource, int peerNodeId, DrbdNetOptions options, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV2.NewPeer(resource, peerNodeId, options), cancellationToken).ConfigureAwait(false);

    public override async Task ChangeNetOptionsAsync(string resource, int peerNodeId, DrbdNetOptions options, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV2.NetOptions(resource, peerNodeId, options), cancellationToken).ConfigureAwait(false);

    public override async Task DeletePeerAsync(string resource, int peerNodeId, bool force, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV2.DeletePeer(resource, peerNodeId, force), cancellationToken).ConfigureAwait(false);

    public override async Task NewPathAsync(string resource, int peerNodeId, IPEndPoint local, IPEndPoint peer, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV2.NewPath(resource, peerNodeId, local, peer), cancellationToken).ConfigureAwait(false);

    public override async Task DeletePathAsync(string resource, int peerNodeId, IPEndPoint local, IPEndPoint peer, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV2.DeletePath(resource, peerNodeId, local, peer), cancellationToken).ConfigureAwait(false);

    public override async Task ConnectAsync(string resource, int peerNodeId, bool discardMyData, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV2.Connect(resource, peerNodeId, discardMyData), cancellationToken).ConfigureAwait(false);

    public override async Task DisconnectAsync(string resource, int peerNodeId, bool force, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV2.Disconnect(resource, peerNodeId, force), cancellationToken).ConfigureAwait(false);

    public override async Task ChangePeerDeviceOptionsAsync(string resource, int peerNodeId, int volume, DrbdPeerDeviceOptions options, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV2.PeerDeviceOptions(resource, peerNodeId, volume, options), cancellationToken).ConfigureAwait(false);

    public override async Task PrimaryAsync(string resource, bool force, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV2.Primary(resource, force), cancellationToken).ConfigureAwait(false);

    public override async Task SecondaryAsync(string resource, bool force, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV2.Secondary(resource, force), cancellationToken).ConfigureAwait(false);

    public override async Task ForgetPeerAsync(string resource, int peerNodeId, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsV2.ForgetPeer(resource, peerNodeId), cancellationToken).ConfigureAwait(false);

    private async Task ApplyResyncOptionsAsync(int minor, DrbdDiskOptions options, CancellationToken cancellationToken)
    {
        if (options.ResyncRateKiB is null && options.CPlanAhead is null)
        {
            return;
        }
        var state = await DumpStateAsync(cancellationToken).ConfigureAwait(false);
        if (state.Notifications.OfType<DrbdDeviceNotification>().FirstOrDefault(d => d.Minor == minor) is not { } device)
        {
            return;
        }
        var peerOptions = new DrbdPeerDeviceOptions(ResyncRateKiB: options.ResyncRateKiB, CPlanAhead: options.CPlanAhead);
        foreach (var connection in state.Notifications.OfType<DrbdConnectionNotification>().Where(c => c.Resource == device.Resource))
        {
            await ChangePeerDeviceOptionsAsync(device.Resource, connection.PeerNodeId, device.Volume, peerOptions, cancellationToken).ConfigureAwait(false);
        }
    }
}
