using System.Buffers.Binary;
using System.Threading.Channels;
using Fabric.Node.Drbd.Netlink;

namespace Fabric.Node.Tests.Drbd.Netlink;

/// <summary>
/// A scripted kernel behind <see cref="INetlinkTransport"/> for unit tests of one class: records
/// every request, answers through <see cref="Responder"/> with hand-written reply datagrams
/// (their sequence numbers are set to the request's, as the kernel does) and delivers datagrams
/// or ENOBUFS the test pushes with <see cref="Push"/>.
/// </summary>
internal sealed class ScriptedNetlinkTransport : INetlinkTransport
{
    private readonly Channel<object> _inbox = Channel.CreateUnbounded<object>();
    private readonly Channel<byte[]> _sent = Channel.CreateUnbounded<byte[]>();

    public List<byte[]> Sent { get; } = [];

    public List<uint> JoinedGroups { get; } = [];

    public bool Disposed { get; private set; }

    /// <summary>Reply datagrams for a request (its bytes as sent, with the stamped sequence number).</summary>
    public Func<byte[], IEnumerable<byte[]>> Responder { get; set; } = _ => [];

    public uint PortId => 4242;

    public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var bytes = message.ToArray();
        Sent.Add(bytes);
        _sent.Writer.TryWrite(bytes);
        var sequence = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        foreach (var reply in Responder(bytes))
        {
            var copy = (byte[])reply.Clone();
            var offset = 0;
            while (offset + 16 <= copy.Length)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset + 8), sequence);
                offset += (int)((BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(offset)) + 3) & ~3u);
            }
            _inbox.Writer.TryWrite(copy);
        }
        return ValueTask.CompletedTask;
    }

    public async ValueTask<ReadOnlyMemory<byte>> ReceiveAsync(CancellationToken cancellationToken)
    {
        var item = await _inbox.Reader.ReadAsync(cancellationToken);
        return item is Exception e ? throw e : (byte[])item;
    }

    public void JoinGroup(uint groupId) => JoinedGroups.Add(groupId);

    /// <summary>Delivers a datagram as is (multicast events keep their own sequence numbers).</summary>
    public void Push(byte[] datagram) => _inbox.Writer.TryWrite(datagram);

    /// <summary>Makes the next receive fail with ENOBUFS.</summary>
    public void PushOverflow() => _inbox.Writer.TryWrite(new NetlinkEventsLostException());

    /// <summary>Waits (bounded, as a hang guard) for the next request this transport sends.</summary>
    public async Task<byte[]> NextSentAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _sent.Reader.ReadAsync(guard.Token);
    }

    public void Dispose() => Disposed = true;
}

/// <summary>Hands out scripted transports in order: the first is the command socket, later ones event sockets.</summary>
internal sealed class ScriptedTransportFactory(params ScriptedNetlinkTransport[] transports) : INetlinkTransportFactory
{
    private readonly Queue<ScriptedNetlinkTransport> _transports = new(transports);

    public INetlinkTransport Open() => _transports.Count > 0 ? _transports.Dequeue() : throw new InvalidOperationException("The test scripted no more sockets.");
}
