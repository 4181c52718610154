using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Akka.Event;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Api;
using Fabric.Core.Entities;
using Fabric.Core.Naming;
using Fabric.Core.Protocol;
using Fabric.Core.Views;

namespace Fabric.Core.Runtime;

/// <summary>
/// One Fabric process's actor system: cluster membership, the sharded entities (or proxies to
/// them), and the local read model. Embeddable: the host and the tests use it the same way.
/// </summary>
public sealed class FabricSystem : IAsyncDisposable
{
    public const int MaxShards = 100;

    private readonly Dictionary<string, IActorRef> _regions;
    private int _disposed;

    private FabricSystem(FabricSettings settings, ActorSystem system, Dictionary<string, IActorRef> regions, ReadModelStore views, NodeStatusBoard nodeStatus)
    {
        Settings = settings;
        System = system;
        _regions = regions;
        Views = views;
        NodeStatus = nodeStatus;
    }

    public FabricSettings Settings { get; }

    public ActorSystem System { get; }

    public ReadModelStore Views { get; }

    /// <summary>
    /// Node agent liveness and pool capacity as reported over <see cref="NodeStatusTopic"/>. Transient,
    /// never journaled; filled on controllers, empty (but present) on other roles.
    /// </summary>
    public NodeStatusBoard NodeStatus { get; }

    public Cluster Cluster => Cluster.Get(System);

    public IReadOnlyDictionary<string, IActorRef> Regions => _regions;

