using System.Collections.Immutable;
using Akka.Actor;
using Fabric.Core.Serialization;

namespace Fabric.Core.Protocol;

/// <summary>
/// The node agent's heartbeat, published on <see cref="NodeStatusTopic.Name"/> every
/// <c>FabricSettings.NodeHeartbeatInterval</c>. Transient: never journaled. Every controller folds it
/// into its own <see cref="NodeStatusBoard"/>.
/// </summary>
/// <param name="NodeName">The node this agent runs on (matched case-insensitively).</param>
/// <param name="AgentIncarnation">Fresh for each start of the agent process; a new incarnation resets the sequence.</param>
/// <param name="Sequence">Increases with every report of one incarnation; older or repeated reports are ignored.</param>
/// <param name="SentAtMs">The agent's clock when sent (ms since the epoch); informational, expiry uses the controller's clock.</param>
/// <param name="Pools">Capacity of every storage pool the agent can serve (DISKLESS pools need no entry).</param>
/// <param name="SupportedLayers">Layers the node supports, e.g. DRBD, STORAGE.</param>
/// <param name="SupportedProviders">Provider kinds the node supports, e.g. LVM_THIN, FILE_THIN, DISKLESS.</param>
/// <param name="Synced">True once the agent holds a full desired-state generation and answered every resource of it;
/// the node is ONLINE only then (CONNECTED before).</param>
/// <param name="ObservedVersion">The version of the agent's latest <see cref="NodeObservations"/>; a controller behind it asks for a full set.</param>
/// <param name="Agent">The agent actor, for requests a controller sends it directly (observations, pool checks).</param>
public sealed record NodeAgentReport(
    string NodeName,
    Guid AgentIncarnation,
    long Sequence,
    long SentAtMs,
    ImmutableList<PoolCapacity> Pools,
    ImmutableList<string> SupportedLayers,
    ImmutableList<string> SupportedProviders,
    bool Synced = true,
    long ObservedVersion = 0,
    IActorRef? Agent = null) : IWireMessage;

/// <summary>One storage pool as its node agent sees it. Sizes are KiB, as in LINSTOR's REST API.</summary>
public sealed record PoolCapacity(string PoolName, string ProviderKind, long FreeKiB, long TotalKiB);

/// <summary>Sent by an agent that stops cleanly: its node is offline at once instead of after the timeout.</summary>
public sealed record NodeAgentGoodbye(string NodeName, Guid AgentIncarnation) : IWireMessage;

/// <summary>The DistributedPubSub topic node agents publish on and every controller subscribes to.</summary>
public static class NodeStatusTopic
{
    public const string Name = "fabric.node-status";
}
