using System.Diagnostics;
using Fabric.Bench.Cli;
using Fabric.Bench.Reporting;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Entities;
using Fabric.Core.Naming;
using Fabric.Core.Properties;
using Fabric.Core.Protocol;
using Fabric.Core.Runtime;

namespace Fabric.Bench.Reconnect;

/// <summary>The resources of the benchmarked node: created through the resource entities, then awaited until the agent has them all in place.</summary>
public static class ReconnectResources
{
    /// <summary>
    /// Creates <paramref name="resources"/> definitions (one volume, layer stack STORAGE, one replica on
    /// <paramref name="node"/> in the backing's pool), 16 in flight, and returns name → device path once
    /// the board shows every one in place and UpToDate.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> CreateAsync(FabricSystem fabric, string node, ISatelliteBacking backing, int resources, BenchReport report)
    {
        var names = Enumerable.Range(1, resources).Select(i => $"rsc-{i:D4}").ToList();
        Console.WriteLine($"Creating {resources} resources on {node} ({backing.Name})");
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (name, ct) =>
        {
            var command = new CreateResourceDefinition(
                name, null, "DfltRscGrp", [Layers.Storage], Props.Empty, null, null, null,
                [new VolumeDefinitionSpec(null, backing.VolumeKiB, Props.Empty, [])],
                [new ReplicaSpec(node, backing.PoolName, false, Props.Empty)],
                ResourcePolicy.Default);
            var reply = await fabric.AskAsync(EntityKind.Resource, Names.Key(name), command, ct);
            if (!reply.Accepted)
            {
                throw new BenchFailedException($"Creating resource {name} was rejected: {string.Join("; ", reply.Messages.Select(m => m.Message + " " + m.Cause))}");
            }
        });
        report.Add("setup: resources created (AskAsync, 16 in flight)", clock.Elapsed.TotalSeconds, "s", $"{resources / clock.Elapsed.TotalSeconds:0} resources/s");
        NodeLiveStatus? status = null;
        await Waiting.UntilAsync(() =>
        {
            status = fabric.NodeStatus.Get(node);
            return status is not null && names.All(n => status.Resources.TryGetValue(Names.Key(n), out var r)
                && r.InPlace && r.Volumes.Count == 1 && r.Volumes[0].DiskState == "UpToDate" && r.Volumes[0].DevicePath is not null);
        }, TimeSpan.FromMinutes(10), $"all {resources} resources UpToDate on {node}");
        report.Add("setup: all volumes created and UpToDate (board)", clock.Elapsed.TotalSeconds, "s", "from the first create");
        return names.ToDictionary(n => n, n => status!.Resources[Names.Key(n)].Volumes[0].DevicePath!, StringComparer.Ordinal);
    }
}
