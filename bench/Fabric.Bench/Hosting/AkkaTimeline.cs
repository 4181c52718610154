using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;

namespace Fabric.Bench.Hosting;

/// <summary>One INFO log event of an actor system, stamped when it was logged (not when it was recorded).</summary>
public sealed record TimelineEvent(DateTime AtUtc, string System, string Source, string Message);

/// <summary>
/// Records the INFO log events of actor systems (subscribed on their event streams), so a benchmark can
/// say where the time went between its own timestamps: agent started, session registered, full
/// generation sent, first sync complete, node online.
/// </summary>
public sealed class AkkaTimeline
{
    private readonly ConcurrentQueue<TimelineEvent> _events = new();

    /// <summary>Subscribes a recorder to <paramref name="system"/>'s INFO events (the system's log level must be INFO or lower).</summary>
    public void Attach(ActorSystem system, string label)
    {
        var recorder = system.ActorOf(Props.Create(() => new Recorder(this, label)), "bench-timeline-" + label);
        system.EventStream.Subscribe(recorder, typeof(Info));
    }

    /// <summary>The events logged at or after <paramref name="sinceUtc"/>, in time order.</summary>
    public IReadOnlyList<TimelineEvent> Since(DateTime sinceUtc) =>
        [.. _events.Where(e => e.AtUtc >= sinceUtc).OrderBy(e => e.AtUtc)];

    /// <summary>
    /// Milliseconds from <paramref name="sinceUtc"/> to the first event of <paramref name="system"/> whose message
    /// names <paramref name="node"/> (any case) and contains <paramref name="text"/>, or null.
    /// </summary>
    public double? FirstMs(DateTime sinceUtc, string system, string node, string text) =>
        Since(sinceUtc).FirstOrDefault(e => e.System == system
            && e.Message.Contains(node, StringComparison.OrdinalIgnoreCase)
            && e.Message.Contains(text, StringComparison.Ordinal)) is { } found
            ? (found.AtUtc - sinceUtc).TotalMilliseconds
            : null;

    private sealed class Recorder : ReceiveActor
    {
        public Recorder(AkkaTimeline timeline, string label) =>
            Receive<Info>(e => timeline._events.Enqueue(new TimelineEvent(e.Timestamp, label, e.LogSource, e.Message?.ToString() ?? string.Empty)));
    }
}
