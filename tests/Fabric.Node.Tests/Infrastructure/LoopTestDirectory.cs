using System.Diagnostics;
using Fabric.Node.Storage.Files;

namespace Fabric.Node.Tests.Infrastructure;

/// <summary>
/// A fresh temporary directory for file-pool tests; on dispose detaches every loop device whose
/// backing file lies under it (even when the test failed half-way) and deletes it.
/// </summary>
public sealed class LoopTestDirectory : IDisposable
{
    public LoopTestDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"fabric-file-tests-{Guid.NewGuid():N}");

    /// <summary>Loop devices attached to files under this directory, by the tool's own report.</summary>
    public IReadOnlyList<LoopDevice> Loops() =>
        [.. LoopDevices.Parse(Run("losetup", "--list", "--json", "--output", "NAME,BACK-FILE")).Where(l => l.BackingFile.StartsWith(Path + "/", StringComparison.Ordinal))];

    /// <summary>The size of a block device in bytes (blockdev --getsize64).</summary>
    public static long DeviceBytes(string device) => long.Parse(Run("blockdev", "--getsize64", device).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public static void Detach(string device) => Run("losetup", "--detach", device);

    public void Dispose()
    {
        foreach (var loop in Loops())
        {
            try
            {
                Detach(loop.Device);
            }
            catch (InvalidOperationException)
            {
            }
        }
        Directory.Delete(Path, recursive: true);
    }

    private static string Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? stdout.Result : throw new InvalidOperationException($"{program} {string.Join(' ', args)}: {stderr}");
    }
}
