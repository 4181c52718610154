namespace Fabric.Core.Views;

/// <summary>
/// A bounded log of which entities (persistence ids) changed in the read model, so followers (a
/// node's sync entity) look only at what changed instead of scanning every resource. Writers record
/// after swapping the model in; a follower that fell behind the log's capacity, or a wholesale
/// replacement of the model (snapshot load), makes <see cref="TryReadSince"/> answer false: rescan.
/// </summary>
public sealed class ReadModelChangeLog(int capacity = 65536)
{
    private readonly Lock _gate = new();
    private readonly string[] _ring = new string[capacity];
    private long _head;
    private long _resetAt;

    /// <summary>The sequence number of the latest change.</summary>
    public long Head
    {
        get
        {
            lock (_gate)
            {
                return _head;
            }
        }
    }

    public void Record(string persistenceId)
    {
        lock (_gate)
        {
            _head++;
            _ring[_head % _ring.Length] = persistenceId;
        }
    }

    /// <summary>Everything before now is unknown to followers: the model was replaced as a whole.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _head++;
            _resetAt = _head;
            _ring[_head % _ring.Length] = string.Empty;
        }
    }

    /// <summary>
    /// Adds the persistence ids changed after <paramref name="after"/> to <paramref name="into"/> and
    /// returns true, or returns false when they are no longer all known (the follower must rescan).
    /// <paramref name="head"/> is the sequence to pass next time.
    /// </summary>
    public bool TryReadSince(long after, ICollection<string> into, out long head)
    {
        lock (_gate)
        {
            head = _head;
            if (after >= _head)
            {
                return true;
            }
            if (after < _resetAt || _head - after > _ring.Length)
            {
                return false;
            }
            for (var seq = after + 1; seq <= _head; seq++)
            {
                into.Add(_ring[seq % _ring.Length]);
            }
            return true;
        }
    }
}
