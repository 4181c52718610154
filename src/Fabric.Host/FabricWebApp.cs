using System.Net;
using Akka.Configuration;
using Fabric.Core.Runtime;
using Fabric.Host.Api;
using Fabric.Host.Hosting;
using Fabric.Host.Management;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Fabric.Host;

/// <summary>Builds the web application of one Fabric process: REST (controller role), management, logging.</summary>
public static class FabricWebApp
{
    public static WebApplication Build(FabricSettings settings, string logFormat = "text", string logLevel = "Information", Action<WebApplicationBuilder>? customize = null)
    {
        var level = Enum.TryParse<LogEventLevel>(logLevel, ignoreCase: true, out var parsed) ? parsed : throw new ArgumentException($"Unknown log level '{logLevel}'.");
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Node", settings.NodeName);
        logger = logFormat == "json"
            ? logger.WriteTo.Console(new CompactJsonFormatter())
            : logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}{LogSource}: {Message:lj}{NewLine}{Exception}");
        Log.Logger = logger.CreateLogger();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Host.UseSerilog(Log.Logger, dispose: false);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var address = IPAddress.Parse(settings.BindAddress);
            kestrel.Limits.MaxRequestBodySize = ApiLimits.MaxBodyBytes;
            if (settings.IsController)
            {
                kestrel.Listen(address, settings.RestPort);
            }
            kestrel.Listen(address, settings.ManagementPort);
        });
        var akkaLogging = ConfigurationFactory.ParseString($$"""
            akka.loggers = ["Fabric.Host.Logging.SerilogAkkaLogger, Fabric.Host"]
            akka.loglevel = {{AkkaLevel(level)}}
            """);
        if (settings.AkkaConfigFile is { } file)
        {
            akkaLogging = ConfigurationFactory.ParseString(File.ReadAllText(file)).WithFallback(akkaLogging);
        }
        builder.Services.AddFabric(settings, akkaLogging);
        builder.Services.AddSingleton<ApiContext>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        customize?.Invoke(builder);

        var app = builder.Build();
        app.MapManagement(settings.ManagementPort);
        if (settings.IsController)
        {
            var rest = app.MapGroup(string.Empty).RequireHost($"*:{settings.RestPort}");
            rest.MapController();
            rest.MapNodes();
            rest.MapNetInterfaces();
            rest.MapStoragePools();
            rest.MapStoragePoolDefinitions();
            rest.MapResourceDefinitions();
            rest.MapResources();
            rest.MapDrbdConfig();
            rest.MapResourceGroups();
            rest.MapPlacement();
            rest.MapErrorReports();
        }
        return app;
    }

    private static string AkkaLevel(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => "DEBUG",
        LogEventLevel.Information => "INFO",
        LogEventLevel.Warning => "WARNING",
        _ => "ERROR",
    };
}
