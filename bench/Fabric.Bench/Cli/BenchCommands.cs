using Fabric.Bench.Micro;
using Fabric.Bench.Reporting;
using Fabric.Bench.Scenarios;

namespace Fabric.Bench.Cli;

/// <summary>Subcommand dispatch: each scenario returns a report that is printed and saved.</summary>
public static class BenchCommands
{
    private const string Usage = """
        Fabric scale harness. Usage: Fabric.Bench <command> [options]

          rest-node-create [--count 2000] [--concurrency 16] [--warmup 100] [--out file.json]
              Real host in-process; creates nodes through POST /v1/nodes; ops/s and latency.
          cold-start [--events 100000] [--nodes 1000] [--seed-concurrency 64] [--full-replay true]
                     [--keep-data false] [--out file.json]
              Seeds a journal in-process, then restarts the host 3 times as a separate process
              and times /ready and the first complete node list; then once more on a copy
              without the read-model snapshot (full replay, the worst case).
          rest-spawn [--count 1000] [--concurrency 16] [--nodes 100] [--warmup 20] [--out file.json]
              Real host in-process; nodes + FILE_THIN pools via REST, simulated agents keep them
              online; POST /v1/resource-groups/bench/spawn (3 replicas, 1 GiB); resources/s and
              latency; then checks placement and numbers through GET /v1/view/resources.
          view-resources [--resources 10000] [--nodes 100] [--samples 30] [--seed-concurrency 64] [--out file.json]
              Seeds resources × 3 replicas through AskAsync; times GET /v1/view/resources (all and
              ?nodes=one) and GET /v1/resource-definitions.
          cold-start-resources [--resources 10000] [--nodes 100] [--seed-concurrency 64] [--keep-data false] [--out file.json]
              Seeds as view-resources, then restarts the host 3 times as a separate process and
              times /ready and the first complete definition list and resource view.
          agent-reconnect [--resources 1000] [--provider simulated|file-thin] [--runs 5] [--stop crash|clean]
                          [--restart agent|member] [--out file.json]
              Real host in-process plus a satellite member joined over loopback; one node with
              resources already in place; its agent dies and a new incarnation starts on the same
              storage: agent start to ONLINE and to every resource in place, storage operations
              counted (only listings allowed). file-thin uses real loop devices (root). --restart
              member: the agent dies with its satellite member and comes back in a new one.
          micro [BenchmarkDotNet arguments]
              NodeAggregate Decide+Apply micro-benchmarks (in-process toolchain).
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        var rest = args.Skip(1).ToList();
        try
        {
            BenchReport report;
            string? outPath;
            switch (args[0])
            {
                case "rest-node-create":
                {
                    var options = BenchArguments.Parse(rest, ["--count", "--concurrency", "--warmup", "--out"]);
                    outPath = options.Text("--out");
                    report = await RestNodeCreateScenario.RunAsync(options.Int("--count", 2000), options.Int("--concurrency", 16), options.Int("--warmup", 100, min: 0));
                    break;
                }
                case "cold-start":
                {
                    var options = BenchArguments.Parse(rest, ["--events", "--nodes", "--seed-concurrency", "--keep-data", "--full-replay", "--out"]);
                    outPath = options.Text("--out");
                    report = await ColdStartScenario.RunAsync(options.Int("--events", 100_000), options.Int("--nodes", 1000), options.Int("--seed-concurrency", 64), options.Flag("--keep-data"), options.Text("--full-replay") is null || options.Flag("--full-replay"));
                    break;
                }
                case "rest-spawn":
                {
                    var options = BenchArguments.Parse(rest, ["--count", "--concurrency", "--nodes", "--warmup", "--out"]);
                    outPath = options.Text("--out");
                    report = await RestSpawnScenario.RunAsync(options.Int("--count", 1000), options.Int("--concurrency", 16), options.Int("--nodes", 100, min: 3), options.Int("--warmup", 20, min: 0));
                    break;
                }
                case "view-resources":
                {
                    var options = BenchArguments.Parse(rest, ["--resources", "--nodes", "--samples", "--seed-concurrency", "--out"]);
                    outPath = options.Text("--out");
                    report = await ViewResourcesScenario.RunAsync(options.Int("--resources", 10_000), options.Int("--nodes", 100, min: 3), options.Int("--samples", 30), options.Int("--seed-concurrency", 64));
                    break;
                }
                case "cold-start-resources":
                {
                    var options = BenchArguments.Parse(rest, ["--resources", "--nodes", "--seed-concurrency", "--keep-data", "--out"]);
                    outPath = options.Text("--out");
                    report = await ColdStartResourcesScenario.RunAsync(options.Int("--resources", 10_000), options.Int("--nodes", 100, min: 3), options.Int("--seed-concurrency", 64), options.Flag("--keep-data"));
                    break;
                }
                case "agent-reconnect":
                {
                    var options = BenchArguments.Parse(rest, ["--resources", "--provider", "--runs", "--stop", "--restart", "--out"]);
                    outPath = options.Text("--out");
                    var provider = options.Text("--provider") ?? "simulated";
                    report = await AgentReconnectScenario.RunAsync(options.Int("--resources", provider == "file-thin" ? 100 : 1000), provider, options.Int("--runs", 5), options.Text("--stop") ?? "crash", options.Text("--restart") ?? "agent");
                    break;
                }
                case "micro":
                    return MicroCommand.Run(rest.ToArray());
                default:
                    Console.Error.WriteLine($"Unknown command '{args[0]}'.");
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
            Console.WriteLine();
            Console.WriteLine(report.ToMarkdown());
            var written = ReportWriter.Write(report, outPath);
            Console.WriteLine($"Results written to {written}");
            return 0;
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"fabric-bench: {ex.Message}");
            return 2;
        }
        catch (BenchFailedException ex)
        {
            Console.Error.WriteLine($"BENCHMARK FAILED: {ex.Message}");
            return 1;
        }
    }
}
