using System.Net;
using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Simulated;
using Fabric.Node.Drbd.State;

namespace Fabric.Node.Tests.Drbd;

/// <summary>One member of a test resource: node name, DRBD node id, and whether it is a diskless client/tiebreaker.</summary>
internal sealed record Member(string Name, int NodeId, bool Diskless = false);

/// <summary>
/// Simulated nodes driven the way an agent drives DRBD: every node's notifications are folded
/// through <see cref="DrbdStateMachine"/> and assertions read the derived status.
/// </summary>
internal sealed class SimulatedDrbdCluster : IAsyncDisposable
{
    public const int Minor = 1000;
    public const string Resource = "r0";

    private readonly Dictionary<string, Probe> _probes = [];

    private SimulatedDrbdCluster(SimulatedDrbdNetwork network, Member[] members)
    {
        Network = network;
        Members = members;
    }

    public SimulatedDrbdNetwork Network { get; }

    public Member[] Members { get; }

    public static async Task<SimulatedDrbdCluster> StartAsync(int seed, params Member[] members)
    {
        var cluster = new SimulatedDrbdCluster(new SimulatedDrbdNetwork(new SimulatedDrbdNetworkOptions(Seed: seed)), members);
        foreach (var member in members)
        {
            var kernel = cluster.Network.AddNode(member.Name);
            var probe = new Probe(kernel);
            cluster._probes[member.Name] = probe;
            probe.Subscription = await kernel.SubscribeAsync(probe.Apply, probe.Failures.Add, CancellationToken.None);
        }
        return cluster;
    }

    public SimulatedDrbdKernel Kernel(string node) => _probes[node].Kernel;

    public DrbdHostState State(string node) => _probes[node].State;

    public IReadOnlyList<DrbdEventBatch> Batches(string node) => _probes[node].Batches;

    public IReadOnlyList<Exception> Failures(string node) => _probes[node].Failures;

    public DrbdResourceStatus Status(string node) =>
        DrbdStatusRules.Status(State(node), Resource) ?? throw new InvalidOperationException($"{node} reports no resource {Resource}");

    public DrbdVolumeStatus Volume(string node) => Status(node).Volume(0)!;

    public DrbdPeerVolumeStatus PeerVolume(string node, string peer) =>
        Status(node).Peer(Members.Single(m => m.Name == peer).NodeId)!.Volumes.Single();

    public static string BackingDevice(string node) => $"/dev/sim/{node}/{Resource}_00000";

    /// <summary>What an agent does to bring the resource up on every member: meta-data, resource, minor, attach, peers, paths, connect.</summary>
    public async Task UpAsync(DrbdResourceOptions options, long sizeKiB = 102_400)
    {
        foreach (var member in Members)
        {
            await UpAsync(member, options, sizeKiB);
        }
    }

    public async Task UpAsync(Member member, DrbdResourceOptions options, long sizeKiB = 102_400)
    {
        var ct = CancellationToken.None;
        var kernel = Kernel(member.Name);
        var device = BackingDevice(member.Name);
        if (!member.Diskless && !await kernel.Metadata.HasMetadataAsync(Minor, device, ct))
        {
            kernel.Metadata.SetDeviceSize(device, sizeKiB);
            await kernel.Metadata.CreateMetadataAsync(Minor, device, 7, ct);
        }
        await kernel.NewResourceAsync(Resource, member.NodeId, options, ct);
        await kernel.NewMinorAsync(Resource, Minor, 0, member.Diskless, ct);
        if (!member.Diskless)
        {
            await kernel.AttachAsync(Minor, new DrbdDiskConfig(device, null, DrbdDiskOptions.None), ct);
        }
        foreach (var peer in Members.Where(m => m != member))
        {
            await kernel.NewPeerAsync(Resource, peer.NodeId, new DrbdNetOptions(peer.Name), ct);
            if (peer.Diskless)
            {
                await kernel.ChangePeerDeviceOptionsAsync(Resource, peer.NodeId, 0, new DrbdPeerDeviceOptions(Bitmap: false), ct);
            }
            await kernel.NewPathAsync(Resource, peer.NodeId, Endpoint(member), Endpoint(peer), ct);
            await kernel.ConnectAsync(Resource, peer.NodeId, false, ct);
        }
    }

    /// <summary>Advances virtual time in steps, returning the status of <paramref name="node"/> after each step.</summary>
    public List<DrbdResourceStatus> Watch(string node, TimeSpan step, int steps)
    {
        var seen = new List<DrbdResourceStatus>();
        for (var i = 0; i < steps; i++)
        {
            Network.Advance(step);
            seen.Add(Status(node));
        }
        return seen;
    }

    public void Settle() => Network.Advance(TimeSpan.FromSeconds(2));

    public async ValueTask DisposeAsync()
    {
        foreach (var probe in _probes.Values)
        {
            if (probe.Subscription is { } subscription)
            {
                await subscription.DisposeAsync();
            }
        }
        Network.Dispose();
    }

    private static IPEndPoint Endpoint(Member member) => new(IPAddress.Loopback, 7000 + member.NodeId);

    private sealed class Probe(SimulatedDrbdKernel kernel)
    {
        public SimulatedDrbdKernel Kernel { get; } = kernel;

        public DrbdHostState State { get; private set; } = DrbdHostState.Empty;

        public List<DrbdEventBatch> Batches { get; } = [];

        public List<Exception> Failures { get; } = [];

        public IAsyncDisposable? Subscription { get; set; }

        public void Apply(DrbdEventBatch batch)
        {
            Batches.Add(batch);
            State = DrbdStateMachine.Apply(State, batch);
        }
    }
}
