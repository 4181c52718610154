using System.Collections.Immutable;

namespace Fabric.Node.Process;

/// <summary>
/// Wraps another runner and records every command it is asked to run, in order; thread-safe.
/// Benchmarks use it to show that, for example, a reconnect where everything is in place runs
/// no mutating command (<see cref="MutatingCommands"/> stays empty).
/// </summary>
public sealed class CountingCommandRunner(ICommandRunner inner) : ICommandRunner
{
    private readonly object _gate = new();
    private ImmutableList<CommandSpec> _commands = [];

    /// <summary>How many commands were started since construction or the last <see cref="Reset"/>.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _commands.Count;
            }
        }
    }

    /// <summary>The commands started, in order.</summary>
    public ImmutableList<CommandSpec> Commands
    {
        get
        {
            lock (_gate)
            {
                return _commands;
            }
        }
    }

    /// <summary>The commands started that may change the host (everything <see cref="QueryCommands.IsQuery"/> does not know as a query).</summary>
    public ImmutableList<CommandSpec> MutatingCommands => [.. Commands.Where(c => !QueryCommands.IsQuery(c))];

    public Task<CommandResult> RunAsync(CommandSpec command, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _commands = _commands.Add(command);
        }
        return inner.RunAsync(command, cancellationToken);
    }

    /// <summary>Forgets the commands recorded so far.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _commands = [];
        }
    }
}
