using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Fabric.Core.Aggregates.Allocators;
using Fabric.Core.Allocation;
using Fabric.Core.Api;

namespace Fabric.Core.Aggregates.Resources;

/// <summary>One request to an allocator that the resource still needs answered.</summary>
public abstract record AllocationStep(string Allocator)
{
    public sealed record MinorFor(int VolumeNumber, Reserve Request) : AllocationStep(AllocatorAggregate.MinorPool);

    public sealed record PortFor(string NodeKey, Reserve Request) : AllocationStep(AllocatorAggregate.TcpPortPool(NodeKey));

    public sealed record GiveBack(PendingRelease Release) : AllocationStep(Release.Allocator);
}

/// <summary>Pure: what a resource still needs from allocators, derived from its state alone.</summary>
public static class ResourceProcess
{
    public static ImmutableList<AllocationStep> Outstanding(ResourceDefinitionState state)
    {
        var steps = ImmutableList.CreateBuilder<AllocationStep>();
        var allocation = state.Operation?.Allocation ?? AllocationPolicy.Default;
        if (state.Exists && state.Operation is not null)
        {
            foreach (var vd in state.VolumeDefinitions.Values.Where(v => v.Minor is null))
            {
                steps.Add(new AllocationStep.MinorFor(vd.VolumeNumber, new Reserve(
                    state.MinorOwner(vd.VolumeNumber),
                    allocation.Minors,
                    "DRBD minor number",
                    NumberPools.MinorRangeProp,
                    ApiConsts.FailPoolExhaustedMinorNr,
                    vd.RequestedMinor)));
            }
            foreach (var (nodeKey, replica) in state.Replicas.Where(r => r.Value.Port is null))
            {
                steps.Add(new AllocationStep.PortFor(nodeKey, new Reserve(
                    state.PortOwner(),
                    allocation.PortsOn(nodeKey),
                    $"TCP port on node '{replica.NodeName}'",
                    NumberPools.TcpPortRangeProp,
                    ApiConsts.FailPoolExhaustedTcpPort,
                    replica.RequestedPort)));
            }
        }
        foreach (var release in state.PendingReleases)
        {
            steps.Add(new AllocationStep.GiveBack(release));
        }
        return steps.ToImmutable();
    }

    /// <summary>True when every volume has its minor and every replica its port.</summary>
    public static bool NumbersComplete(ResourceDefinitionState state) =>
        state.VolumeDefinitions.Values.All(v => v.Minor is not null) && state.Replicas.Values.All(r => r.Port is not null);

    /// <summary>A stable identifier derived from another: the same inputs always give the same id.</summary>
    public static Guid Derive(Guid seed, string label)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(seed.ToString("N") + "/" + label), hash);
        var bytes = hash[..16].ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    /// <summary>DRBD's shared secret for a new definition, derived from its fresh uuid.</summary>
    public static string SecretFor(Guid uuid) => Convert.ToBase64String(Derive(uuid, "secret").ToByteArray()).TrimEnd('=').Replace('+', 'x').Replace('/', 'y')[..20];
}
