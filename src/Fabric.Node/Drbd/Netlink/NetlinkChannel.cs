using System.Buffers.Binary;
using System.Globalization;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// Request/response over one netlink transport, one request at a time: stamps increasing sequence
/// numbers, sends, and collects the replies that carry the request's sequence number — for a
/// request its (single) reply, or the acknowledgement when the kernel sends no reply (the ack that
/// follows a reply is skipped by the next request as a stale message); for a dump (NLM_F_DUMP)
/// every part until NLMSG_DONE.
/// NLMSG_ERROR with a negative errno becomes <see cref="NetlinkErrorException"/>; a reply that does
/// not come within the timeout becomes <see cref="TimeoutException"/>. Messages with other sequence
/// numbers (late replies to abandoned requests) are skipped.
/// </summary>
public sealed class NetlinkChannel : IDisposable
{
    private readonly INetlinkTransport _transport;
    private readonly TimeSpan _timeout;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private uint _sequence;

    public NetlinkChannel(INetlinkTransport transport, TimeSpan timeout, uint firstSequence = 1)
    {
        _transport = transport;
        _timeout = timeout;
        _sequence = firstSequence - 1;
    }

    public INetlinkTransport Transport => _transport;

    /// <summary>Sends <paramref name="message"/> (framed, any sequence number) and returns the data replies.</summary>
    /// <param name="description">Names the request in errors, e.g. "drbd new-resource of resource 'r0'".</param>
    public async Task<IReadOnlyList<NetlinkMessage>> RequestAsync(byte[] message, string description, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sequence = unchecked(++_sequence);
            var copy = (byte[])message.Clone();
            NetlinkMessageWriter.SetSequence(copy, sequence);
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(6));
            var dump = (flags & NetlinkProtocol.FlagDump) == NetlinkProtocol.FlagDump;

            using var timeout = new CancellationTokenSource(_timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await _transport.SendAsync(copy, linked.Token).ConfigureAwait(false);
                return await CollectAsync(sequence, dump, description, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"The kernel did not answer {description} within {_timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s. Check the kernel log (dmesg) for the driver's state.");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<NetlinkMessage>> CollectAsync(uint sequence, bool dump, string description, CancellationToken cancellationToken)
    {
        var replies = new List<NetlinkMessage>();
        while (true)
        {
            var datagram = await _transport.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            foreach (var message in NetlinkMessage.Split(datagram))
            {
                if (message.Sequence != sequence || message.Type == NetlinkProtocol.TypeNoop)
                {
                    continue;
                }
                if (message.IsError)
                {
                    if (message.ErrorCode != 0)
                    {
                        throw new NetlinkErrorException(description, message.ErrorCode, message.ExtendedAckMessage());
                    }
                    return replies;
                }
                if (message.IsDone)
                {
                    if (message.ErrorCode < 0)
                    {
                        throw new NetlinkErrorException(description, message.ErrorCode, null);
                    }
                    return replies;
                }
                if (message.Type == NetlinkProtocol.TypeOverrun)
                {
                    throw new NetlinkEventsLostException();
                }
                replies.Add(message);
                if (!dump && !message.IsMulti)
                {
                    return replies;
                }
            }
        }
    }

    public void Dispose()
    {
        _transport.Dispose();
        _gate.Dispose();
    }
}
