namespace Fabric.Node.Process;

/// <summary>Recognises the read-only commands the storage providers run (reports and listings that change nothing on the host).</summary>
public static class QueryCommands
{
    /// <summary>True for a command known to only read: <c>vgs</c>, <c>lvs</c>, <c>zfs list</c>/<c>zfs get</c>, <c>losetup --list</c>/<c>-j</c>, <c>stat</c>, <c>df</c>, <c>du</c>, <c>blockdev --getsize64</c>.</summary>
    public static bool IsQuery(CommandSpec command)
    {
        var program = Path.GetFileName(command.Program);
        var first = command.Args.IsEmpty ? "" : command.Args[0];
        return program switch
        {
            "vgs" or "lvs" or "pvs" or "stat" or "df" or "du" => true,
            "zfs" or "zpool" => first is "list" or "get",
            "losetup" => command.Args.Any(a => a is "--list" or "-l" or "-j" or "--associated"),
            "blockdev" => command.Args.All(a => a.StartsWith("--get", StringComparison.Ordinal) || a.StartsWith('/')),
            _ => false,
        };
    }
}
