using Fabric.Core.Protocol;
using Fabric.Node.Drbd.Config;

namespace Fabric.Node.Tests.Drbd.Config;

/// <summary>
/// Every configuration shape the renderer produces, checked by the real drbdadm 9.22 (and
/// drbdadm-84 for the 8.4 form) for each node of the resource, each node with its own file.
/// Dry runs (<c>drbdadm -d up</c>) show that drbdadm reads the file as meant: node ids, paths,
/// diskless minors and bitmap-less diskless peers.
/// </summary>
public sealed class DrbdAdmAcceptanceTests
{
    private static readonly ScenarioNode Alpha = new("alpha", 0, "10.0.0.1", 7000);
    private static readonly ScenarioNode Beta = new("beta", 1, "10.0.0.2", 7001);
    private static readonly ScenarioNode Gamma = new("gamma", 2, "10.0.0.3", 7002);

    public static TheoryData<string> Scenarios => [.. All.Keys];

    private static readonly Dictionary<string, DrbdScenario> All = new()
    {
        ["2 diskful"] = DrbdScenario.Of("r2", Alpha, Beta),
        ["3 diskful"] = DrbdScenario.Of("r3", Alpha, Beta, Gamma),
        ["2 diskful + tiebreaker"] = DrbdScenario.Of("rtb", Alpha, Beta, Gamma with { TieBreaker = true })
            .WithOptions((DrbdOptionKeys.Quorum, "majority"), (DrbdOptionKeys.OnNoQuorum, "io-error")),
        ["diskless client"] = DrbdScenario.Of("rcl", Alpha, Beta, Gamma with { Diskless = true }),
        ["two diskless clients"] = DrbdScenario.Of("rcl2", Alpha, Beta with { Diskless = true }, Gamma with { Diskless = true }),
        ["several volumes"] = DrbdScenario.Of("rvol", Alpha, Beta, Gamma with { Diskless = true })
            .WithVolumes(new DesiredVolume(2, 4096, 1012), new DesiredVolume(0, 102400, 1010), new DesiredVolume(1, 2048, 1011)),
        ["IPv6"] = DrbdScenario.Of("r6", Alpha with { Address = "fd00::1" }, Beta with { Address = "fd00:0:0:0::2" }, Gamma with { Address = "fd00::3", Diskless = true }),
        ["options and quorum"] = DrbdScenario.Of("ropt", Alpha, Beta, Gamma).WithOptions(
            (DrbdOptionKeys.Quorum, "2"),
            (DrbdOptionKeys.QuorumMinimumRedundancy, "1"),
            (DrbdOptionKeys.OnNoDataAccessible, "suspend-io"),
            (DrbdOptionKeys.AutoQuorum, "suspend-io"),
            (DrbdOptionKeys.AutoPromote, "no"),
            (DrbdOptionKeys.Protocol, "a"),
            (DrbdOptionKeys.AllowTwoPrimaries, "yes"),
            (DrbdOptionKeys.VerifyAlg, "crc32c"),
            (DrbdOptionKeys.CramHmacAlg, "sha256"),
            (DrbdOptionKeys.DiskFlushes, "no"),
            (DrbdOptionKeys.MdFlushes, "no"),
            (DrbdOptionKeys.AlExtents, "6007"),
            (DrbdOptionKeys.ResyncRate, "100M"),
            (DrbdOptionKeys.CPlanAhead, "0"),
            (DrbdOptionKeys.Timeout, "200"),
            (DrbdOptionKeys.ConnectInt, "30"),
            (DrbdOptionKeys.PingInt, "30"),
            (DrbdOptionKeys.PingTimeout, "300"),
            (DrbdOptionKeys.KoCount, "0")),
        ["no volumes yet"] = DrbdScenario.Of("rnov", Alpha, Beta).WithVolumes(),
    };

    [DrbdUtilsTheory]
    [MemberData(nameof(Scenarios))]
    public void Drbdadm_accepts_the_configuration_of_every_node(string scenario)
    {
        var resource = All[scenario];
        foreach (var node in resource.Nodes)
        {
            DrbdUtils.AssertAccepted(resource.RenderOn(node.Name), node.Name);
        }
    }

    [DrbdUtilsFact]
    public void Drbdadm_reads_node_ids_paths_and_the_diskless_peer_as_rendered()
    {
        var resource = All["2 diskful + tiebreaker"];

        var onAlpha = DrbdUtils.DryRunUp(resource.RenderOn("alpha"), "alpha", "rtb");
        Assert.True(onAlpha.ExitCode == 0, onAlpha.ToString());
        var alpha = Lines(onAlpha.Stdout);
        Assert.Contains("drbdsetup new-resource rtb 0 --quorum=majority --on-no-quorum=io-error", alpha);
        Assert.Contains("drbdsetup new-minor rtb 1000 0", alpha);
        Assert.Contains(alpha, l => l.StartsWith("drbdsetup new-peer rtb 1 --_name=beta", StringComparison.Ordinal) && l.Contains("--protocol=C") && l.Contains("--cram-hmac-alg=sha1"));
        Assert.Contains("drbdsetup new-path rtb 1 ipv4:10.0.0.1:7000 ipv4:10.0.0.2:7001", alpha);
        Assert.Contains("drbdsetup new-path rtb 2 ipv4:10.0.0.1:7000 ipv4:10.0.0.3:7002", alpha);
        Assert.Contains("drbdsetup peer-device-options rtb 2 0 --bitmap=no", alpha);
        Assert.Contains("drbdsetup attach 1000 /dev/vg0/rtb_00000 /dev/vg0/rtb_00000 internal", alpha);

        var onGamma = DrbdUtils.DryRunUp(resource.RenderOn("gamma"), "gamma", "rtb");
        Assert.True(onGamma.ExitCode == 0, onGamma.ToString());
        var gamma = Lines(onGamma.Stdout);
        Assert.Contains("drbdsetup new-minor rtb 1000 0 --diskless", gamma);
        Assert.Contains("drbdsetup new-path rtb 0 ipv4:10.0.0.3:7002 ipv4:10.0.0.1:7000", gamma);
        Assert.DoesNotContain(gamma, l => l.StartsWith("drbdsetup attach", StringComparison.Ordinal));
    }

