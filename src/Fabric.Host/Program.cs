using Fabric.Host;
using Fabric.Host.Configuration;

try
{
    if (args.Length > 0 && args[0] == "drbd")
    {
        return await Fabric.Host.Cli.DrbdCommand.RunAsync(args[1..], Console.Out, Console.Error);
    }
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(CommandLine.Usage());
        return 0;
    }
    var (settings, logFormat, logLevel) = CommandLine.Parse(args, Environment.GetEnvironmentVariable);
    var app = FabricWebApp.Build(settings, logFormat, logLevel);
    await app.RunAsync();
    // 0 after a requested stop; FabricHostedService sets 3 when the actor system ended on its own.
    return Environment.ExitCode;
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"fabric: {ex.Message}");
    return 2;
}
