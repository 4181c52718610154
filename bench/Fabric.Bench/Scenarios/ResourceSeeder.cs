using System.Collections.Immutable;
using System.Diagnostics;
using Fabric.Bench.Cli;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Entities;
using Fabric.Core.Naming;
using Fabric.Core.Properties;
using Fabric.Core.Runtime;

namespace Fabric.Bench.Scenarios;

public sealed record ResourceSeedResult(int Nodes, int Resources, TimeSpan NodeTime, TimeSpan ResourceTime, IReadOnlyList<string> ResourceNames, IReadOnlyList<string> NodeNames);

/// <summary>
/// Fills a journal through <see cref="FabricSystem.AskAsync"/> (no HTTP): nodes with a FILE_THIN
/// pool <c>pool1</c>, then resource definitions with one 1 GiB volume and 3 diskful replicas each
/// (resource i on nodes i, i+1, i+2 modulo the node count), as spawn would create them.
/// </summary>
public static class ResourceSeeder
{
    public const string Pool = "pool1";
    public const string Group = "DfltRscGrp";
    public const long VolumeKiB = 1024 * 1024;

    public static string NodeName(int i) => $"sat-{i:D4}";

    public static string ResourceName(int i) => $"res-{i:D6}";

    public static async Task<ResourceSeedResult> SeedAsync(FabricSystem fabric, int nodes, int resources, int concurrency, int replicas = 3)
    {
        var nodeClock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, nodes), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var name = NodeName(i);
            var netIf = new NetInterfaceSpec("default", $"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}", null, null, null);
            Check(await fabric.AskAsync(EntityKind.Node, Names.Key(name), new CreateNode(name, "satellite", Props.Empty, ImmutableList.Create(netIf)), ct), $"creating node {name}");
            var props = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("StorDriver/StorPoolName", $"/var/lib/fabric/{Pool}")]);
            Check(await fabric.AskAsync(EntityKind.Node, Names.Key(name), new CreateStoragePool(Pool, "FILE_THIN", props, null, false), ct), $"creating pool {Pool} on {name}");
        });
        nodeClock.Stop();
        Console.WriteLine($"  {nodes} nodes with pool {Pool} in {nodeClock.Elapsed.TotalSeconds:0.0} s");

        var names = Enumerable.Range(0, resources).Select(ResourceName).ToList();
        var clock = Stopwatch.StartNew();
        long done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, resources), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var on = Enumerable.Range(0, replicas).Select(k => new ReplicaSpec(NodeName((i + k) % nodes), Pool, false, Props.Empty)).ToImmutableList();
            var command = new CreateResourceDefinition(
                names[i], null, Group, null, Props.Empty, null, null, null,
                [new VolumeDefinitionSpec(null, VolumeKiB, Props.Empty, [])], on, ResourcePolicy.Default);
            Check(await fabric.AskAsync(EntityKind.Resource, Names.Key(names[i]), command, ct), $"creating resource {names[i]}");
            var total = Interlocked.Increment(ref done);
            if (total % 2000 == 0)
            {
                Console.WriteLine($"  {total} resources, {total / clock.Elapsed.TotalSeconds:0} /s, read model at offset {fabric.Views.Current.Offset}, {clock.Elapsed.TotalSeconds:0} s");
            }
        });
        clock.Stop();
        return new ResourceSeedResult(nodes, resources, nodeClock.Elapsed, clock.Elapsed, names, Enumerable.Range(0, nodes).Select(NodeName).ToList());
    }

    /// <summary>Waits until the read-model projection has reached the end of the journal.</summary>
    public static async Task<TimeSpan> WaitForProjectionAsync(FabricSystem fabric, string databaseFile, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var maxOrdering = Hosting.JournalStats.Read(databaseFile).MaxOrdering;
        while (fabric.Views.Current.Offset < maxOrdering)
        {
            if (clock.Elapsed > timeout)
            {
                throw new BenchFailedException($"The read model reached offset {fabric.Views.Current.Offset}, not {maxOrdering}, within {timeout}.");
            }
            await Task.Delay(20);
        }
        return clock.Elapsed;
    }

    private static void Check(Fabric.Core.Entities.CommandReply reply, string what)
    {
        if (!reply.Accepted)
        {
            throw new BenchFailedException($"{what} was rejected: {string.Join("; ", reply.Messages.Select(m => m.Message + " " + m.Cause))}");
        }
    }
}
