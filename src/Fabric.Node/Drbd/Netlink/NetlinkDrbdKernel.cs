using System.Net;
using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// <see cref="IDrbdKernel"/> over the DRBD driver's generic-netlink family, without drbdsetup.
/// <see cref="OpenAsync(DrbdNetlinkOptions?, CancellationToken)"/> resolves the family through
/// nlctrl and picks the implementation from its version: <see cref="NetlinkDrbdKernelV2"/> for
/// DRBD 9 (API 2), <see cref="NetlinkDrbdKernelV1"/> for the in-tree 8.4 driver (API 1). This base
/// holds what both share: one request at a time on a command socket, transient refusals retried
/// with back-off, every other refusal raised as <see cref="DrbdKernelException"/>, the state dump
/// and event subscriptions (each on its own socket).
/// </summary>
public abstract class NetlinkDrbdKernel : IDrbdKernel
{
    private readonly INetlinkTransportFactory _transports;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;

    private protected NetlinkDrbdKernel(DrbdKernelSession session)
    {
        Session = session;
        _transports = session.Transports;
        _delay = session.Delay;
        Decoder = new DrbdNotificationDecoder(session.Api, session.PeerDirectory);
        Info = new DrbdKernelInfo(session.Api, session.Version, session.Family.Operations);
    }

    public DrbdKernelInfo Info { get; }

    /// <summary>The resolved family: id, version, multicast groups.</summary>
    public GenericNetlinkFamily Family => Session.Family;

    private protected DrbdKernelSession Session { get; }

    private protected DrbdNotificationDecoder Decoder { get; }

    /// <summary>Opens the real driver: a netlink socket, nlctrl resolution of "drbd", the module version from sysfs or /proc/drbd.</summary>
    public static Task<NetlinkDrbdKernel> OpenAsync(DrbdNetlinkOptions? options, CancellationToken cancellationToken)
    {
        var o = options ?? DrbdNetlinkOptions.Default;
        return OpenAsync(new NetlinkSocketFactory(o.ReceiveBufferBytes), o, DrbdModuleVersion.Read, Task.Delay, cancellationToken);
    }

