using System.Diagnostics;

namespace Fabric.Lab.Infrastructure;

/// <summary>Polling with a deadline; the failure names what was awaited and what was last seen.</summary>
public static class Wait
{
    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout, Func<string>? lastSeen = null, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        Exception? lastError = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return clock.Elapsed;
                }
                lastError = null;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or System.Text.Json.JsonException or System.Net.Sockets.SocketException)
            {
                lastError = ex;
            }
            if (clock.Elapsed > timeout)
            {
                var seen = lastSeen?.Invoke() ?? lastError?.Message;
                throw new LabFailure($"timed out after {timeout.TotalSeconds:0} s waiting for {what}" + (seen is null ? string.Empty : $"; last seen: {seen}"));
            }
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(500));
        }
    }
}

/// <summary>A scenario's assertion failed: the message says what was expected and what was found.</summary>
public sealed class LabFailure(string message) : Exception(message);
