using Fabric.Core.Protocol;
using Fabric.Node.Drbd.Config;
namespace Fabric.Node.Tests.Drbd.Config;
public class TmpDump
{
    [Fact]
    public void Dump()
    {
        var s = DrbdScenario.Of("rtb", new("alpha", 0, "10.0.0.1", 7000), new("beta", 1, "10.0.0.2", 7001), new("gamma", 2, "10.0.0.3", 7002, TieBreaker: true), new("delta", 3, "10.0.0.4", 7003, Diskless: true))
            .WithOptions((DrbdOptionKeys.Quorum, "majority"), (DrbdOptionKeys.OnNoQuorum, "io-error"), (DrbdOptionKeys.DiskFlushes, "no"));
        File.WriteAllText("/tmp/drbdconf-t/alpha.res", s.RenderOn("alpha"));
        File.WriteAllText("/tmp/drbdconf-t/gamma.res", s.RenderOn("gamma"));
        var p = DrbdScenario.Of("r84", new("alpha", 0, "10.0.0.1", 7000), new("beta", 1, "10.0.0.2", 7001)).WithVolumes(new DesiredVolume(0, 1024, 1020), new DesiredVolume(1, 1024, 1021));
        File.WriteAllText("/tmp/drbdconf-t/r84.res", DrbdResFileRenderer.Render(p.ConfigOn("alpha"), DrbdResFileFormat.Drbd84).ValueOrThrow());
        var q = DrbdScenario.Of("r84", new("alpha", 0, "10.0.0.1", 7000), new("beta", 1, "10.0.0.2", 7001));
        File.WriteAllText("/tmp/drbdconf-t/r84flat.res", DrbdResFileRenderer.Render(q.ConfigOn("beta"), DrbdResFileFormat.Drbd84).ValueOrThrow());
    }
}
