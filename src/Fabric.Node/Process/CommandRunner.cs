using System.ComponentModel;
using System.Diagnostics;

namespace Fabric.Node.Process;

/// <summary>
/// The real <see cref="ICommandRunner"/>: starts the program directly (argument list, never a
/// shell) with stdin closed and <c>LANG=C</c>/<c>LC_ALL=C</c> so tools print parseable text,
/// captures stdout and stderr concurrently, and kills the whole process tree on timeout or
/// cancellation.
/// </summary>
public sealed class CommandRunner : ICommandRunner
{
    /// <summary>How long to keep reading output after the process exited or was killed, for pipes a stray grandchild still holds.</summary>
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(2);

    private readonly Action<CommandSpec, CommandResult>? _onCompleted;

    /// <param name="onCompleted">Called after every command that ran to its exit (any exit code); for logs and metrics. Must not throw.</param>
    public CommandRunner(Action<CommandSpec, CommandResult>? onCompleted = null) => _onCompleted = onCompleted;

    public async Task<CommandResult> RunAsync(CommandSpec command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var process = new System.Diagnostics.Process { StartInfo = StartInfoFor(command) };
        var watch = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            var problem = e.NativeErrorCode == 2 // ENOENT
                ? $"could not start: program '{command.Program}' not found"
                : $"could not start: {e.Message}";
            throw new CommandFailedException(command, null, "", "", problem, e);
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var timeout = new CancellationTokenSource();
        if (command.Timeout > TimeSpan.Zero && command.Timeout != Timeout.InfiniteTimeSpan)
        {
            timeout.CancelAfter(command.Timeout);
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            // The process exited; its output ends when the last holder of the pipes closes them.
            await Task.WhenAll(stdout, stderr).WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            KillTree(process);
            var (outText, errText) = await DrainAsync(stdout, stderr).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new CommandTimeoutException(command, outText, errText);
        }
        var result = new CommandResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), watch.Elapsed);
        _onCompleted?.Invoke(command, result);
        return result;
    }

    private static ProcessStartInfo StartInfoFor(CommandSpec command)
    {
        var info = new ProcessStartInfo(command.Program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var arg in command.Args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["LANG"] = "C";
        info.Environment["LC_ALL"] = "C";
        return info;
    }

    private static void KillTree(System.Diagnostics.Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (Win32Exception)
        {
            // Some descendant vanished while the tree was walked; the rest was signalled.
        }
    }

    /// <summary>Whatever the killed tree printed, without waiting on pipes held by an escaped descendant.</summary>
    private static async Task<(string Stdout, string Stderr)> DrainAsync(Task<string> stdout, Task<string> stderr)
    {
        try
        {
            await Task.WhenAll(stdout, stderr).WaitAsync(DrainGrace).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Timed out (a descendant escaped the kill and holds a pipe) or the read failed: keep what completed.
        }
        return (stdout.IsCompletedSuccessfully ? stdout.Result : "", stderr.IsCompletedSuccessfully ? stderr.Result : "");
    }
}
