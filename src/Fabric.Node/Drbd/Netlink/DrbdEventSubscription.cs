using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// The imperative shell around <see cref="DrbdEventSequencer"/>: its own socket joins the "events"
/// group (and nlctrl's "notify" group to notice the module going away) before it sends the
/// initial-state dump, feeds every received message to the sequencer, re-dumps when asked, runs
/// the grace timer for sequence gaps, and calls back one batch at a time on its loop.
/// </summary>
internal sealed class DrbdEventSubscription : IAsyncDisposable
{
    private readonly INetlinkTransport _transport;
    private readonly DrbdKernelSession _session;
    private readonly DrbdNotificationDecoder _decoder;
    private readonly Action<DrbdEventBatch> _onBatch;
    private readonly Action<Exception> _onFailure;
    private readonly DrbdEventSequencer _sequencer = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstInitialState = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private uint _dumpSequence;

    private DrbdEventSubscription(INetlinkTransport transport, DrbdKernelSession session, DrbdNotificationDecoder decoder, Action<DrbdEventBatch> onBatch, Action<Exception> onFailure)
    {
        _transport = transport;
        _session = session;
        _decoder = decoder;
        _onBatch = onBatch;
        _onFailure = onFailure;
    }

    public static async Task<DrbdEventSubscription> StartAsync(
        INetlinkTransport transport, DrbdKernelSession session, DrbdNotificationDecoder decoder, Action<DrbdEventBatch> onBatch, Action<Exception> onFailure, CancellationToken cancellationToken)
    {
        var subscription = new DrbdEventSubscription(transport, session, decoder, onBatch, onFailure);
        try
        {
            transport.JoinGroup(session.Family.MulticastGroups[DrbdCommands.EventsGroup]);
            if (session.NotifyGroup is { } notify)
            {
                transport.JoinGroup(notify);
            }
            await subscription.RequestDumpAsync(cancellationToken).ConfigureAwait(false);
            subscription._loop = Task.Run(subscription.RunAsync, CancellationToken.None);
            using (cancellationToken.Register(() => subscription._firstInitialState.TrySetCanceled(cancellationToken)))
            {
                await subscription._firstInitialState.Task.ConfigureAwait(false);
            }
            return subscription;
        }
        catch
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _transport.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var step = await ReceiveStepAsync().ConfigureAwait(false);
                foreach (var batch in step.Batches)
                {
                    _onBatch(batch);
                    if (batch.IsInitialState)
                    {
                        _firstInitialState.TrySetResult();
                    }
                }
                if (step.Redump is not null)
                {
                    await RequestDumpAsync(_stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            _firstInitialState.TrySetCanceled();
        }
        catch (Exception e)
        {
            if (!_firstInitialState.TrySetException(e))
            {
                _onFailure(e);
            }
        }
    }

    private async Task<DrbdSequencerStep> ReceiveStepAsync()
    {
        ReadOnlyMemory<byte> datagram;
        using var gap = _sequencer.HasGap ? CancellationTokenSource.CreateLinkedTokenSource(_stop.Token) : null;
        gap?.CancelAfter(_session.Options.GapGrace);
        try
        {
            datagram = await _transport.ReceiveAsync(gap?.Token ?? _stop.Token).ConfigureAwait(false);
        }
        catch (NetlinkEventsLostException)
        {
            return _sequencer.OnEventsLost();
        }
        catch (OperationCanceledException) when (gap is not null && !_stop.IsCancellationRequested)
        {
            return _sequencer.OnGapTimeout();
        }
        var batches = new List<DrbdEventBatch>();
        foreach (var message in NetlinkMessage.Split(datagram))
        {
            var step = OnMessage(message);
            batches.AddRange(step.Batches);
            if (step.Redump is not null)
            {
                return new DrbdSequencerStep(batches, step.Redump);
            }
        }
        return new DrbdSequencerStep(batches, null);
    }

    private DrbdSequencerStep OnMessage(NetlinkMessage message)
    {
        if (message.Type == _session.Family.Id)
        {
            try
            {
                return _sequencer.OnMessage(_decoder.Decode(message));
            }
            catch (NetlinkFormatException)
            {
                return _sequencer.OnMalformed();
            }
        }
        if (message.IsError && message.Sequence == _dumpSequence && message.ErrorCode != 0)
        {
            throw new NetlinkErrorException("drbd get-initial-state dump", message.ErrorCode, message.ExtendedAckMessage());
        }
        if (message.Type == NetlinkControl.FamilyId && IsDrbdRemoval(message))
        {
            throw new DrbdKernelException("events", "the DRBD kernel module", 0, "module unloaded",
                "the generic-netlink family 'drbd' was removed (rmmod drbd?); load the module and subscribe again");
        }
        return DrbdSequencerStep.None;
    }

    private bool IsDrbdRemoval(NetlinkMessage message)
    {
        var generic = message.AsGeneric();
        return generic.Command is NetlinkControl.CommandDeleteFamily or NetlinkControl.CommandDeleteMulticastGroup
            && generic.Attributes().TryGet(NetlinkControl.AttrFamilyId, out var id) && id.AsU16() == _session.Family.Id;
    }

    private async Task RequestDumpAsync(CancellationToken cancellationToken)
    {
        _dumpSequence = unchecked(_dumpSequence + 1);
        var request = DrbdRequestsCommon.GetInitialState().Frame(_session.Family.Id, (byte)_session.Family.Version);
        NetlinkMessageWriter.SetSequence(request, _dumpSequence);
        _sequencer.DumpRequested(_dumpSequence);
        await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
