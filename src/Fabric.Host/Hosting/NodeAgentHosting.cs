using System.Collections.Immutable;
using System.Globalization;
using Akka.Actor;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Api;
using Fabric.Core.Entities;
using Fabric.Core.Naming;
using Fabric.Core.Runtime;
using Fabric.Node.Agent;
using Fabric.Node.Drbd;
using Fabric.Node.Process;
using Fabric.Node.Storage;
using Fabric.Node.Storage.Simulated;

namespace Fabric.Host.Hosting;

/// <summary>Starts node agents in this process: the own node's (real storage) and simulated ones.</summary>
public static class NodeAgentHosting
{
    /// <summary>Node prop marking a node whose agent runs on the simulated storage provider.</summary>
    public const string SimulatedProp = "Fabric/Simulated";

    /// <summary>The pool every simulated node gets, and the embedded default's file-backed pool.</summary>
    public const string DefaultPool = "DfltStorPool";

    /// <param name="drbd">Opens the node's DRBD driver; null: the agent runs without DRBD.</param>
    public static IActorRef StartAgent(FabricSystem fabric, string nodeName, StorageProviders providers, DrbdDriverFactory? drbd = null)
    {
        var settings = new NodeAgentSettings(nodeName, providers.For, fabric.Settings.NodeHeartbeatInterval, fabric.Settings.AgentMaxParallel, Drbd: drbd);
        return fabric.System.ActorOf(NodeAgentActor.PropsFor(settings, new FabricAgentLink(fabric)), "agent-" + nodeName);
    }

    /// <summary>The real providers of this host, every tool through one command runner.</summary>
    public static StorageProviders HostProviders() => StorageProviders.ForHost(new CommandRunner());

    /// <summary>This host's DRBD: the kernel driver over generic netlink, meta-data through drbdmeta (the format the driver's API needs).</summary>
    public static DrbdDriverFactory HostDrbd(string resDirectory) => async cancellationToken =>
    {
        var kernel = await Fabric.Node.Drbd.Netlink.NetlinkDrbdKernel.OpenAsync(null, cancellationToken).ConfigureAwait(false);
        return new DrbdDriver(kernel, new Fabric.Node.Drbd.Meta.DrbdMetaTool(new CommandRunner(), kernel.Info.Api), new Fabric.Node.Drbd.Config.DrbdResFileStore(resDirectory));
    };

    /// <summary>Names of the simulated nodes: sim-01 ... sim-N (zero-padded so they sort).</summary>
    public static IReadOnlyList<string> SimulatedNodeNames(int count)
    {
        var width = Math.Max(2, count.ToString(CultureInfo.InvariantCulture).Length);
        return [.. Enumerable.Range(1, count).Select(i => "sim-" + i.ToString("D" + width, CultureInfo.InvariantCulture))];
    }

    /// <summary>
    /// Registers a simulated node (SATELLITE, prop Fabric/Simulated=true) with an LVM_THIN pool
    /// served by the simulated provider, unless they exist. Returns the first error, or null.
    /// </summary>
    public static async Task<ApiCallRc?> RegisterSimulatedNodeAsync(FabricSystem fabric, string nodeName)
    {
        var props = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(SimulatedProp, "true")]);
        var netIf = new NetInterfaceSpec("default", fabric.Settings.EffectiveNodeAddress, null, null, true);
        var node = await fabric.AskAsync(EntityKind.Node, Names.Key(nodeName), new CreateNode(nodeName, NodeType.Satellite.ToApi(), props, [netIf]));
        if (!node.Accepted && !IsExists(node, ApiConsts.FailExistsNode))
        {
            return node.Messages.FirstOrDefault();
        }
        var poolProps = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(ProviderKinds.BackingStoreProp, "simvg/thin")]);
        var pool = await fabric.AskAsync(EntityKind.Node, Names.Key(nodeName), new CreateStoragePool(DefaultPool, ProviderKind.LvmThin.ToApi(), poolProps, null, false));
        return pool.Accepted || IsExists(pool, ApiConsts.FailExistsStorPool) ? null : pool.Messages.FirstOrDefault();
    }

    /// <summary>The embedded default's file-backed pool: FILE_THIN in the data directory (loop devices need root).</summary>
    public static async Task<ApiCallRc?> CreateDefaultFilePoolAsync(FabricSystem fabric, string nodeName)
    {
        var directory = Path.Combine(Path.GetFullPath(fabric.Settings.DataDir), "storage", DefaultPool);
        Directory.CreateDirectory(directory);
        var props = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(ProviderKinds.BackingStoreProp, directory)]);
        var reply = await fabric.AskAsync(EntityKind.Node, Names.Key(nodeName), new CreateStoragePool(DefaultPool, ProviderKind.FileThin.ToApi(), props, null, false));
        return reply.Accepted || IsExists(reply, ApiConsts.FailExistsStorPool) ? null : reply.Messages.FirstOrDefault();
    }

    private static bool IsExists(CommandReply reply, long code) => reply.Messages.Any(m => ApiConsts.CodeOf(m.RetCode) == code);
}
