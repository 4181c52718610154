namespace Fabric.Core.Views;

/// <summary>
/// Holds the current read model for lock-free readers. Writers (the projection and request
/// handlers reporting their own writes) swap in new immutable models atomically.
/// </summary>
public sealed class ReadModelStore
{
    private ReadModel _current = ReadModel.Empty;
    private volatile bool _caughtUp;

    public ReadModel Current => Volatile.Read(ref _current);

    /// <summary>Which entities changed, for followers that react to changes.</summary>
    public ReadModelChangeLog Changes { get; } = new();

    /// <summary>True once the journal tail after the last snapshot has been folded in.</summary>
    public bool CaughtUp => _caughtUp;

    public void MarkCaughtUp() => _caughtUp = true;

    public ReadModel Update(Func<ReadModel, ReadModel> change)
    {
        while (true)
        {
            var before = Volatile.Read(ref _current);
            var after = change(before);
            if (ReferenceEquals(before, after) || ReferenceEquals(Interlocked.CompareExchange(ref _current, after, before), before))
            {
                return after;
            }
        }
    }
}
