using Akka.Configuration;
using Fabric.Core.Runtime;

namespace Fabric.Bench.Hosting;

/// <summary>
/// A satellite cluster member (role satellite only: shard proxies, no journal) started in the bench
/// process and joined to a controller over loopback remoting. Node agents started in it reach the
/// controller as a satellite process's agents do: every message is serialized and crosses TCP.
/// </summary>
public sealed class SatelliteMember : IAsyncDisposable
{
    private SatelliteMember(FabricSystem fabric) => Fabric = fabric;

    public FabricSystem Fabric { get; }

    /// <summary>Starts the member with Akka's log events at INFO (Serilog decides what is printed) and waits until it is Up.</summary>
    public static async Task<SatelliteMember> StartAsync(string dataDir, string nodeName, int controllerClusterPort, TimeSpan timeout)
    {
        var settings = new FabricSettings
        {
            DataDir = dataDir,
            ClusterPort = FreePorts.Take(1)[0],
            Roles = [FabricSettings.Satellite],
            NodeName = nodeName,
            SeedNodes = [$"127.0.0.1:{controllerClusterPort}"],
        };
        var logging = ConfigurationFactory.ParseString("""
            akka.loggers = ["Fabric.Host.Logging.SerilogAkkaLogger, Fabric.Host"]
            akka.loglevel = INFO
            """);
        var fabric = await FabricSystem.StartAsync(settings, logging).WaitAsync(timeout);
        return new SatelliteMember(fabric);
    }

    public ValueTask DisposeAsync() => Fabric.DisposeAsync();
}
