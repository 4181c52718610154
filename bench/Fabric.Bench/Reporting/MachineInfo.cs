using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Fabric.Bench.Reporting;

/// <summary>The conditions a figure was measured under: cores, load (others build here too), build.</summary>
public sealed record MachineInfo(int ProcessorCount, string Os, string Runtime, string Configuration, string LoadAverage, string GitCommit)
{
    public static MachineInfo Capture() => new(
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        Environment.Version.ToString(),
#if DEBUG
        "Debug",
#else
        "Release",
#endif
        ReadLoadAverage(),
        ReadGitCommit());

    /// <summary>The first three fields of /proc/loadavg, or "n/a" off Linux.</summary>
    public static string ReadLoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    private static string ReadGitCommit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = RepoPaths.Root,
            });
            if (git is null)
            {
                return "?";
            }
            var commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? commit : "?";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }
}
