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

    /// <summary>The member's cluster port (a restarted member reuses it, as a restarted satellite process does).</summary>
    public int Port => Fabric.Settings.ClusterPort;

    /// <summary>
    /// Starts the member with Akka's log events at INFO (Serilog decides what is printed) and waits until it
    /// is Up. Terminating its actor system does not run coordinated shutdown, so <see cref="CrashAsync"/>
    /// leaves the cluster as a killed process does: without a word.
    /// </summary>
    public static async Task<SatelliteMember> StartAsync(string dataDir, string nodeName, int controllerClusterPort, TimeSpan timeout, int? port = null)
    {
        var settings = new FabricSettings
        {
            DataDir = dataDir,
            ClusterPort = port ?? FreePorts.Take(1)[0],
            Roles = [FabricSettings.Satellite],
            NodeName = nodeName,
            SeedNodes = [$"127.0.0.1:{controllerClusterPort}"],
        };
        var logging = ConfigurationFactory.ParseString("""
            akka.loggers = ["Fabric.Host.Logging.SerilogAkkaLogger, Fabric.Host"]
            akka.loglevel = INFO
            akka.coordinated-shutdown.run-by-actor-system-terminate = off
            """);
        var fabric = await FabricSystem.StartAsync(settings, logging).WaitAsync(timeout);
        return new SatelliteMember(fabric);
    }

    /// <summary>Stops the actor system without leaving the cluster: the controllers see the member become unreachable.</summary>
    public Task CrashAsync() => Fabric.System.Terminate();

    /// <summary>Leaves the cluster and stops (coordinated shutdown); nothing after a crash.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!Fabric.System.WhenTerminated.IsCompleted)
        {
            await Fabric.DisposeAsync();
        }
    }
}
