using System.Diagnostics;
using System.Globalization;
using Fabric.Node.Process;

namespace Fabric.Node.Tests.Process;

public sealed class CommandRunnerTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    private readonly CommandRunner _runner = new();

    private static CommandSpec Sh(string script, TimeSpan? timeout = null) =>
        new("sh", ["-c", script], timeout ?? CommandSpec.DefaultTimeout);

    /// <summary>A sleep duration no other process on the machine uses, to find this test's processes in /proc.</summary>
    private static string UniqueSleep() => $"30.{Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Live (not zombie) processes whose command line is exactly "sleep &lt;duration&gt;".</summary>
    private static List<int> LiveSleeps(string duration)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var state = stat[(stat.LastIndexOf(')') + 2)..][0];
                if (cmdline == $"sleep\0{duration}\0" && state != 'Z')
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
        }
        return found;
    }

    private static async Task<List<int>> LiveSleepsAfterSettlingAsync(string duration)
    {
        var deadline = Stopwatch.StartNew();
        var live = LiveSleeps(duration);
        while (live.Count > 0 && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
            live = LiveSleeps(duration);
        }
        return live;
    }

    [Fact]
    public async Task Returns_the_exit_code_without_throwing()
    {
        var result = await _runner.RunAsync(Sh("exit 3"), CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
    }

    [Fact]
    public async Task Captures_stdout_and_stderr_separately()
    {
        var result = await _runner.RunAsync(Sh("echo out; echo err >&2"), CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("out\n", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
    }

    [Fact]
    public async Task Captures_a_megabyte_on_each_stream_without_deadlock()
    {
        // Interleaved writes: a runner reading one stream to its end before the other would block the child forever.
        const string script = "i=0; while [ $i -lt 16 ]; do head -c 65536 /dev/zero | tr '\\0' o; head -c 65536 /dev/zero | tr '\\0' e >&2; i=$((i+1)); done";

        var result = await _runner.RunAsync(Sh(script, TimeSpan.FromSeconds(60)), CancellationToken.None);

        Assert.Equal(1 << 20, result.Stdout.Length);
        Assert.Equal(1 << 20, result.Stderr.Length);
        Assert.All(result.Stdout, c => Assert.Equal('o', c));
        Assert.All(result.Stderr, c => Assert.Equal('e', c));
    }

    [Fact]
    public async Task Passes_arguments_literally_without_a_shell()
    {
        var result = await _runner.RunAsync(CommandSpec.Of("echo", "$HOME; echo injected", "'quoted' *"), CancellationToken.None);

        Assert.Equal("$HOME; echo injected 'quoted' *\n", result.Stdout);
    }

    [Fact]
    public async Task Runs_with_the_c_locale()
    {
        var result = await _runner.RunAsync(Sh("echo \"$LANG $LC_ALL\""), CancellationToken.None);

        Assert.Equal("C C\n", result.Stdout);
    }

    [Fact]
    public async Task Stdin_is_closed_so_a_reader_sees_end_of_input()
    {
        var result = await _runner.RunAsync(new CommandSpec("cat", [], TimeSpan.FromSeconds(30)), CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Timeout_kills_the_child_and_its_grandchildren_and_throws()
    {
        var sleep = UniqueSleep();
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<CommandTimeoutException>(() =>
            _runner.RunAsync(Sh($"echo started; sleep {sleep} & sleep {sleep}; echo never", TimeSpan.FromSeconds(1)), CancellationToken.None));

        Assert.True(watch.Elapsed < Generous, $"took {watch.Elapsed}");
        Assert.IsAssignableFrom<CommandFailedException>(error);
        Assert.Null(error.ExitCode);
        Assert.Contains("timed out after 1 s", error.Message);
        Assert.Contains("started", error.Stdout);
        Assert.Empty(await LiveSleepsAfterSettlingAsync(sleep));
    }

    [Fact]
    public async Task Cancellation_kills_the_process_tree_and_throws_operation_canceled()
    {
        var sleep = UniqueSleep();
        using var cancel = new CancellationTokenSource();
        var run = _runner.RunAsync(Sh($"sleep {sleep} & sleep {sleep}; echo never"), cancel.Token);
        var deadline = Stopwatch.StartNew();
        while (LiveSleeps(sleep).Count < 2 && deadline.Elapsed < Generous)
        {
            await Task.Delay(50);
        }
        Assert.Equal(2, LiveSleeps(sleep).Count);

        await cancel.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.IsNotType<CommandTimeoutException>(error);
        Assert.Empty(await LiveSleepsAfterSettlingAsync(sleep));
    }

    [Fact]
    public async Task An_already_cancelled_token_starts_nothing()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _runner.RunAsync(Sh("exit 0"), new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task A_missing_program_is_a_command_failure_saying_so()
    {
        var error = await Assert.ThrowsAsync<CommandFailedException>(() =>
            _runner.RunAsync(CommandSpec.Of("fabric-no-such-program", "--flag"), CancellationToken.None));

        Assert.Null(error.ExitCode);
        Assert.Contains("'fabric-no-such-program' not found", error.Message);
        Assert.Contains("fabric-no-such-program --flag", error.Message);
    }

    [Fact]
    public async Task Run_checked_throws_on_non_zero_exit_with_command_exit_code_and_trimmed_stderr()
    {
        var command = Sh("echo partial; echo '  it broke  ' >&2; exit 4");

        var error = await Assert.ThrowsAsync<CommandFailedException>(() => _runner.RunCheckedAsync(command, CancellationToken.None));

        Assert.Equal(command, error.Command);
        Assert.Equal(4, error.ExitCode);
        Assert.Equal("partial\n", error.Stdout);
        Assert.Equal("  it broke  \n", error.Stderr);
        Assert.Equal($"Command '{command}' failed with exit code 4: it broke", error.Message);
    }

    [Fact]
    public async Task Run_checked_quotes_stdout_when_stderr_is_empty()
    {
        var error = await Assert.ThrowsAsync<CommandFailedException>(() => _runner.RunCheckedAsync(Sh("echo only-stdout; exit 2"), CancellationToken.None));

        Assert.EndsWith("failed with exit code 2: only-stdout", error.Message);
    }

    [Fact]
    public async Task Run_checked_returns_the_result_on_success()
    {
        var result = await _runner.RunCheckedAsync(CommandSpec.Of("echo", "fine"), CancellationToken.None);

        Assert.Equal("fine\n", result.Stdout);
    }

    [Fact]
    public async Task The_completion_hook_sees_every_finished_command()
    {
        var seen = new List<(CommandSpec, int)>();
        var runner = new CommandRunner((command, result) => seen.Add((command, result.ExitCode)));
        var first = CommandSpec.Of("true");
        var second = CommandSpec.Of("false");

        await runner.RunAsync(first, CancellationToken.None);
        await runner.RunAsync(second, CancellationToken.None);

        Assert.Equal([(first, 0), (second, 1)], seen);
    }
}
