using Fabric.Bench.Cli;

return await BenchCommands.RunAsync(args);
