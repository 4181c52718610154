using System.Net;
using System.Text.Json;

namespace Fabric.Bench.Hosting;

/// <summary>GET /ready on the management port: status plus the individual checks the host reports.</summary>
public static class ReadinessProbe
{
    public sealed record Answer(bool Ready, IReadOnlyDictionary<string, bool> Checks);

    /// <summary>Null while the port does not answer yet.</summary>
    public static async Task<Answer?> AskAsync(HttpClient management, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await management.GetAsync("/ready", cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var checks = new Dictionary<string, bool>(StringComparer.Ordinal);
            try
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.TryGetProperty("checks", out var c) || json.RootElement.TryGetProperty("Checks", out c))
                {
                    foreach (var p in c.EnumerateObject())
                    {
                        checks[p.Name] = p.Value.ValueKind == JsonValueKind.True;
                    }
                }
            }
            catch (JsonException)
            {
            }
            return new Answer(response.StatusCode == HttpStatusCode.OK, checks);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public static async Task WaitAsync(HttpClient management, TimeSpan timeout, Func<bool>? stillAlive = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await AskAsync(management) is { Ready: true })
            {
                return;
            }
            if (stillAlive is not null && !stillAlive())
            {
                throw new InvalidOperationException("The host exited before it became ready.");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{management.BaseAddress} did not answer /ready = 200 within {timeout}.");
            }
            await Task.Delay(50);
        }
    }
}
