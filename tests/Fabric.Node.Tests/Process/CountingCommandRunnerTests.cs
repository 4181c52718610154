using Fabric.Node.Process;
using Fabric.Node.Tests.Infrastructure;

namespace Fabric.Node.Tests.Process;

public sealed class CountingCommandRunnerTests
{
    [Fact]
    public async Task Records_every_command_in_order_and_separates_mutating_ones()
    {
        using var scripted = new ScriptedCommandRunner()
            .On("lvs --noheadings vg0")
            .On("losetup --list --json --output NAME,BACK-FILE")
            .On("lvcreate --size 4k --name x vg0")
            .On("zfs list -H tank")
            .On("zfs destroy tank/x")
            .On("losetup --find --show /f.img");
        var counting = new CountingCommandRunner(scripted);

        foreach (var command in Planned())
        {
            await counting.RunAsync(command, CancellationToken.None);
        }

        Assert.Equal(6, counting.Count);
        Assert.Equal(Planned().Select(c => c.ToString()), counting.Commands.Select(c => c.ToString()));
        Assert.Equal(["lvcreate --size 4k --name x vg0", "zfs destroy tank/x", "losetup --find --show /f.img"], counting.MutatingCommands.Select(c => c.ToString()));

        counting.Reset();
        Assert.Equal(0, counting.Count);
        Assert.Empty(counting.Commands);

        static CommandSpec[] Planned() =>
        [
            CommandSpec.Of("lvs", "--noheadings", "vg0"),
            CommandSpec.Of("losetup", "--list", "--json", "--output", "NAME,BACK-FILE"),
            CommandSpec.Of("lvcreate", "--size", "4k", "--name", "x", "vg0"),
            CommandSpec.Of("zfs", "list", "-H", "tank"),
            CommandSpec.Of("zfs", "destroy", "tank/x"),
            CommandSpec.Of("losetup", "--find", "--show", "/f.img"),
        ];
    }

    [Fact]
    public async Task Counts_commands_that_fail_too()
    {
        var counting = new CountingCommandRunner(new CommandRunner());

        await Assert.ThrowsAsync<CommandFailedException>(() => counting.RunAsync(CommandSpec.Of("fabric-no-such-program"), CancellationToken.None));

        Assert.Equal(1, counting.Count);
    }
}
