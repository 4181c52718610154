using System.Text;
using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Config;

/// <summary>
/// Keeps a <c>.res</c> file per DRBD resource of this node in <see cref="Directory"/>, in the form the
/// loaded driver's drbdadm reads (8.4 or 9), and an include of that directory in drbdadm's own
/// configuration (<c>/etc/drbd.d/fabric-resources.res</c> where <c>/etc/drbd.d</c> exists).
/// Fabric itself never runs drbdadm, but the kernel does: it calls its user-mode helper
/// (<c>drbdadm before-resync-source minor-N</c>, <c>fence-peer</c>, …) on state changes, and a
/// helper that cannot find the resource fails — DRBD 8.4 then drops the connection before every
/// resync. With the file, the helper finds the resource (and any handler an administrator adds),
/// and <c>drbdadm status|dump</c> work for humans.
/// </summary>
public sealed class DrbdResFileStore(string directory, string? drbdadmIncludeDirectory = "/etc/drbd.d")
{
    public const string IncludeFileName = "fabric-resources.res";

    public string Directory { get; } = directory;

    /// <summary>The file that describes <paramref name="resource"/>.</summary>
    public string PathOf(string resource) => Path.Combine(Directory, resource + ".res");

    /// <summary>Writes the resource's file when its text changed (atomically: temp file, then rename). Throws the renderer's refusal.</summary>
    public void Write(DrbdResourceConfig config, DrbdApiVersion api)
    {
        var rendered = DrbdResFileRenderer.Render(config, api == DrbdApiVersion.V1 ? DrbdResFileFormat.Drbd84 : DrbdResFileFormat.Drbd9);
        if (!rendered.Succeeded)
        {
            throw new InvalidOperationException($"{rendered.Error!.Message} ({rendered.Error.Cause})");
        }
        System.IO.Directory.CreateDirectory(Directory);
        EnsureInclude();
        WriteIfChanged(PathOf(config.Name), rendered.Value!);
    }

    /// <summary>Removes the resource's file (the resource is down).</summary>
    public void Delete(string resource)
    {
        var path = PathOf(resource);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private void EnsureInclude()
    {
        if (drbdadmIncludeDirectory is null || !System.IO.Directory.Exists(drbdadmIncludeDirectory))
        {
            return;
        }
        var text = $"# Written by Fabric's node agent: the resources it runs on this node.\ninclude \"{Path.GetFullPath(Directory)}/*.res\";\n";
        WriteIfChanged(Path.Combine(drbdadmIncludeDirectory, IncludeFileName), text);
    }

    private static void WriteIfChanged(string path, string text)
    {
        if (File.Exists(path) && File.ReadAllText(path, Encoding.UTF8) == text)
        {
            return;
        }
        // A name of its own per write: resource actors bring resources up side by side and all write
        // the shared include file (one .tmp name made one of two writers fail on a guest's reboot in the lab).
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllText(temporary, text, new UTF8Encoding(false));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
