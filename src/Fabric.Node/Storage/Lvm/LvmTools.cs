using Fabric.Node.Process;

namespace Fabric.Node.Storage.Lvm;

/// <summary>The LVM commands and error texts both LVM providers share (tools run with LANG=C, so the texts are stable).</summary>
internal static class LvmTools
{
    public const string Separator = ";";

    /// <summary><c>lvs --noheadings --units k --nosuffix --separator ';' -o &lt;columns&gt; &lt;target&gt;</c>.</summary>
    public static CommandSpec Lvs(string columns, string target) =>
        CommandSpec.Of("lvs", "--noheadings", "--units", "k", "--nosuffix", "--separator", Separator, "-o", columns, target);

    /// <summary><c>vgs --noheadings --units k --nosuffix --separator ';' -o vg_name,vg_size,vg_free &lt;vg&gt;</c>.</summary>
    public static CommandSpec Vgs(string vg) =>
        CommandSpec.Of("vgs", "--noheadings", "--units", "k", "--nosuffix", "--separator", Separator, "-o", "vg_name,vg_size,vg_free", vg);

    /// <summary>True when stderr says the volume group does not exist ("Volume group "vg" not found").</summary>
    public static bool VgNotFound(string stderr, string vg) => stderr.Contains($"Volume group \"{vg}\" not found", StringComparison.Ordinal);

    /// <summary>True when stderr says the logical volume does not exist ("Failed to find logical volume "vg/lv"").</summary>
    public static bool LvNotFound(string stderr) => stderr.Contains("Failed to find logical volume", StringComparison.Ordinal);

    /// <summary>True when lvcreate refused because the name is taken ("Logical Volume "lv" already exists in volume group "vg"").</summary>
    public static bool LvExists(string stderr) => stderr.Contains("already exists in volume group", StringComparison.Ordinal);

    public static string DevicePath(string vg, string lv) => $"/dev/{vg}/{lv}";
}
