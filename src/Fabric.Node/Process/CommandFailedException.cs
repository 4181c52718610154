namespace Fabric.Node.Process;

/// <summary>
/// An external command that could not start, exceeded its time limit, or (through
/// <see cref="CommandRunnerExtensions.RunCheckedAsync"/>) exited non-zero. The message names the
/// command line, the exit code and what the tool printed, so a user reading it in REST knows what failed.
/// </summary>
public class CommandFailedException : Exception
{
    /// <summary>Longest tool output quoted in <see cref="Exception.Message"/>; the full text stays in <see cref="Stdout"/> and <see cref="Stderr"/>.</summary>
    public const int MaxQuotedOutput = 4000;

    public CommandFailedException(CommandSpec command, int? exitCode, string stdout, string stderr, string? problem = null, Exception? inner = null)
        : base(Describe(command, exitCode, stdout, stderr, problem), inner)
    {
        Command = command;
        ExitCode = exitCode;
        Stdout = stdout;
        Stderr = stderr;
    }

    public CommandSpec Command { get; }

    /// <summary>The exit code, or null when the program never ran or was killed.</summary>
    public int? ExitCode { get; }

    public string Stdout { get; }

    public string Stderr { get; }

    /// <summary>Builds the exception for a finished command that exited non-zero.</summary>
    public static CommandFailedException ForResult(CommandSpec command, CommandResult result) =>
        new(command, result.ExitCode, result.Stdout, result.Stderr);

    private static string Describe(CommandSpec command, int? exitCode, string stdout, string stderr, string? problem)
    {
        var what = problem ?? (exitCode is { } code ? $"failed with exit code {code}" : "failed");
        var output = Quote(string.IsNullOrWhiteSpace(stderr) ? stdout : stderr);
        return output.Length == 0 ? $"Command '{command}' {what}" : $"Command '{command}' {what}: {output}";
    }

    private static string Quote(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= MaxQuotedOutput ? trimmed : string.Concat(trimmed.AsSpan(0, MaxQuotedOutput), " …");
    }
}

/// <summary>A command that exceeded its <see cref="CommandSpec.Timeout"/>; its whole process tree was killed.</summary>
public sealed class CommandTimeoutException(CommandSpec command, string stdout, string stderr)
    : CommandFailedException(command, null, stdout, stderr, $"timed out after {command.Timeout.TotalSeconds:0.###} s and was killed")
{
}
