namespace Fabric.Bench.Reporting;

/// <summary>Finds the repository root (the directory holding Fabric.sln) from the bench's output directory.</summary>
public static class RepoPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Fabric.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        return Environment.CurrentDirectory;
    }
}
