namespace Fabric.Node.Tests.Infrastructure;

/// <summary>Whether this machine can run tests with real loop devices (root, losetup, /dev/loop-control).</summary>
internal static class LoopDeviceSupport
{
    public static string? SkipReason { get; } =
        Environment.UserName != "root" ? "needs root for loop devices"
        : !File.Exists("/dev/loop-control") ? "needs /dev/loop-control"
        : !File.Exists("/usr/sbin/losetup") && !File.Exists("/sbin/losetup") && !File.Exists("/usr/bin/losetup") ? "needs losetup (util-linux)"
        : null;
}

/// <summary>A fact that uses real loop devices; skipped (with the reason) where they are unavailable.</summary>
public sealed class LoopDeviceFactAttribute : FactAttribute
{
    public LoopDeviceFactAttribute() => Skip = LoopDeviceSupport.SkipReason;
}

/// <summary>A theory that uses real loop devices; skipped (with the reason) where they are unavailable.</summary>
public sealed class LoopDeviceTheoryAttribute : TheoryAttribute
{
    public LoopDeviceTheoryAttribute() => Skip = LoopDeviceSupport.SkipReason;
}
