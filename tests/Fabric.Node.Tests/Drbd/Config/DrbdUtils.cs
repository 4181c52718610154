using System.Diagnostics;

namespace Fabric.Node.Tests.Drbd.Config;

/// <summary>What one drbd-utils run printed and returned.</summary>
public sealed record DrbdToolRun(string Command, int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"$ {Command}\n--- exit {ExitCode}\n--- stdout:\n{Stdout}\n--- stderr:\n{Stderr}";
}

/// <summary>
/// The real drbd-utils from apt (drbdadm 9.x, drbdadm-84, drbdmeta), run as child processes.
/// Configurations are checked for one node the way drbd-utils' own tests do: the file is
/// included from a wrapper with <c>global { disable-ip-verification; usage-count no; }</c> (the
/// addresses are not on this host) and <c>__DRBD_NODE__</c> makes drbdadm act as that node.
/// No kernel module is needed for <c>sh-nop</c>, dry runs (<c>-d</c>) or drbdmeta on image files.
/// </summary>
public static class DrbdUtils
{
    public static string? DrbdAdm { get; } = Find("/usr/sbin/drbdadm", "/sbin/drbdadm");

    public static string? DrbdAdm84 { get; } = Find("/usr/lib/drbd/drbdadm-84", "/lib/drbd/drbdadm-84");

    public static string? DrbdMeta { get; } = Find("/usr/sbin/drbdmeta", "/sbin/drbdmeta");

    /// <summary>Why the real-tool tests cannot run here, or null (CI installs drbd-utils, so null is the normal case).</summary>
    public static string? SkipReason { get; } =
        DrbdAdm is null || DrbdAdm84 is null || DrbdMeta is null
            ? "drbd-utils is not installed (apt-get install -y drbd-utils): drbdadm, /lib/drbd/drbdadm-84 or drbdmeta is missing"
            : null;

    /// <summary><c>drbdadm -c wrapper sh-nop</c> as <paramref name="node"/>: parses and validates the whole configuration.</summary>
    public static DrbdToolRun ShNop(string resText, string node, bool drbd84 = false) => RunOnConfig(resText, node, drbd84, "sh-nop");

    /// <summary><c>drbdadm -d up &lt;resource&gt;</c> as <paramref name="node"/>: the drbdsetup / drbdmeta commands drbdadm would run.</summary>
    public static DrbdToolRun DryRunUp(string resText, string node, string resource, bool drbd84 = false) => RunOnConfig(resText, node, drbd84, "-d", "up", resource);

    /// <summary>Asserts that drbdadm accepts the file for the node (exit 0).</summary>
    public static void AssertAccepted(string resText, string node, bool drbd84 = false)
    {
        var run = ShNop(resText, node, drbd84);
        Assert.True(run.ExitCode == 0, $"drbdadm rejected the configuration for node '{node}':\n{run}\n--- file:\n{resText}");
    }

    public static DrbdToolRun Run(string program, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["LC_ALL"] = "C";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within 60 s.");
        }
        return new DrbdToolRun($"{program} {string.Join(' ', args)}", process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static DrbdToolRun RunOnConfig(string resText, string node, bool drbd84, params string[] command)
    {
        var tool = (drbd84 ? DrbdAdm84 : DrbdAdm) ?? throw new InvalidOperationException(SkipReason);
        var directory = Directory.CreateTempSubdirectory("fabric-drbdconf-");
        try
        {
            var resFile = Path.Combine(directory.FullName, "resource.res");
            File.WriteAllText(resFile, resText);
            var wrapper = Path.Combine(directory.FullName, "drbd.conf");
            File.WriteAllText(wrapper, $"global {{\n    usage-count no;\n    disable-ip-verification;\n}}\ninclude \"{resFile}\";\n");
            return Run(tool, ["-c", wrapper, .. command], new Dictionary<string, string> { ["__DRBD_NODE__"] = node });
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string? Find(params string[] candidates) => candidates.FirstOrDefault(File.Exists);
}

/// <summary>A fact that runs the real drbd-utils; skipped (with the reason) only where they are not installed.</summary>
public sealed class DrbdUtilsFactAttribute : FactAttribute
{
    public DrbdUtilsFactAttribute() => Skip = DrbdUtils.SkipReason;
}

/// <summary>A theory that runs the real drbd-utils; skipped (with the reason) only where they are not installed.</summary>
public sealed class DrbdUtilsTheoryAttribute : TheoryAttribute
{
    public DrbdUtilsTheoryAttribute() => Skip = DrbdUtils.SkipReason;
}
