using System.Collections.Immutable;

namespace Fabric.Node.Process;

/// <summary>One external command: the program, its arguments (never through a shell) and its time limit.</summary>
public sealed record CommandSpec(string Program, ImmutableArray<string> Args, TimeSpan Timeout)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static CommandSpec Of(string program, params string[] args) => new(program, [.. args], DefaultTimeout);

    public override string ToString() => Args.IsEmpty ? Program : $"{Program} {string.Join(' ', Args)}";
}

/// <summary>What a finished command printed and returned.</summary>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed);

/// <summary>
/// Runs every external tool the node agent uses. <see cref="RunAsync"/> returns for any exit code;
/// it throws <see cref="CommandFailedException"/> when the program cannot start or exceeds its
/// timeout (the process tree is killed), and <see cref="OperationCanceledException"/> on
/// cancellation (the process tree is killed too). Use <see cref="CommandRunnerExtensions.RunCheckedAsync"/>
/// to also throw on a non-zero exit.
/// </summary>
public interface ICommandRunner
{
    Task<CommandResult> RunAsync(CommandSpec command, CancellationToken cancellationToken);
}
