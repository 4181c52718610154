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
