using Akka.Actor;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Api;
using Fabric.Core.Naming;
using Fabric.Core.Protocol;
using Fabric.Core.Runtime;
using Fabric.Core.Views;

namespace Fabric.Host.Api;

/// <summary>
/// Before a storage pool is created on an online node, its agent checks the backing store
/// (directory, volume group, thin pool, zpool). A missing one fails the create, as in LINSTOR,
/// and nothing is recorded.
/// </summary>
public static class StoragePoolChecks
{
    public static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The rejection to answer, or null when the pool may be created (or the decider will reject it anyway).</summary>
    public static async Task<ApiCallRc?> AskAgentAsync(FabricSystem fabric, ReadModel model, string nodeName, CreateStoragePool command, CancellationToken cancellationToken)
    {
        var kind = ProviderKinds.Parse(command.ProviderKind);
        var node = model.Node(Names.Key(nodeName));
        var invalid = kind is null
            || node is null
            || node.StoragePools.ContainsKey(Names.Key(command.Name))
            || Names.CheckStoragePoolName(command.Name) is not null
            || (kind != ProviderKind.Diskless && string.IsNullOrWhiteSpace(command.Props.GetValueOrDefault(ProviderKinds.BackingStoreProp)));
        if (invalid || fabric.NodeStatus.Get(nodeName) is not { Online: true, Agent: { } agent })
        {
            return null;
        }
        try
        {
            var result = await agent.Ask<PoolCheckResult>(new PoolCheck(node!.Name, new DesiredPool(command.Name, kind!.Value, command.Props)), AgentTimeout, cancellationToken);
            return result.Usable
                ? null
                : ApiCallRc.Error(ApiConsts.MaskStorPool, ApiConsts.MaskCrt, ApiConsts.FailStorPoolConfigurationError, result.Message ?? $"Storage pool '{command.Name}' cannot be used on node '{node.Name}'.", result.Cause, result.Correction)
                    .WithRef("Node", node.Name).WithRef("StorPool", command.Name);
        }
        catch (AskTimeoutException)
        {
            return ApiCallRc.Error(ApiConsts.MaskStorPool, ApiConsts.MaskCrt, ApiConsts.FailStorPoolConfigurationError,
                $"The node agent of '{node!.Name}' did not check storage pool '{command.Name}' within {AgentTimeout.TotalSeconds:0} s.",
                "The agent is busy or its storage tools hang.",
                "Retry; check the node's storage tools if it keeps failing.");
        }
    }
}
