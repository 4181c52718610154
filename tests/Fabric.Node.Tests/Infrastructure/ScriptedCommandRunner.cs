using System.Collections.Immutable;
using Fabric.Node.Process;
using Xunit.Sdk;

namespace Fabric.Node.Tests.Infrastructure;

/// <summary>
/// A command runner that plays back recorded expectations in order: each expected command (exact
/// program and arguments) answers with a canned exit code, stdout and stderr. An unexpected
/// command fails the test at once; <see cref="Dispose"/> fails it when expectations are left over.
/// </summary>
public sealed class ScriptedCommandRunner : ICommandRunner, IDisposable
{
    private readonly Queue<Expectation> _expected = new();
    private readonly List<CommandSpec> _ran = [];
    private string? _failure;

    /// <summary>The commands run so far, in order.</summary>
    public IReadOnlyList<CommandSpec> Ran => _ran;

    /// <summary>
    /// Expects <paramref name="commandLine"/> next (program and arguments separated by single
    /// spaces, so no argument may contain one) and answers with the given result.
    /// </summary>
    public ScriptedCommandRunner On(string commandLine, int exitCode = 0, string stdout = "", string stderr = "")
    {
        var words = commandLine.Split(' ');
        return On(words[0], [.. words.Skip(1)], exitCode, stdout, stderr);
    }

    /// <summary>Expects <paramref name="program"/> with exactly <paramref name="args"/> next.</summary>
    public ScriptedCommandRunner On(string program, ImmutableArray<string> args, int exitCode = 0, string stdout = "", string stderr = "")
    {
        _expected.Enqueue(new Expectation(program, args, new CommandResult(exitCode, stdout, stderr, TimeSpan.Zero)));
        return this;
    }

    public Task<CommandResult> RunAsync(CommandSpec command, CancellationToken cancellationToken)
    {
        _ran.Add(command);
        if (!_expected.TryDequeue(out var next))
        {
            throw Fail($"Unexpected command (no more expected): {command}");
        }
        if (next.Program != command.Program || !next.Args.SequenceEqual(command.Args))
        {
            throw Fail($"Unexpected command.{Environment.NewLine}Expected: {next.Program} {string.Join(' ', next.Args)}{Environment.NewLine}Actual:   {command}");
        }
        return Task.FromResult(next.Result);
    }

    /// <summary>Fails when an unexpected command ran (even if the provider swallowed the error) or expectations are left.</summary>
    public void Dispose()
    {
        if (_failure is not null)
        {
            throw new XunitException(_failure);
        }
        if (_expected.Count > 0)
        {
            throw new XunitException($"{_expected.Count} expected command(s) never ran, first: {_expected.Peek().Program} {string.Join(' ', _expected.Peek().Args)}");
        }
    }

    private XunitException Fail(string message)
    {
        _failure ??= message;
        return new XunitException(message);
    }

    private sealed record Expectation(string Program, ImmutableArray<string> Args, CommandResult Result);
}
