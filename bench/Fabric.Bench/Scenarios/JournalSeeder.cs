using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Fabric.Bench.Cli;
using Fabric.Bench.Hosting;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Entities;
using Fabric.Core.Naming;
using Fabric.Core.Properties;
using Fabric.Core.Runtime;

namespace Fabric.Bench.Scenarios;

/// <summary>What seeding wrote, and the props every node must show afterwards.</summary>
public sealed record SeedResult(int Nodes, long Modifications, TimeSpan CreateTime, TimeSpan ModifyTime, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ExpectedProps);

/// <summary>
/// Fills a journal through <see cref="FabricSystem.AskAsync"/> (no HTTP): creates the nodes, then
/// modifies their props until the journal holds the target number of events. Each node is owned
/// by one worker, so its modifications are sequential and its final props are known.
/// </summary>
public static class JournalSeeder
{
    public const string PropKey = "Aux/k";

    public static string NodeName(int i) => $"cold-{i:D5}";

    public static async Task<SeedResult> SeedAsync(FabricSystem fabric, string databaseFile, int nodes, long targetEvents, int concurrency)
    {
        var createClock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, nodes), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var name = NodeName(i);
            var netIf = new NetInterfaceSpec("default", $"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}", null, null, null);
            var reply = await fabric.AskAsync(EntityKind.Node, Names.Key(name), new CreateNode(name, "satellite", Props.Empty, ImmutableList.Create(netIf)), ct);
            if (!reply.Accepted)
            {
                throw new BenchFailedException($"Creating node {name} was rejected: {string.Join("; ", reply.Messages.Select(m => m.Message))}");
            }
        });
        createClock.Stop();

        var rowsAfterCreate = JournalStats.Read(databaseFile).JournalRows;
        var modifications = Math.Max(0, targetEvents - rowsAfterCreate);
        Console.WriteLine($"  {nodes} nodes created in {createClock.Elapsed.TotalSeconds:0.0} s ({rowsAfterCreate} journal rows); now {modifications} props modifications");
        var perNode = Enumerable.Range(0, nodes).Select(j => (int)(modifications / nodes + (j < modifications % nodes ? 1 : 0))).ToArray();

        var modifyClock = Stopwatch.StartNew();
        long done = 0;
        var workers = Math.Min(concurrency, nodes);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var owned = Enumerable.Range(0, nodes).Where(j => j % workers == w).ToArray();
            var rounds = owned.Length == 0 ? 0 : owned.Max(j => perNode[j]);
            for (var round = 0; round < rounds; round++)
            {
                foreach (var j in owned.Where(j => round < perNode[j]))
                {
                    var change = PropsChange.Of(new Dictionary<string, string> { [PropKey] = round.ToString(CultureInfo.InvariantCulture) });
                    var reply = await fabric.AskAsync(EntityKind.Node, Names.Key(NodeName(j)), new ModifyNode(null, change));
                    if (!reply.Accepted)
                    {
                        throw new BenchFailedException($"Modifying node {NodeName(j)} was rejected: {string.Join("; ", reply.Messages.Select(m => m.Message))}");
                    }
                    var total = Interlocked.Increment(ref done);
                    if (total % 10_000 == 0)
                    {
                        Console.WriteLine($"  {total} modifications, {total / modifyClock.Elapsed.TotalSeconds:0} /s, read-model projection at journal offset {fabric.Views.Current.Offset}, {modifyClock.Elapsed.TotalSeconds:0} s");
                    }
                }
            }
        })));
        modifyClock.Stop();

        var expected = Enumerable.Range(0, nodes).ToDictionary(
            NodeName,
            j => (IReadOnlyDictionary<string, string>)(perNode[j] == 0
                ? new Dictionary<string, string>()
                : new Dictionary<string, string> { [PropKey] = (perNode[j] - 1).ToString(CultureInfo.InvariantCulture) }),
            StringComparer.Ordinal);
        return new SeedResult(nodes, modifications, createClock.Elapsed, modifyClock.Elapsed, expected);
    }
}
