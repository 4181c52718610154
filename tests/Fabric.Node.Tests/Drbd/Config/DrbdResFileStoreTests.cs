using Fabric.Node.Drbd.Config;
using Fabric.Node.Drbd;

namespace Fabric.Node.Tests.Drbd.Config;

/// <summary>
/// The .res files the agent keeps for the kernel's user-mode helper: the kernel runs
/// <c>drbdadm before-resync-source minor-N</c> before a resync, and DRBD 8.4 drops the connection
/// when that fails (seen in the lab: "before-resync-source handler returned 1, dropping
/// connection"). These tests run the real drbdadm on what the store wrote, through its include.
/// </summary>
public sealed class DrbdResFileStoreTests : IDisposable
{
    private static readonly ScenarioNode Alpha = new("alpha", 0, "10.0.0.1", 7000);
    private static readonly ScenarioNode Beta = new("beta", 1, "10.0.0.2", 7000);

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("fabric-resfiles-");

    private string ResDir => Path.Combine(_root.FullName, "var", "drbd.d");

    private string EtcDrbdD => Path.Combine(_root.FullName, "etc", "drbd.d");

    public void Dispose() => _root.Delete(recursive: true);

    /// <remarks>8.4 calls the helper with <c>minor-N</c>, DRBD 9 with the resource's name.</remarks>
    [DrbdUtilsTheory]
    [InlineData(DrbdApiVersion.V1, "minor-1000", "minor-1001")]
    [InlineData(DrbdApiVersion.V2, "r0", "r9")]
    public void The_kernels_helper_finds_the_resource_once_the_store_wrote_it_and_not_after_it_is_deleted(DrbdApiVersion api, string subject, string unknown)
    {
        Directory.CreateDirectory(EtcDrbdD);
        var store = new DrbdResFileStore(ResDir, EtcDrbdD);
        var wrapper = Wrapper();
        Assert.NotEqual(0, Helper(api, wrapper, subject).ExitCode); // nothing written yet: what the lab saw

        store.Write(DrbdScenario.Of("r0", Alpha, Beta).ConfigOn("beta"), api);

        var found = Helper(api, wrapper, subject);
        Assert.True(found.ExitCode == 0, $"{found}\n--- {store.PathOf("r0")}:\n{File.ReadAllText(store.PathOf("r0"))}");
        Assert.NotEqual(0, Helper(api, wrapper, unknown).ExitCode);
        Assert.Contains($"include \"{ResDir}/*.res\";", File.ReadAllText(Path.Combine(EtcDrbdD, DrbdResFileStore.IncludeFileName)), StringComparison.Ordinal);

        store.Delete("r0");
        Assert.False(File.Exists(store.PathOf("r0")));
        Assert.NotEqual(0, Helper(api, wrapper, subject).ExitCode);
    }

    [Fact]
    public void Resources_brought_up_side_by_side_all_get_their_files_and_the_shared_include_is_written_whole()
    {
        // Seen in the lab: two resources coming up at once after a reboot both wrote the include
        // file through one temporary name, and one of them failed ("Could not find file ….tmp").
        for (var round = 0; round < 100; round++)
        {
            var etc = Path.Combine(_root.FullName, $"etc{round}");
            Directory.CreateDirectory(etc);
            var store = new DrbdResFileStore(Path.Combine(_root.FullName, $"res{round}"), etc);
            var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
            var configs = Enumerable.Range(0, 8).Select(i => DrbdScenario.Of($"r{i}", Alpha, Beta).ConfigOn("alpha")).ToList();
            using var start = new Barrier(configs.Count);
            var writers = configs.Select(config => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    store.Write(config, DrbdApiVersion.V1);
                }
                catch (Exception ex)
                {
                    failures.Add(ex);
                }
            })).ToList();
            writers.ForEach(w => w.Start());
            writers.ForEach(w => w.Join());
            Assert.Empty(failures);
            Assert.Equal(8, Directory.GetFiles(store.Directory, "*.res").Length);
            Assert.Equal([Path.Combine(etc, DrbdResFileStore.IncludeFileName)], Directory.GetFiles(etc));
            Assert.Contains("include", File.ReadAllText(Path.Combine(etc, DrbdResFileStore.IncludeFileName)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_unchanged_configuration_is_not_rewritten_and_a_changed_one_replaces_the_file()
    {
        var store = new DrbdResFileStore(ResDir, drbdadmIncludeDirectory: null);
        var scenario = DrbdScenario.Of("r1", Alpha, Beta);
        store.Write(scenario.ConfigOn("alpha"), DrbdApiVersion.V1);
        var path = store.PathOf("r1");
        var written = File.GetLastWriteTimeUtc(path);
        File.SetLastWriteTimeUtc(path, written.AddHours(-1));

        store.Write(scenario.ConfigOn("alpha"), DrbdApiVersion.V1);
        Assert.Equal(written.AddHours(-1), File.GetLastWriteTimeUtc(path));

        store.Write(scenario.WithOptions((DrbdOptionKeys.DiskFlushes, "no")).ConfigOn("alpha"), DrbdApiVersion.V1);
        Assert.Contains("disk-flushes no;", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(ResDir, "*.tmp"));
    }

    [Fact]
    public void Without_an_etc_drbd_d_only_the_resource_file_is_written()
    {
        var store = new DrbdResFileStore(ResDir, Path.Combine(_root.FullName, "missing"));
        store.Write(DrbdScenario.Of("r2", Alpha, Beta).ConfigOn("alpha"), DrbdApiVersion.V2);
        Assert.True(File.Exists(store.PathOf("r2")));
        Assert.False(Directory.Exists(Path.Combine(_root.FullName, "missing")));
    }

    [Fact]
    public void A_configuration_the_84_form_refuses_is_not_written()
    {
        var store = new DrbdResFileStore(ResDir, drbdadmIncludeDirectory: null);
        var three = DrbdScenario.Of("r3", Alpha, Beta, new ScenarioNode("gamma", 2, "10.0.0.3", 7000));
        var refused = Assert.Throws<InvalidOperationException>(() => store.Write(three.ConfigOn("alpha"), DrbdApiVersion.V1));
        Assert.Contains("exactly two", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(store.PathOf("r3")));
    }

    /// <summary>A drbd.conf as Debian's: global section, then the include directory the store writes into.</summary>
    private string Wrapper()
    {
        var wrapper = Path.Combine(_root.FullName, "drbd.conf");
        File.WriteAllText(wrapper, $"global {{\n    usage-count no;\n    disable-ip-verification;\n}}\ninclude \"{EtcDrbdD}/*.res\";\n");
        return wrapper;
    }

    /// <summary>What the kernel runs: <c>drbdadm before-resync-source minor-N|resource</c>, here as node beta.</summary>
    private static DrbdToolRun Helper(DrbdApiVersion api, string wrapper, string subject) =>
        DrbdUtils.Run(api == DrbdApiVersion.V1 ? DrbdUtils.DrbdAdm84! : DrbdUtils.DrbdAdm!, ["-c", wrapper, "before-resync-source", subject], new Dictionary<string, string> { ["__DRBD_NODE__"] = "beta" });
}
