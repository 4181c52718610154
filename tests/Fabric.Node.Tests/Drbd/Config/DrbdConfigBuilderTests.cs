using Fabric.Core.Protocol;
using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Config;
using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Tests.Drbd.Config;

public sealed class DrbdConfigBuilderTests
{
    private static readonly ScenarioNode Alpha = new("alpha", 0, "10.0.0.1", 7000);
    private static readonly ScenarioNode Beta = new("beta", 1, "10.0.0.2", 7001);
    private static readonly ScenarioNode Gamma = new("gamma", 2, "10.0.0.3", 7002);

    [Fact]
    public void The_local_node_peers_and_volumes_come_from_the_desired_state_sorted()
    {
        var scenario = DrbdScenario.Of("r1", Gamma with { TieBreaker = true }, Alpha, Beta, new ScenarioNode("Delta", 3, "10.0.0.4", 7003, Diskless: true))
            .WithVolumes(new DesiredVolume(1, 2048, 1001), new DesiredVolume(0, 1024, 1000));

        var config = scenario.ConfigOn("beta");

        Assert.Equal("r1", config.Name);
        Assert.Equal(new DrbdEndpoint("beta", 1, "10.0.0.2", 7001), config.Local);
        Assert.False(config.Diskless);
        Assert.Equal(["alpha", "Delta", "gamma"], config.Peers.Select(p => p.Endpoint.NodeName));
        Assert.Equal(new DrbdPeerConfig(new DrbdEndpoint("alpha", 0, "10.0.0.1", 7000), Diskless: false, TieBreaker: false), config.Peers[0]);
        Assert.Equal(new DrbdPeerConfig(new DrbdEndpoint("Delta", 3, "10.0.0.4", 7003), Diskless: true, TieBreaker: false), config.Peers[1]);
        Assert.Equal(new DrbdPeerConfig(new DrbdEndpoint("gamma", 2, "10.0.0.3", 7002), Diskless: true, TieBreaker: true), config.Peers[2]);
        Assert.Equal([new DrbdVolumeConfig(0, 1000, "/dev/vg0/r1_00000", 1024), new DrbdVolumeConfig(1, 1001, "/dev/vg0/r1_00001", 2048)], config.Volumes);
        Assert.Equal("Q2xhc3NpY1NlY3JldA", config.SharedSecret);
        Assert.Equal("sha1", config.CramHmacAlg);
        Assert.Equal('C', config.Protocol);
        Assert.Equal(7, config.PeerSlots);
        Assert.Equal(DrbdResourceOptions.None, config.ResourceOptions);
        Assert.Equal(DrbdDiskOptions.None, config.DiskOptions);
        Assert.False(config.AllowTwoPrimaries);
        Assert.Null(config.VerifyAlg);
    }

    [Fact]
    public void A_diskless_replica_has_no_backing_devices_even_when_some_are_given()
    {
        var scenario = DrbdScenario.Of("r1", Alpha, Beta with { Diskless = true });
        var config = DrbdConfigBuilder.Build(scenario.DesiredOn("beta"), "beta", new Dictionary<int, string?> { [0] = "/dev/stale" }).ValueOrThrow();

        Assert.True(config.Diskless);
        Assert.Null(Assert.Single(config.Volumes).BackingDevice);
        Assert.Equal("/dev/drbd1000", config.Volumes[0].DevicePath);
    }

    [Fact]
    public void LINSTOR_props_map_onto_resource_net_and_disk_options()
    {
        var scenario = DrbdScenario.Of("r1", Alpha, Beta).WithOptions(
            (DrbdOptionKeys.Quorum, "majority"),
            (DrbdOptionKeys.OnNoQuorum, "io-error"),
            (DrbdOptionKeys.AutoQuorum, "suspend-io"),
            (DrbdOptionKeys.OnNoDataAccessible, "suspend-io"),
            (DrbdOptionKeys.AutoPromote, "No"),
            (DrbdOptionKeys.QuorumMinimumRedundancy, "2"),
            (DrbdOptionKeys.Protocol, "b"),
            (DrbdOptionKeys.AllowTwoPrimaries, "yes"),
            (DrbdOptionKeys.VerifyAlg, "crct10dif"),
            (DrbdOptionKeys.DiskFlushes, "no"),
            (DrbdOptionKeys.MdFlushes, "true"),
            (DrbdOptionKeys.AlExtents, "6007"),
            (DrbdOptionKeys.ResyncRateDisk, "2M"),
            (DrbdOptionKeys.CPlanAheadDisk, "15"),
            ("DrbdOptions/Net/max-buffers", "8000"));

        var config = scenario.ConfigOn("alpha");

        Assert.Equal(new DrbdResourceOptions(DrbdQuorum.Majority, DrbdOnNoQuorum.IoError, DrbdOnNoQuorum.SuspendIo, false, new DrbdQuorum(2)), config.ResourceOptions);
        Assert.Equal('B', config.Protocol);
        Assert.True(config.AllowTwoPrimaries);
        Assert.Equal("crct10dif", config.VerifyAlg);
        Assert.Equal(new DrbdDiskOptions(DiskFlushes: false, MdFlushes: true, AlExtents: 6007, ResyncRateKiB: 2048, CPlanAhead: 15), config.DiskOptions);
    }

