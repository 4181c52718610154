using System.Collections.Immutable;
using System.Globalization;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Protocol;
using Fabric.Node.Drbd.Config;

namespace Fabric.Node.Tests.Drbd.Config;

/// <summary>One replica of a test resource: its node, DRBD node id, address and port.</summary>
public sealed record ScenarioNode(string Name, int NodeId, string? Address, int? Port = 7000, bool Diskless = false, bool TieBreaker = false);

/// <summary>
/// A resource with replicas on several nodes, turned into each node's desired state the way the
/// controller builds it (every other replica is a peer; the node's own address and flags), so a
/// test can build and render the configuration of every node.
/// </summary>
public sealed record DrbdScenario(string Name, ImmutableList<ScenarioNode> Nodes, ImmutableList<DesiredVolume> Volumes)
{
    public ImmutableSortedDictionary<string, string> Options { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public string Secret { get; init; } = "Q2xhc3NpY1NlY3JldA";

    public int PeerSlots { get; init; } = 7;

    public string Transport { get; init; } = "IP";

    public ImmutableList<string> LayerStack { get; init; } = ["DRBD", "STORAGE"];

    public static DrbdScenario Of(string name, params ScenarioNode[] nodes) =>
        new(name, [.. nodes], [new DesiredVolume(0, 102400, 1000)]);

    public DrbdScenario WithOptions(params (string Key, string Value)[] options) =>
        this with { Options = options.ToImmutableSortedDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal) };

    public DrbdScenario WithVolumes(params DesiredVolume[] volumes) => this with { Volumes = [.. volumes] };

    public ScenarioNode Node(string name) => Nodes.Single(n => n.Name == name);

    /// <summary>The desired state of the replica on <paramref name="nodeName"/>.</summary>
    public DesiredResource DesiredOn(string nodeName)
    {
        var node = Node(nodeName);
        var flags = node.TieBreaker ? ResourceFlags.TieBreaker : node.Diskless ? ResourceFlags.DrbdDiskless : 0;
        var peers = Nodes.Where(n => n.Name != nodeName)
            .Select(n => new DesiredPeer(n.Name, n.NodeId, n.Port, n.Diskless || n.TieBreaker, n.Address, n.TieBreaker))
            .ToImmutableList();
        return new DesiredResource(
            Name,
            Guid.Parse("0a1b2c3d-0000-4000-8000-000000000001"),
            Guid.NewGuid(),
            node.Diskless || node.TieBreaker ? "DfltDisklessStorPool" : "vg0pool",
            node.Diskless || node.TieBreaker,
            flags,
            node.NodeId,
            node.Port,
            LayerStack,
            Volumes,
            peers,
            new DesiredDrbd(Secret, PeerSlots, Transport, node.Address, Options));
    }

    /// <summary>Where the node's LVM-like backing devices would be: /dev/vg0/&lt;rsc&gt;_&lt;vnr:D5&gt; (none when diskless).</summary>
    public IReadOnlyDictionary<int, string?> BackingOn(string nodeName) =>
        Node(nodeName) is { Diskless: false, TieBreaker: false }
            ? Volumes.ToDictionary(v => v.VolumeNumber, v => (string?)$"/dev/vg0/{Name}_{v.VolumeNumber.ToString("D5", CultureInfo.InvariantCulture)}")
            : new Dictionary<int, string?>();

    public DrbdConfigResult<DrbdResourceConfig> BuildOn(string nodeName) => DrbdConfigBuilder.Build(DesiredOn(nodeName), nodeName, BackingOn(nodeName));

    public DrbdResourceConfig ConfigOn(string nodeName) => BuildOn(nodeName).ValueOrThrow();

    public string RenderOn(string nodeName) => DrbdResFileRenderer.Render(ConfigOn(nodeName));
}