    /// <summary>
    /// Starts the actor system and waits until this member is Up. A member with seed nodes that has
    /// not joined within <see cref="FabricSettings.JoinTimeout"/> starts over as a new incarnation
    /// (a fresh actor system on the same address): a restarted satellite whose previous incarnation
    /// the cluster still remembers gets a clean association instead of waiting on a stale one.
    /// </summary>
    public static async Task<FabricSystem> StartAsync(FabricSettings settings, Config? overrides = null, Akka.Actor.Setup.ActorSystemSetup? setup = null)
    {
        JournalDatabase.Prepare(settings);
        var config = AkkaConfig.Build(settings, overrides);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(settings, config, setup);
            }
            catch (JoinTimeoutException ex) when (settings.SeedNodes.Count > 0 && attempt < settings.JoinAttempts)
            {
                Console.Error.WriteLine($"Fabric: {ex.Message} Starting again as a new incarnation (attempt {attempt + 1} of {settings.JoinAttempts}).");
            }
        }
    }

    private static async Task<FabricSystem> StartOnceAsync(FabricSettings settings, Config config, Akka.Actor.Setup.ActorSystemSetup? setup)
    {
        var bootstrap = BootstrapSetup.Create().WithConfig(config);
        var system = setup is null
            ? ActorSystem.Create(settings.ActorSystemName, bootstrap)
            : ActorSystem.Create(settings.ActorSystemName, setup.And(bootstrap));
        try
        {
            var cluster = Cluster.Get(system);
            var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            cluster.RegisterOnMemberUp(() => joined.TrySetResult());
            if (settings.SeedNodes.Count == 0)
            {
                cluster.Join(cluster.SelfAddress);
            }

            var sharding = ClusterSharding.Get(system);
            var extractor = new EnvelopeExtractor(MaxShards);
            var regions = new Dictionary<string, IActorRef>();
            foreach (var kind in EntityKind.All)
            {
                regions[kind.Name] = settings.IsController
                    ? await sharding.StartAsync(kind.Name, id => kind.PropsFor(id, settings.EntitySnapshotEvery), ClusterShardingSettings.Create(system).WithRole(FabricSettings.Controller), extractor)
                    : await sharding.StartProxyAsync(kind.Name, FabricSettings.Controller, extractor);
            }

            var views = new ReadModelStore();
            var nodeStatus = new NodeStatusBoard();
            regions[NodeSyncEntity.RegionName] = settings.IsController
                ? await sharding.StartAsync(NodeSyncEntity.RegionName, id => NodeSyncEntity.PropsFor(id, views, settings.NodeSyncPushInterval), ClusterShardingSettings.Create(system).WithRole(FabricSettings.Controller), extractor)
                : await sharding.StartProxyAsync(NodeSyncEntity.RegionName, FabricSettings.Controller, extractor);
            // Every role starts the mediator, so satellites can publish and controllers receive.
            _ = DistributedPubSub.Get(system).Mediator;
            if (settings.IsController)
            {
                system.ActorOf(ProjectionActor.PropsFor(views, "akka.persistence.query.journal.sql", settings.ReadModelSnapshotEvery, settings.ReadModelSnapshotInterval), "read-model");
                var resources = regions[EntityKind.Resource.Name];
                system.ActorOf(OperationResumer.PropsFor(views, () => resources, settings.OperationSweepInterval), "operation-resumer");
                system.ActorOf(NodeStatusActor.PropsFor(nodeStatus, settings.NodeStatusTimeout), "node-status");
            }
            // While this member joins, Hyperion compiles the protocol's serializers (see ProtocolWarmup). Only
            // now: loading an extension that brings its own config (sharding, pub-sub) makes Akka build new
            // serializer instances, which would throw away what was compiled before.
            var warmup = settings.SeedNodes.Count > 0 ? ProtocolWarmup.RunInBackground(system) : Task.CompletedTask;
            var fabric = new FabricSystem(settings, system, regions, views, nodeStatus);
            var joinTimeout = settings.SeedNodes.Count > 0 ? settings.JoinTimeout : TimeSpan.FromMinutes(2);
            try
            {
                await joined.Task.WaitAsync(joinTimeout);
            }
            catch (TimeoutException)
            {
                system.Log.Warning("Not a member after {0} s (seed nodes {1})", joinTimeout.TotalSeconds, string.Join(", ", settings.SeedAddresses));
                throw new JoinTimeoutException($"{cluster.SelfAddress} did not join the cluster through {string.Join(", ", settings.SeedAddresses)} within {joinTimeout.TotalSeconds:0} s.");
            }
            // Before anything sends: a warm-up still running would compile the same types again, concurrently.
            await warmup.WaitAsync(ProtocolWarmup.MaxWait).ContinueWith(_ => { }, TaskScheduler.Default);
            return fabric;
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    /// <summary>
    /// Sends a command to one entity and waits for its answer. An accepted change is folded into
    /// the local read model before this returns, so the caller's next list shows it.
    /// </summary>
    public async Task<CommandReply> AskAsync(EntityKind kind, string key, object command, CancellationToken cancellationToken = default)
    {
        try
        {
            var reply = await _regions[kind.Name].Ask<CommandReply>(new EntityEnvelope(key, command), Settings.AskTimeout, cancellationToken);
            if (reply.Accepted && reply.State is not null)
            {
                Views.Update(m => m.Upsert(reply.PersistenceId, reply.SequenceNr, reply.State));
                Views.Changes.Record(reply.PersistenceId);
            }
            return reply;
        }
        catch (AskTimeoutException)
        {
            var error = ApiCallRc.Error(0, 0, ApiConsts.FailUnknownError, $"The {kind.Name} '{key}' did not answer within {Settings.AskTimeout.TotalSeconds:0} s.", "The controller owning it may be restarting or the journal may be unavailable.", "Retry; the outcome of this request is unknown until the object is listed.");
            return new CommandReply(false, [error], PersistenceIds.Of(kind.Name, key), 0, null);
        }
    }

    /// <summary>Publishes any node-agent message (report, observations, goodbye) to every controller.</summary>
    public void PublishToControllers(object message) =>
        DistributedPubSub.Get(System).Mediator.Tell(new Publish(NodeStatusTopic.Name, message));

    /// <summary>Sends a message to a node's sync entity (on whichever controller hosts it).</summary>
    public void SendToNodeSync(string nodeName, object message, IActorRef sender) =>
        _regions[NodeSyncEntity.RegionName].Tell(new EntityEnvelope(Names.Key(nodeName), message), sender);

    /// <summary>Publishes a node agent's heartbeat to every controller (through the DistributedPubSub mediator; any role).</summary>
    public void PublishNodeReport(NodeAgentReport report) =>
        DistributedPubSub.Get(System).Mediator.Tell(new Publish(NodeStatusTopic.Name, report));

    /// <summary>Tells every controller that a node agent stops cleanly, so its node is offline at once.</summary>
    public void PublishNodeGoodbye(NodeAgentGoodbye goodbye) =>
        DistributedPubSub.Get(System).Mediator.Tell(new Publish(NodeStatusTopic.Name, goodbye));

    /// <summary>Registers this process's own node once the read model is current, if it is not known yet.</summary>
    public async Task<CommandReply?> RegisterOwnNodeAsync(CancellationToken cancellationToken = default)
    {
        if (!Settings.IsSatellite)
        {
            return null;
        }
        if (Views.Current.Node(Names.Key(Settings.NodeName)) is not null)
        {
            return null;
        }
        var type = Settings.IsController ? NodeType.Combined : NodeType.Satellite;
        var netIf = new NetInterfaceSpec("default", Settings.EffectiveNodeAddress, null, null, true);
        var command = new CreateNode(Settings.NodeName, type.ToApi(), Fabric.Core.Properties.Props.Empty, ImmutableList.Create(netIf));
        return await AskAsync(EntityKind.Node, Names.Key(Settings.NodeName), command, cancellationToken);
    }

    public async Task WaitForReadModelAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Views.CaughtUp)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The read model did not catch up with the journal in time.");
            }
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);
        await System.WhenTerminated;
    }
}

/// <summary>The member did not reach Up through its seed nodes in time.</summary>
public sealed class JoinTimeoutException(string message) : TimeoutException(message);
