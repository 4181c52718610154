using Akka.Actor;
using Akka.Event;
using Fabric.Core.Views;

namespace Fabric.Core.Entities;

/// <summary>
/// Finds resources whose read-model state shows open work (an operation not finished, numbers not
/// yet given back) and wakes their entities, which then finish it. Runs once the read model has
/// caught up after a start, and periodically after, so a crash at any point leaves nothing open.
/// Waking is idempotent: an entity already busy ignores it.
/// </summary>
public sealed class OperationResumer : ReceiveActor, IWithTimers
{
    private sealed record Tick;

    private readonly ReadModelStore _views;
    private readonly Func<IActorRef> _resources;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public OperationResumer(ReadModelStore views, Func<IActorRef> resources, TimeSpan interval)
    {
        _views = views;
        _resources = resources;
        Receive<Tick>(_ => Sweep());
        Timers!.StartPeriodicTimer("sweep", new Tick(), TimeSpan.FromSeconds(1), interval);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props PropsFor(ReadModelStore views, Func<IActorRef> resources, TimeSpan interval) =>
        Props.Create(() => new OperationResumer(views, resources, interval));

    private void Sweep()
    {
        if (!_views.CaughtUp)
        {
            return;
        }
        var open = _views.Current.Resources.Where(r => r.Value.State.HasWork).Select(r => r.Key).ToList();
        if (open.Count == 0)
        {
            return;
        }
        _log.Info("Waking {0} resource(s) with open operations", open.Count);
        var region = _resources();
        foreach (var key in open)
        {
            region.Tell(new EntityEnvelope(key, new WakeResource()));
        }
    }
}
