using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Simulated;

/// <summary>
/// One <see cref="IDrbdKernel.SubscribeAsync"/> subscriber. Batches are queued under the network's
/// lock in kernel order and delivered outside it, one at a time and in order, by whichever thread
/// drains the queue (the caller of the operation that produced them, or the real-time driver).
/// </summary>
internal sealed class SimulatedSubscription(Action<DrbdEventBatch> onBatch, Action<Exception> onFailure, Action<SimulatedSubscription> onDispose)
    : IAsyncDisposable
{
    private readonly object _queueGate = new();
    private readonly Queue<object> _pending = new();
    private bool _delivering;
    private bool _ended;

    public void Enqueue(DrbdEventBatch batch)
    {
        lock (_queueGate)
        {
            if (!_ended)
            {
                _pending.Enqueue(batch);
            }
        }
    }

    /// <summary>Ends the stream for good after what is already queued.</summary>
    public void Fail(Exception failure)
    {
        lock (_queueGate)
        {
            if (!_ended)
            {
                _pending.Enqueue(failure);
                _ended = true;
            }
        }
    }

    public void Deliver()
    {
        lock (_queueGate)
        {
            if (_delivering)
            {
                return;
            }
            _delivering = true;
        }
        while (true)
        {
            object next;
            lock (_queueGate)
            {
                if (!_pending.TryDequeue(out next!))
                {
                    _delivering = false;
                    return;
                }
            }
            try
            {
                if (next is DrbdEventBatch batch)
                {
                    onBatch(batch);
                }
                else
                {
                    onFailure((Exception)next);
                }
            }
            catch (Exception callbackFailure)
            {
                lock (_queueGate)
                {
                    _pending.Clear();
                    _ended = true;
                }
                try
                {
                    onFailure(callbackFailure);
                }
                catch (Exception)
                {
                    // A subscriber that fails on its own failure callback has nothing left to tell.
                }
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_queueGate)
        {
            _pending.Clear();
            _ended = true;
        }
        onDispose(this);
        return ValueTask.CompletedTask;
    }
}
