using Fabric.Core.Runtime;
using Fabric.Host;
using Fabric.Host.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Fabric.Bench.Hosting;

/// <summary>The real host (FabricWebApp: Kestrel, Akka, SQLite journal) started inside the bench process.</summary>
public sealed class InProcessHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private InProcessHost(WebApplication app, FabricSettings settings, HostEndpoints endpoints)
    {
        _app = app;
        Settings = settings;
        Endpoints = endpoints;
        Management = BenchHttp.Create(endpoints.Management, timeout: TimeSpan.FromSeconds(10));
    }

    public FabricSettings Settings { get; }

    public HostEndpoints Endpoints { get; }

    public HttpClient Management { get; }

    /// <summary>The running actor system, as the host's hosted service holds it.</summary>
    public FabricSystem Fabric => _app.Services.GetRequiredService<FabricHostedService>().Fabric
        ?? throw new InvalidOperationException("The Fabric system has not started.");

    /// <param name="akkaInfoEvents">Akka's log level INFO (the host's default in production) so that INFO events
    /// reach subscribers such as <see cref="AkkaTimeline"/>; the console still prints only warnings.</param>
    public static async Task<InProcessHost> StartAsync(string dataDir, string nodeName, TimeSpan readyTimeout, bool akkaInfoEvents = false)
    {
        var endpoints = HostEndpoints.Free();
        var settings = new FabricSettings
        {
            DataDir = dataDir,
            RestPort = endpoints.RestPort,
            ManagementPort = endpoints.ManagementPort,
            ClusterPort = endpoints.ClusterPort,
            NodeName = nodeName,
            Journal = JournalKind.Sqlite,
        };
        var app = akkaInfoEvents
            ? FabricWebApp.Build(settings, logFormat: "text", logLevel: "Information", customize: _ => QuietConsole())
            : FabricWebApp.Build(settings, logFormat: "text", logLevel: "Warning");
        await app.StartAsync();
        var host = new InProcessHost(app, settings, endpoints);
        await ReadinessProbe.WaitAsync(host.Management, readyTimeout);
        return host;
    }

    /// <summary>Akka's events go to <see cref="Serilog.Log.Logger"/>, read per event: from now on only warnings pass to the console logger.</summary>
    private static void QuietConsole() =>
        Serilog.Log.Logger = new Serilog.LoggerConfiguration()
            .MinimumLevel.Warning()
            .WriteTo.Logger(Serilog.Log.Logger)
            .CreateLogger();

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Management.Dispose();
    }
}
