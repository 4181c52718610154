namespace Fabric.Node.Storage.Files;

/// <summary>
/// Absolute paths with every symbolic link resolved, as losetup records a loop device's backing
/// file; matching attached files needs the same spelling.
/// </summary>
internal static class CanonicalPath
{
    public static string Resolve(string path) => Resolve(Path.GetFullPath(path), depth: 0);

    private static string Resolve(string fullPath, int depth)
    {
        if (depth > 40)
        {
            throw new IOException($"Too many levels of symbolic links resolving '{fullPath}'");
        }
        var resolved = "/";
        foreach (var part in fullPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Join(resolved, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is null)
            {
                resolved = next;
                continue;
            }
            var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? next;
            resolved = Resolve(Path.GetFullPath(target), depth + 1);
        }
        return resolved;
    }
}