    /// <summary>Opens over any transport (tests script it). Throws <see cref="DrbdKernelException"/> when the module is missing or speaks an unknown API.</summary>
    public static async Task<NetlinkDrbdKernel> OpenAsync(
        INetlinkTransportFactory transports, DrbdNetlinkOptions options, Func<string> version, Func<TimeSpan, CancellationToken, Task> delay, CancellationToken cancellationToken)
    {
        var channel = new NetlinkChannel(transports.Open(), options.RequestTimeout);
        try
        {
            GenericNetlinkFamily family;
            try
            {
                family = await GenericNetlinkFamilyResolver.ResolveAsync(channel, DrbdCommands.FamilyName, cancellationToken).ConfigureAwait(false);
            }
            catch (GenericNetlinkFamilyNotFoundException)
            {
                throw DrbdKernelErrors.ModuleNotLoaded();
            }
            if (family.HeaderSize != NetlinkMessageWriter.DrbdHeaderSize)
            {
                throw DrbdKernelErrors.UnsupportedFamily(family, $"family header of {family.HeaderSize} bytes");
            }
            if (!family.MulticastGroups.ContainsKey(DrbdCommands.EventsGroup))
            {
                throw DrbdKernelErrors.UnsupportedFamily(family, "no 'events' multicast group");
            }
            NetlinkControl.TryGetNotifyGroup(await TryResolveNlctrlAsync(channel, cancellationToken).ConfigureAwait(false), out var notifyGroup);
            var session = family.Version switch
            {
                1 => new DrbdKernelSession(family, DrbdApiVersion.V1, channel, transports, options, version(), delay, notifyGroup, new DrbdV1PeerBook()),
                2 => new DrbdKernelSession(family, DrbdApiVersion.V2, channel, transports, options, version(), delay, notifyGroup, null),
                _ => throw DrbdKernelErrors.UnsupportedFamily(family, $"version {family.Version}"),
            };
            return session.Api == DrbdApiVersion.V1 ? new NetlinkDrbdKernelV1(session) : new NetlinkDrbdKernelV2(session);
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    public async Task<IAsyncDisposable> SubscribeAsync(Action<DrbdEventBatch> onBatch, Action<Exception> onFailure, CancellationToken cancellationToken) =>
        await DrbdEventSubscription.StartAsync(_transports.Open(), Session, Decoder, onBatch, onFailure, cancellationToken).ConfigureAwait(false);

    public async Task<DrbdEventBatch> DumpStateAsync(CancellationToken cancellationToken)
    {
        var request = DrbdRequestsCommon.GetInitialState();
        var replies = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var notifications = new List<DrbdNotification>();
        foreach (var reply in replies.Where(r => r.Type == Family.Id))
        {
            var message = Decoder.Decode(reply);
            if (message.IsExists)
            {
                notifications.AddRange(message.Notifications);
            }
        }
        return DrbdEventBatch.Initial(notifications);
    }

    public async Task DownAsync(string resource, CancellationToken cancellationToken)
    {
        await ExecuteAsync(DrbdRequestsCommon.Down(resource), cancellationToken, acceptRetCode: 158).ConfigureAwait(false);
        OnResourceGone(resource);
    }

    public async Task DeleteMinorAsync(int minor, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsCommon.DeleteMinor(minor), cancellationToken).ConfigureAwait(false);

    public async Task DeleteResourceAsync(string resource, CancellationToken cancellationToken)
    {
        await ExecuteAsync(DrbdRequestsCommon.DeleteResource(resource), cancellationToken).ConfigureAwait(false);
        OnResourceGone(resource);
    }

    public async Task ResizeAsync(int minor, long? sizeKiB, bool assumeClean, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsCommon.Resize(minor, sizeKiB, assumeClean), cancellationToken).ConfigureAwait(false);

    public async Task NewCurrentUuidAsync(int minor, bool clearBitmap, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsCommon.NewCurrentUuid(minor, clearBitmap), cancellationToken).ConfigureAwait(false);

    public async Task ResumeIoAsync(int minor, CancellationToken cancellationToken) =>
        await ExecuteAsync(DrbdRequestsCommon.ResumeIo(minor), cancellationToken).ConfigureAwait(false);

    public abstract Task NewResourceAsync(string resource, int nodeId, DrbdResourceOptions options, CancellationToken cancellationToken);

    public abstract Task ChangeResourceOptionsAsync(string resource, DrbdResourceOptions options, CancellationToken cancellationToken);

    public abstract Task NewMinorAsync(string resource, int minor, int volume, bool intentionalDiskless, CancellationToken cancellationToken);

    public abstract Task AttachAsync(int minor, DrbdDiskConfig disk, CancellationToken cancellationToken);

    public abstract Task ChangeDiskOptionsAsync(int minor, DrbdDiskOptions options, CancellationToken cancellationToken);

    public abstract Task DetachAsync(int minor, bool force, bool intentionalDiskless, CancellationToken cancellationToken);

    public abstract Task NewPeerAsync(string resource, int peerNodeId, DrbdNetOptions options, CancellationToken cancellationToken);

    public abstract Task ChangeNetOptionsAsync(string resource, int peerNodeId, DrbdNetOptions options, CancellationToken cancellationToken);

    public abstract Task DeletePeerAsync(string resource, int peerNodeId, bool force, CancellationToken cancellationToken);

    public abstract Task NewPathAsync(string resource, int peerNodeId, IPEndPoint local, IPEndPoint peer, CancellationToken cancellationToken);

    public abstract Task DeletePathAsync(string resource, int peerNodeId, IPEndPoint local, IPEndPoint peer, CancellationToken cancellationToken);

    public abstract Task ConnectAsync(string resource, int peerNodeId, bool discardMyData, CancellationToken cancellationToken);

    public abstract Task DisconnectAsync(string resource, int peerNodeId, bool force, CancellationToken cancellationToken);

    public abstract Task ChangePeerDeviceOptionsAsync(string resource, int peerNodeId, int volume, DrbdPeerDeviceOptions options, CancellationToken cancellationToken);

    public abstract Task PrimaryAsync(string resource, bool force, CancellationToken cancellationToken);

    public abstract Task SecondaryAsync(string resource, bool force, CancellationToken cancellationToken);

    public abstract Task ForgetPeerAsync(string resource, int peerNodeId, CancellationToken cancellationToken);

    public ValueTask DisposeAsync()
    {
        Session.Channel.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>What an 8.4 mapping remembers about a resource is dropped when it is taken down.</summary>
    private protected virtual void OnResourceGone(string resource)
    {
    }

    /// <summary>
    /// Sends a configuration request and checks its reply. SS_IN_TRANSIENT_STATE and
    /// SS_CONCURRENT_ST_CHG are retried with back-off; <paramref name="acceptRetCode"/> is one
    /// extra failing code the caller treats as success (e.g. ERR_RES_NOT_KNOWN for down).
    /// </summary>
    private protected async Task<DrbdReply> ExecuteAsync(DrbdRequest request, CancellationToken cancellationToken, int? acceptRetCode = null)
    {
        using var delays = Session.Options.RetryDelays().GetEnumerator();
        while (true)
        {
            var replies = await SendAsync(request, cancellationToken).ConfigureAwait(false);
            var message = replies.FirstOrDefault(r => r.Type == Family.Id);
            if (message.Payload.IsEmpty)
            {
                throw new DrbdKernelException(request.Operation, request.Subject, 0, "no reply", "the driver acknowledged the request without a DRBD reply");
            }
            var reply = DrbdReply.Decode(message);
            if (reply.IsSuccess || reply.RetCode == acceptRetCode)
            {
                return reply;
            }
            if (reply.RetCode is -18 or -19 && delays.MoveNext())
            {
                await _delay(delays.Current, cancellationToken).ConfigureAwait(false);
                continue;
            }
            throw DrbdKernelErrors.Refused(request, reply);
        }
    }

    private async Task<IReadOnlyList<NetlinkMessage>> SendAsync(DrbdRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await Session.Channel.RequestAsync(request.Frame(Family.Id, (byte)Family.Version), $"drbd {request}", cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkErrorException e)
        {
            throw DrbdKernelErrors.Netlink(request, e);
        }
        catch (TimeoutException e)
        {
            throw DrbdKernelErrors.Timeout(request, e);
        }
        catch (NetlinkEventsLostException)
        {
            throw new DrbdKernelException(request.Operation, request.Subject, 0, Errno.Describe(Errno.Enobufs), "the reply was lost; the request may or may not have been applied", Errno.Enobufs);
        }
    }

    private static async Task<GenericNetlinkFamily?> TryResolveNlctrlAsync(NetlinkChannel channel, CancellationToken cancellationToken)
    {
        try
        {
            return await GenericNetlinkFamilyResolver.ResolveAsync(channel, NetlinkControl.FamilyName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NetlinkErrorException or GenericNetlinkFamilyNotFoundException or NetlinkFormatException)
        {
            return null;
        }
    }
}