    [DrbdUtilsFact]
    public void Drbdadm_reads_several_volumes_and_IPv6_paths_as_rendered()
    {
        var volumes = Lines(DrbdUtils.DryRunUp(All["several volumes"].RenderOn("beta"), "beta", "rvol").Stdout);
        Assert.Contains("drbdsetup new-minor rvol 1010 0", volumes);
        Assert.Contains("drbdsetup new-minor rvol 1011 1", volumes);
        Assert.Contains("drbdsetup new-minor rvol 1012 2", volumes);
        Assert.Contains("drbdsetup attach 1012 /dev/vg0/rvol_00002 /dev/vg0/rvol_00002 internal", volumes);

        var ipv6 = Lines(DrbdUtils.DryRunUp(All["IPv6"].RenderOn("alpha"), "alpha", "r6").Stdout);
        // drbdadm -d shell-escapes the brackets it prints.
        Assert.Contains(@"drbdsetup new-path r6 1 ipv6:\[fd00::1\]:7000 ipv6:\[fd00::2\]:7001", ipv6);
    }

    [DrbdUtilsFact]
    public void A_diskless_node_has_no_connection_to_another_diskless_node()
    {
        var onBeta = Lines(DrbdUtils.DryRunUp(All["two diskless clients"].RenderOn("beta"), "beta", "rcl2").Stdout);
        Assert.Contains(onBeta, l => l.StartsWith("drbdsetup new-peer rcl2 0 ", StringComparison.Ordinal));
        Assert.DoesNotContain(onBeta, l => l.StartsWith("drbdsetup new-peer rcl2 2 ", StringComparison.Ordinal));
    }

    [DrbdUtilsFact]
    public void Drbdadm_84_accepts_the_84_form_for_both_nodes()
    {
        var pairs = new[]
        {
            DrbdScenario.Of("r84", Alpha, Beta).WithOptions((DrbdOptionKeys.AllowTwoPrimaries, "yes"), (DrbdOptionKeys.ResyncRate, "4096"), (DrbdOptionKeys.OnNoDataAccessible, "suspend-io"), (DrbdOptionKeys.OnNoQuorum, "io-error")),
            DrbdScenario.Of("r84v", Alpha, Beta with { Diskless = true }).WithVolumes(new DesiredVolume(0, 1024, 1020), new DesiredVolume(1, 1024, 1021)),
            DrbdScenario.Of("r84v1", Alpha with { Address = "fd00::1" }, Beta with { Address = "fd00::2" }).WithVolumes(new DesiredVolume(1, 1024, 1030)),
            DrbdScenario.Of("r84nov", Alpha, Beta).WithVolumes(),
            DrbdScenario.Of("r84net", Alpha, Beta).WithOptions((DrbdOptionKeys.Timeout, "200"), (DrbdOptionKeys.PingTimeout, "300"), (DrbdOptionKeys.PingInt, "30"), (DrbdOptionKeys.ConnectInt, "30"), (DrbdOptionKeys.KoCount, "0")),
        };
        foreach (var resource in pairs)
        {
            foreach (var node in resource.Nodes)
            {
                var text = DrbdResFileRenderer.Render(resource.ConfigOn(node.Name), DrbdResFileFormat.Drbd84).ValueOrThrow();
                DrbdUtils.AssertAccepted(text, node.Name, drbd84: true);
            }
        }
    }

    [DrbdUtilsFact]
    public void The_check_fails_for_a_broken_render()
    {
        var text = All["3 diskful"].RenderOn("alpha");
        Assert.Equal(0, DrbdUtils.ShNop(text, "alpha").ExitCode);

        var duplicateNodeId = DrbdUtils.ShNop(text.Replace("node-id    1;", "node-id    0;", StringComparison.Ordinal), "alpha");
        Assert.Equal(10, duplicateNodeId.ExitCode);
        Assert.Contains("conflicting use of node-id", duplicateNodeId.Stderr);

        var badQuorum = DrbdUtils.ShNop(text.Replace("    net\n", "    options\n    {\n        on-no-quorum freeze;\n    }\n\n    net\n", StringComparison.Ordinal), "alpha");
        Assert.Equal(10, badQuorum.ExitCode);
        Assert.Contains("for on-no-quorum", badQuorum.Stderr);

        // What the renderer leaves out on purpose: drbd-utils 9.22 does not know the tiebreaker keyword.
        var withTiebreaker = DrbdUtils.ShNop(text.Replace("            meta-disk   internal;", "            tiebreaker yes;\n            meta-disk   internal;", StringComparison.Ordinal), "alpha");
        Assert.Equal(10, withTiebreaker.ExitCode);
        Assert.Contains("'tiebreaker'", withTiebreaker.Stderr);
    }

    /// <summary>The dry run's command lines, with the tool named without its directory (drbdadm prints its own).</summary>
    private static List<string> Lines(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.StartsWith('/') ? l[(l.IndexOf(' ') is var cut and > 0 ? l[..cut].LastIndexOf('/') + 1 : 0)..] : l)];
}