    [Theory]
    [InlineData("io-error", DrbdOnNoQuorum.IoError)]
    [InlineData("suspend-io", DrbdOnNoQuorum.SuspendIo)]
    [InlineData("disabled", null)]
    public void LINSTORs_auto_quorum_gives_on_no_quorum_when_the_resource_option_is_absent(string autoQuorum, DrbdOnNoQuorum? expected)
    {
        var config = DrbdScenario.Of("r1", Alpha, Beta).WithOptions((DrbdOptionKeys.AutoQuorum, autoQuorum)).ConfigOn("alpha");

        Assert.Equal(expected, config.ResourceOptions.OnNoQuorum);
    }

    [Theory]
    [InlineData("off", 0)]
    [InlineData("all", DrbdQuorum.AllValue)]
    [InlineData("32", 32)]
    public void Quorum_takes_off_all_and_node_counts(string value, int expected)
    {
        var config = DrbdScenario.Of("r1", Alpha, Beta).WithOptions((DrbdOptionKeys.Quorum, value)).ConfigOn("alpha");

        Assert.Equal(new DrbdQuorum(expected), config.ResourceOptions.Quorum);
    }

    [Fact]
    public void PeerDevice_spellings_of_resync_rate_and_c_plan_ahead_win_over_Disk_ones()
    {
        var config = DrbdScenario.Of("r1", Alpha, Beta).WithOptions(
            (DrbdOptionKeys.ResyncRate, "300"), (DrbdOptionKeys.ResyncRateDisk, "100"),
            (DrbdOptionKeys.CPlanAhead, "0"), (DrbdOptionKeys.CPlanAheadDisk, "20")).ConfigOn("alpha");

        Assert.Equal(300, config.DiskOptions.ResyncRateKiB);
        Assert.Equal(0, config.DiskOptions.CPlanAhead);
    }

    [Theory]
    [InlineData(DrbdOptionKeys.Quorum, "most", "off, majority, all or a number of nodes from 1 to 32")]
    [InlineData(DrbdOptionKeys.Quorum, "33", "from 1 to 32")]
    [InlineData(DrbdOptionKeys.QuorumMinimumRedundancy, "-1", "quorum-minimum-redundancy")]
    [InlineData(DrbdOptionKeys.OnNoQuorum, "freeze", "io-error or suspend-io")]
    [InlineData(DrbdOptionKeys.AutoQuorum, "maybe", "io-error, suspend-io or disabled")]
    [InlineData(DrbdOptionKeys.OnNoDataAccessible, "panic", "io-error or suspend-io")]
    [InlineData(DrbdOptionKeys.AutoPromote, "sometimes", "yes or no")]
    [InlineData(DrbdOptionKeys.Protocol, "D", "A, B or C")]
    [InlineData(DrbdOptionKeys.AllowTwoPrimaries, "2", "yes or no")]
    [InlineData(DrbdOptionKeys.VerifyAlg, "crc32c; disk-flushes no", "crypto algorithm")]
    [InlineData(DrbdOptionKeys.AlExtents, "66", "from 67 to 65534")]
    [InlineData(DrbdOptionKeys.ResyncRate, "9G", "from 1 to 8388608")]
    [InlineData(DrbdOptionKeys.ResyncRate, "10T", "k, M or G")]
    [InlineData(DrbdOptionKeys.CPlanAhead, "301", "from 0 to 300")]
    public void A_bad_option_value_is_refused_with_message_cause_and_correction(string key, string value, string allowed)
    {
        var result = DrbdScenario.Of("r1", Alpha, Beta).WithOptions((key, value)).BuildOn("alpha");

        var error = Refused(result);
        Assert.Contains($"'{key}'", error.Message);
        Assert.Contains($"'{value}'", error.Message);
        Assert.Contains("'r1'", error.Message);
        Assert.Contains(allowed, error.Cause);
        Assert.Contains($"Set '{key}'", error.Correction);
    }

