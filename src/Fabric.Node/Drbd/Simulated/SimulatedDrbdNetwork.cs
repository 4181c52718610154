using System.Diagnostics;

namespace Fabric.Node.Drbd.Simulated;

/// <summary>
/// The simulated DRBD 9 world of one process: every simulated node's kernel and meta-data, the
/// network between them (partitions with <see cref="Cut"/>/<see cref="Heal"/>, power with
/// <see cref="PowerOff"/>/<see cref="PowerOn"/>) and a virtual clock that only moves when
/// <see cref="Advance"/> is called (tests) or the real-time driver runs (<see cref="StartRealTime"/>,
/// for the host's <c>--simulate-nodes</c>). Kernels are matched into connections by resource name
/// and node id; addresses are only recorded (all simulated nodes share 127.0.0.1). Deterministic for
/// a given seed: the same calls give the same notification sequence. Thread-safe: one lock guards
/// the whole world, and notifications are delivered after it is released.
/// </summary>
public sealed partial class SimulatedDrbdNetwork : IDisposable
{
    private readonly object _gate = new();
    private readonly SimulatedScheduler _clock = new();
    private readonly Random _random;
    private readonly SortedDictionary<string, SimNode> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedDrbdKernel> _kernels = new(StringComparer.Ordinal);
    private readonly HashSet<(string, string)> _cuts = [];
    private readonly HashSet<string> _scheduled = new(StringComparer.Ordinal);
    private readonly List<SimulatedSubscription> _deliveries = [];
    private ulong _lastGeneration = 0x5EED_0000;
    private Timer? _realTime;

    public SimulatedDrbdNetwork(SimulatedDrbdNetworkOptions? options = null)
    {
        Options = options ?? new SimulatedDrbdNetworkOptions();
        _random = new Random(Options.Seed);
    }

    public SimulatedDrbdNetworkOptions Options { get; }

    /// <summary>The virtual time since the network was created.</summary>
    public TimeSpan Now
    {
        get
        {
            lock (_gate)
            {
                return _clock.Now;
            }
        }
    }

    public IReadOnlyList<string> NodeNames
    {
        get
        {
            lock (_gate)
            {
                return [.. _nodes.Keys];
            }
        }
    }

    /// <summary>Adds a powered-on node with an empty kernel and an empty meta-data store.</summary>
    public SimulatedDrbdKernel AddNode(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_gate)
        {
            if (_nodes.ContainsKey(name))
            {
                throw new InvalidOperationException($"The simulated DRBD network already has a node named '{name}'; node names must be unique.");
            }
            var node = new SimNode(name, new SimulatedDrbdMetadata(_gate, Options.DefaultDeviceSizeKiB));
            _nodes[name] = node;
            var kernel = new SimulatedDrbdKernel(this, node);
            _kernels[name] = kernel;
            return kernel;
        }
    }

    /// <summary>The kernel of a node added before.</summary>
    public SimulatedDrbdKernel Node(string name)
    {
        lock (_gate)
        {
            return _kernels.TryGetValue(name, out var kernel)
                ? kernel
                : throw new KeyNotFoundException($"The simulated DRBD network has no node '{name}'; add it with AddNode first.");
        }
    }

    /// <summary>Moves the virtual clock forward, running every connect, loss detection and resync step that falls due.</summary>
    public void Advance(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        lock (_gate)
        {
            var until = _clock.Now + duration;
            while (_clock.TryTakeDue(until, out var due))
            {
                due();
            }
            _clock.MoveTo(until);
        }
        Deliver();
    }

    /// <summary>
    /// Advances the virtual clock with the wall clock, every <paramref name="tick"/> (default 50 ms),
    /// until the returned handle is disposed. For long-running simulations, not for tests.
    /// </summary>
    public IDisposable StartRealTime(TimeSpan? tick = null)
    {
        var period = tick ?? TimeSpan.FromMilliseconds(50);
        var watch = Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        var running = 0;
        var timer = new Timer(_ =>
        {
            if (Interlocked.Exchange(ref running, 1) == 1)
            {
                return;
            }
            try
            {
                var now = watch.Elapsed;
                Advance(now - last);
                last = now;
            }
            finally
            {
                Volatile.Write(ref running, 0);
            }
        }, null, period, period);
        lock (_gate)
        {
            _realTime?.Dispose();
            _realTime = timer;
        }
        return timer;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _realTime?.Dispose();
            _realTime = null;
        }
    }

    /// <summary>Runs one kernel operation atomically, then delivers what it caused.</summary>
    internal T Execute<T>(SimNode node, string operation, CancellationToken cancellationToken, Func<T> action)
    {
        cancellationToken.ThrowIfCancellationRequested();
        T result;
        lock (_gate)
        {
            if (!node.PoweredOn)
            {
                throw SimulatedDrbdErrors.PoweredOff(operation, node.Name);
            }
            result = action();
        }
        Deliver();
        return result;
    }

    internal Task Run(SimNode node, string operation, CancellationToken cancellationToken, Action action)
    {
        try
        {
            Execute(node, operation, cancellationToken, () =>
            {
                action();
                return true;
            });
            return Task.CompletedTask;
        }
        catch (Exception failure)
        {
            return Task.FromException(failure);
        }
    }

    private void ChangeLinks(Action change, params string[] nodes)
    {
        lock (_gate)
        {
            foreach (var node in nodes)
            {
                Require(node);
            }
            change();
            var resources = nodes.SelectMany(n => _nodes[n].Resources.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            resources.ForEach(Commit);
        }
        Deliver();
    }

    private void Deliver()
    {
        List<SimulatedSubscription> due;
        lock (_gate)
        {
            if (_deliveries.Count == 0)
            {
                return;
            }
            due = [.. _deliveries.Distinct()];
            _deliveries.Clear();
        }
        foreach (var subscription in due)
        {
            subscription.Deliver();
        }
    }

    private SimNode Require(string name) =>
        _nodes.GetValueOrDefault(name) ?? throw new KeyNotFoundException($"The simulated DRBD network has no node '{name}'; add it with AddNode first.");

    private bool LinkUp(SimNode a, SimNode b) => a.PoweredOn && b.PoweredOn && !_cuts.Contains(LinkKey(a.Name, b.Name));

    private static (string, string) LinkKey(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);

    private ulong NextGeneration() => _lastGeneration += 0x11;

    private TimeSpan Delay(TimeSpan baseDelay, TimeSpan jitter) => baseDelay + TimeSpan.FromTicks((long)(_random.NextDouble() * jitter.Ticks));

    /// <summary>Schedules <paramref name="action"/> unless an event with the same key is already pending.</summary>
    private void Schedule(string key, TimeSpan delay, Action action)
    {
        if (_scheduled.Add(key))
        {
            _clock.After(delay, () =>
            {
                _scheduled.Remove(key);
                action();
            });
        }
    }
}
