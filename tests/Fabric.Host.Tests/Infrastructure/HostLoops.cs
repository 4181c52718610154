using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Fabric.Host.Tests.Infrastructure;

/// <summary>A loop device of this machine and its backing file (without losetup's " (deleted)" suffix).</summary>
public sealed record HostLoop(string Device, string BackingFile, bool Deleted);

/// <summary>
/// What the machine really has, read with the system's own tools independently of Fabric's code:
/// loop devices (<c>losetup</c>), device sizes (<c>blockdev</c>), canonical paths (<c>realpath</c>).
/// </summary>
public static class HostLoops
{
    private const string DeletedSuffix = " (deleted)";

    /// <summary>Every loop device attached on this machine.</summary>
    public static async Task<IReadOnlyList<HostLoop>> ListAsync()
    {
        var (exit, stdout, stderr) = await RunAsync("losetup", "--list", "--json", "--output", "NAME,BACK-FILE");
        Assert.True(exit == 0, $"losetup --list failed ({exit}): {stderr}");
        if (string.IsNullOrWhiteSpace(stdout))
        {
            return [];
        }
        using var document = JsonDocument.Parse(stdout);
        var loops = new List<HostLoop>();
        foreach (var device in document.RootElement.GetProperty("loopdevices").EnumerateArray())
        {
            var name = device.GetProperty("name").GetString();
            var backing = device.TryGetProperty("back-file", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(backing))
            {
                continue;
            }
            var deleted = backing.EndsWith(DeletedSuffix, StringComparison.Ordinal);
            loops.Add(new HostLoop(name, deleted ? backing[..^DeletedSuffix.Length] : backing, deleted));
        }
        return loops;
    }

    /// <summary>Loop devices whose backing file is <paramref name="file"/> (also ones whose file was deleted meanwhile).</summary>
    public static async Task<IReadOnlyList<HostLoop>> AttachedToAsync(string file) =>
        [.. (await ListAsync()).Where(l => l.BackingFile == file)];

    /// <summary><c>blockdev --getsize64</c>: the device's size in bytes.</summary>
    public static async Task<long> SizeBytesAsync(string device)
    {
        var (exit, stdout, stderr) = await RunAsync("blockdev", "--getsize64", device);
        Assert.True(exit == 0, $"blockdev --getsize64 {device} failed ({exit}): {stderr}");
        return long.Parse(stdout.Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>The path with every symbolic link resolved, as losetup records backing files.</summary>
    public static string Canonical(string path)
    {
        var (exit, stdout, stderr) = RunAsync("realpath", "--canonicalize-existing", "--", path).GetAwaiter().GetResult();
        return exit == 0 ? stdout.Trim() : throw new IOException($"realpath {path} failed ({exit}): {stderr}");
    }

    /// <summary>Detaches every loop device whose backing file lies under <paramref name="root"/>; returns the devices detached.</summary>
    public static async Task<IReadOnlyList<string>> DetachUnderAsync(string root)
    {
        var prefix = root.TrimEnd('/') + "/";
        var detached = new List<string>();
        foreach (var loop in (await ListAsync()).Where(l => l.BackingFile.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var (exit, _, stderr) = await RunAsync("losetup", "--detach", loop.Device);
            if (exit == 0 || stderr.Contains("No such device or address", StringComparison.Ordinal))
            {
                detached.Add(loop.Device);
            }
        }
        return detached;
    }

    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