    [Fact]
    public void A_peer_without_address_or_port_is_refused()
    {
        var noAddress = Refused(DrbdScenario.Of("r1", Alpha, Beta with { Address = null }).BuildOn("alpha"));
        Assert.Contains("'beta' has no address", noAddress.Message);
        Assert.Contains("net-interfaces", noAddress.Correction);

        var noPort = Refused(DrbdScenario.Of("r1", Alpha, Beta with { Port = null }).BuildOn("alpha"));
        Assert.Contains("'beta' has no DRBD TCP port", noPort.Message);

        var hostName = Refused(DrbdScenario.Of("r1", Alpha, Beta with { Address = "beta.example" }).BuildOn("alpha"));
        Assert.Contains("not an IP address", hostName.Message);

        var localNoAddress = Refused(DrbdScenario.Of("r1", Alpha with { Address = null }, Beta).BuildOn("alpha"));
        Assert.Contains("this node 'alpha' has no address", localNoAddress.Message);
    }

    [Fact]
    public void A_volume_without_minor_or_backing_device_is_refused()
    {
        var noMinor = Refused(DrbdScenario.Of("r1", Alpha, Beta).WithVolumes(new DesiredVolume(0, 1024, 1000), new DesiredVolume(1, 1024, null)).BuildOn("alpha"));
        Assert.Contains("Volume 1 of resource 'r1' has no DRBD minor", noMinor.Message);

        var sameMinor = Refused(DrbdScenario.Of("r1", Alpha, Beta).WithVolumes(new DesiredVolume(0, 1024, 1000), new DesiredVolume(1, 1024, 1000)).BuildOn("alpha"));
        Assert.Contains("share DRBD minor 1000", sameMinor.Message);

        var scenario = DrbdScenario.Of("r1", Alpha, Beta);
        var unknown = Refused(DrbdConfigBuilder.Build(scenario.DesiredOn("alpha"), "alpha", new Dictionary<int, string?> { [0] = null }));
        Assert.Contains("backing device of volume 0", unknown.Message);
        Assert.Contains("not reported", unknown.Cause);

        var weird = Refused(DrbdConfigBuilder.Build(scenario.DesiredOn("alpha"), "alpha", new Dictionary<int, string?> { [0] = "/dev/vg0/a b" }));
        Assert.Contains("cannot be written", weird.Message);
    }

    [Fact]
    public void Clashing_node_ids_mixed_address_families_and_too_few_peer_slots_are_refused()
    {
        Assert.Contains("node id 0", Refused(DrbdScenario.Of("r1", Alpha, Beta with { NodeId = 0 }).BuildOn("alpha")).Message);
        Assert.Contains("node id 32", Refused(DrbdScenario.Of("r1", Alpha, Beta with { NodeId = 32 }).BuildOn("alpha")).Message);
        Assert.Contains("different families", Refused(DrbdScenario.Of("r1", Alpha, Beta with { Address = "fd00::2" }).BuildOn("alpha")).Message);
        var slots = Refused((DrbdScenario.Of("r1", Alpha, Beta, Gamma) with { PeerSlots = 1 }).BuildOn("alpha"));
        Assert.Contains("2 diskful peers but only 1 peer slots", slots.Message);
        Assert.True((DrbdScenario.Of("r1", Alpha, Beta, Gamma with { Diskless = true }) with { PeerSlots = 1 }).BuildOn("alpha").Succeeded);
    }

    [Fact]
    public void A_resource_without_DRBD_or_over_another_transport_is_refused()
    {
        var storageOnly = Refused((DrbdScenario.Of("r1", Alpha, Beta) with { LayerStack = ["STORAGE"] }).BuildOn("alpha"));
        Assert.Contains("has no DRBD layer", storageOnly.Message);
        Assert.Contains("STORAGE", storageOnly.Cause);

        var rdma = Refused((DrbdScenario.Of("r1", Alpha, Beta) with { Transport = "RDMA" }).BuildOn("alpha"));
        Assert.Contains("'RDMA'", rdma.Message);

        var secret = Refused((DrbdScenario.Of("r1", Alpha, Beta) with { Secret = "has\"quote" }).BuildOn("alpha"));
        Assert.Contains("shared secret", secret.Message);
    }

    private static DrbdConfigError Refused(DrbdConfigResult<DrbdResourceConfig> result)
    {
        Assert.False(result.Succeeded, "the builder accepted the configuration");
        Assert.Null(result.Value);
        var error = result.Error!;
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.False(string.IsNullOrWhiteSpace(error.Cause));
        Assert.False(string.IsNullOrWhiteSpace(error.Correction));
        return error;
    }
}
