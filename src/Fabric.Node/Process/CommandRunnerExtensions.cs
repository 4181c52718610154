namespace Fabric.Node.Process;

/// <summary>Conveniences over <see cref="ICommandRunner"/>.</summary>
public static class CommandRunnerExtensions
{
    /// <summary>Runs the command and throws <see cref="CommandFailedException"/> unless it exits with 0.</summary>
    public static async Task<CommandResult> RunCheckedAsync(this ICommandRunner runner, CommandSpec command, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? result : throw CommandFailedException.ForResult(command, result);
    }
}
