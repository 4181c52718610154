using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fabric.Core.Runtime;
using Fabric.Core.Tests.Runtime;
using Fabric.Host.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Fabric.Host.Tests.Infrastructure;

/// <summary>The real Fabric host (Kestrel on loopback, real SQLite journal file) started in-process.</summary>
public sealed class RunningHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningHost(WebApplication app, FabricSettings settings)
    {
        _app = app;
        Settings = settings;
        Rest = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{settings.RestPort}"), Timeout = TimeSpan.FromSeconds(60) };
        Management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{settings.ManagementPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public FabricSettings Settings { get; }

    public HttpClient Rest { get; }

    public HttpClient Management { get; }

    /// <summary>The host's running actor system (cluster address, node status board).</summary>
    public FabricSystem Fabric => _app.Services.GetRequiredService<FabricHostedService>().Fabric
        ?? throw new InvalidOperationException("The host's Fabric system is not running.");

    public static FabricSettings NewSettings(string? dataDir = null, string nodeName = "hostnode") => new()
    {
        DataDir = dataDir ?? NewDataDir(),
        RestPort = FreePort(),
        ManagementPort = FreePort(),
        ClusterPort = FreePort(),
        NodeName = nodeName,
    };

    public static string NewDataDir() => TestCluster.TempDataDir();

    public static int FreePort() => TestCluster.FreePort();

    public static async Task<RunningHost> StartAsync(FabricSettings settings)
    {
        var app = FabricWebApp.Build(settings, logLevel: "Warning");
        await app.StartAsync();
        var host = new RunningHost(app, settings);
        await host.WaitReadyAsync(TimeSpan.FromSeconds(60));
        return host;
    }

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await Management.GetAsync("/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Host on port {Settings.RestPort} did not become ready in {timeout}.");
            }
            await Task.Delay(100);
        }
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        Rest.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PutJsonAsync(string path, string json) =>
        Rest.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public async Task<JsonElement> GetJsonAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Rest.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {path}: expected {expected}, got {response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Rest.Dispose();
        Management.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
