using System.Collections.Immutable;
using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Entities;
using Fabric.Core.Serialization;

namespace Fabric.Core.Protocol;

/// <summary>
/// Makes the wire serializer ready for the controller/node-agent protocol before the first message.
/// Hyperion builds and compiles a (de)serializer for every type the first time one serializer
/// instance (one per actor system) meets it: in a freshly started satellite on a busy 2-core machine,
/// the first <see cref="DesiredFullPart"/> took 250 ms to serialize and 170 ms to deserialize, the
/// next one under 1 ms (all samples: 4–5 s at load average 24, every type 80–1,100 ms). A member that
/// joins a cluster runs <see cref="Run"/> while it joins and is started only when it is done (at most
/// <see cref="MaxWait"/>), so a restarted satellite's first desired-state session does not pay that
/// on its critical path. Run it only after the cluster extensions are loaded: loading one that brings
/// its own configuration (sharding, pub-sub) makes Akka build new serializer instances.
/// </summary>
public static class ProtocolWarmup
{
    /// <summary>The longest a joining member's start waits for the warm-up after it has joined.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// One instance of every protocol message, with every optional part filled in so that Hyperion
    /// meets each nested type (and the actor-ref surrogate) once. <paramref name="actor"/> stands in
    /// for the actor refs the messages carry.
    /// </summary>
    public static IReadOnlyList<IWireMessage> Samples(IActorRef actor)
    {
        const string node = "warmup";
        var incarnation = Guid.NewGuid();
        var session = Guid.NewGuid();
        var props = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("StorDriver/StorPoolName", "vg/thin")]);
        var pool = new DesiredPool("pool", ProviderKind.LvmThin, props);
        var resource = new DesiredResource(
            "rsc", Guid.NewGuid(), Guid.NewGuid(), "pool", false, 0, 1, 7000, ["DRBD", "STORAGE"],
            [new DesiredVolume(0, 1024, 1000)], [new DesiredPeer("peer", 0, 7000, false, "10.0.0.1")],
            new DesiredDrbd("secret", 7, "IP", "10.0.0.2", props));
        var error = new ObservedError("message", "cause", "correction", "ID-1", 1, 1, 2);
        var observed = new ObservedResource("rsc", Guid.NewGuid(), session, 1, false, [new ObservedVolume(0, "/dev/x", 1024, 0, "Failed", error)], error, 1);
        var ping = new AgentSyncPing(node, incarnation, actor, session, 1, 1);
        return
        [
            ping,
            new EntityEnvelope(node.ToUpperInvariant(), ping),
            new DesiredFullPart(node, session, 1, 1, 1, 1, [pool], [resource]),
            new DesiredDelta(node, session, 2, 2, new DesiredChange([pool], ["OLD"], [resource], ["GONE"])),
            new ResyncRequest(node, incarnation, session, 2, 2, "warm-up"),
            new ResourcesApplied(node, incarnation, session, 2, [new ResourceOutcome("rsc", false, "message")]),
            new PoolCheck(node, pool),
            new PoolCheckResult(true, new PoolCapacity("pool", "LVM_THIN", 1, 2), "message", "cause", "correction"),
            new NodeAgentReport(node, incarnation, 1, 1, [new PoolCapacity("pool", "LVM_THIN", 1, 2)], ["STORAGE"], ["LVM_THIN"], true, 1, actor),
            new NodeObservations(node, incarnation, 2, 1, false, [observed], ["GONE"], [new AgentErrorReport("ID-1", node, 1, "message", "cause", "correction", "details")]),
            new ObservationsRequest(node, actor),
            new NodeAgentGoodbye(node, incarnation),
        ];
    }

    /// <summary>Serializes and deserializes every sample with <paramref name="system"/>'s serializers; returns how long that took.</summary>
    public static TimeSpan Run(ActorSystem system)
    {
        var clock = Stopwatch.StartNew();
        var serialization = ((ExtendedActorSystem)system).Serialization;
        foreach (var sample in Samples(system.DeadLetters))
        {
            var serializer = serialization.FindSerializerFor(sample);
            serializer.FromBinary(serializer.ToBinary(sample), sample.GetType());
        }
        return clock.Elapsed;
    }

    /// <summary>Runs <see cref="Run"/> off the caller's thread; a failure is logged as a warning and changes nothing else.</summary>
    public static Task RunInBackground(ActorSystem system) => Task.Run(() =>
    {
        try
        {
            system.Log.Debug("Wire serializer warmed up for the node-agent protocol in {0} ms", (long)Run(system).TotalMilliseconds);
        }
        catch (Exception ex)
        {
            system.Log.Warning("Warming up the wire serializer failed (the first protocol messages are only slower): {0}", ex.Message);
        }
    });
}
