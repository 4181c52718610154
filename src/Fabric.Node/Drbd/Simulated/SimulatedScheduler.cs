namespace Fabric.Node.Drbd.Simulated;

/// <summary>
/// The virtual clock and the events due on it. Events due at the same instant run in the order
/// they were scheduled, so a run is fully determined by the calls made and the seed.
/// </summary>
internal sealed class SimulatedScheduler
{
    private readonly PriorityQueue<Action, (TimeSpan Due, long Sequence)> _queue = new();
    private long _sequence;

    public TimeSpan Now { get; private set; }

    public void After(TimeSpan delay, Action action) => _queue.Enqueue(action, (Now + delay, _sequence++));

    /// <summary>Takes the next event due at or before <paramref name="until"/> and moves the clock to it.</summary>
    public bool TryTakeDue(TimeSpan until, out Action action)
    {
        if (_queue.TryPeek(out var next, out var due) && due.Due <= until)
        {
            _queue.Dequeue();
            Now = due.Due > Now ? due.Due : Now;
            action = next;
            return true;
        }
        action = null!;
        return false;
    }

    public void MoveTo(TimeSpan time)
    {
        if (time > Now)
        {
            Now = time;
        }
    }
}
