using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Protocol;
using Fabric.Node.Storage;

namespace Fabric.Node.Agent;

/// <summary>Turns desired pools into the providers' pool specs.</summary>
public static class AgentPools
{
    public static PoolSpec SpecOf(DesiredPool pool) =>
        new(pool.Name, pool.Kind, pool.Props.GetValueOrDefault(ProviderKinds.BackingStoreProp) ?? string.Empty, pool.Props);
}
