using Akka.Actor;
using Akka.Configuration;
using Fabric.Core.Api;
using Fabric.Core.Runtime;
using Fabric.Node.Storage;
using Fabric.Node.Drbd.Simulated;
using Fabric.Node.Storage.Simulated;

namespace Fabric.Host.Hosting;

/// <summary>
/// Starts the Fabric actor system with the host and stops it with the host. The journal tail is
/// folded into the read model in the background, so /alive answers during a long cold start.
/// </summary>
/// <remarks>
/// If the actor system ends while the host runs (this member was downed by the split-brain
/// resolver, or removed from the cluster), the host stops with exit code 3: a supervisor (systemd
/// <c>Restart=always</c>, a container runtime) starts it again as a new incarnation that rejoins.
/// </remarks>
public sealed class FabricHostedService(FabricSettings settings, Config akkaOverrides, ILogger<FabricHostedService> log, IHostApplicationLifetime? lifetime = null) : IHostedService
{
    /// <summary>The process exit code when the actor system ended without the host asking for it.</summary>
    public const int ExitCodeSystemEnded = 3;

    private volatile bool _stopping;

    private readonly TaskCompletionSource<FabricSystem> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FabricSystem? _fabric;

    /// <summary>The running system, or null before it has started.</summary>
    public FabricSystem? Fabric => _fabric;

    public Task<FabricSystem> Started => _started.Task;

    /// <summary>Set when the own node has been registered (or found registered) after start.</summary>
    public bool OwnNodeRegistered { get; private set; }

    private readonly List<IActorRef> _agents = [];
    private SimulatedDrbdNetwork? _simulatedDrbd;
    private IDisposable? _simulatedDrbdClock;

    /// <summary>The node agents this process runs (its own node's and simulated ones).</summary>
    public IReadOnlyList<IActorRef> Agents
    {
        get
        {
            lock (_agents)
            {
                return [.. _agents];
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _fabric = await FabricSystem.StartAsync(settings, akkaOverrides);
            _started.TrySetResult(_fabric);
            _ = _fabric.System.WhenTerminated.ContinueWith(_ => OnSystemEnded(), TaskScheduler.Default);
            log.LogInformation("Fabric member {Address} is up with roles {Roles}", _fabric.Cluster.SelfAddress, string.Join(",", settings.Roles));
            _ = Task.Run(() => CompleteStartAsync(_fabric), CancellationToken.None);
        }
        catch (Exception ex)
        {
            _started.TrySetException(ex);
            throw;
        }
    }

    private async Task CompleteStartAsync(FabricSystem fabric)
    {
        try
        {
            if (settings.IsController)
            {
                await fabric.WaitForReadModelAsync(TimeSpan.FromHours(1));
                log.LogInformation("Read model current at journal offset {Offset}", fabric.Views.Current.Offset);
            }
            await StartSimulatedNodesAsync(fabric);
            if (!settings.IsSatellite)
            {
                return;
            }
            for (var attempt = 1; ; attempt++)
            {
                var reply = await fabric.RegisterOwnNodeAsync();
                if (reply is null || reply.Accepted || reply.Messages.Any(m => ApiConsts.CodeOf(m.RetCode) == ApiConsts.FailExistsNode))
                {
                    OwnNodeRegistered = true;
                    if (reply is { Accepted: true })
                    {
                        log.LogInformation("Registered own node {Node}", settings.NodeName);
                        if (settings.IsController && await NodeAgentHosting.CreateDefaultFilePoolAsync(fabric, settings.NodeName) is { } poolError)
                        {
                            log.LogWarning("Creating the default FILE_THIN pool failed: {Message}", poolError.Message);
                        }
                    }
                    break;
                }
                log.LogWarning("Registering own node {Node} failed (attempt {Attempt}): {Message}", settings.NodeName, attempt, reply.Messages.FirstOrDefault()?.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)));
            }
            AddAgent(NodeAgentHosting.StartAgent(fabric, settings.NodeName, NodeAgentHosting.HostProviders(), NodeAgentHosting.HostDrbd(settings.DrbdResDirectory)));
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Fabric start-up did not complete");
        }
    }

    private void AddAgent(IActorRef agent)
    {
        lock (_agents)
        {
            _agents.Add(agent);
        }
    }

    private async Task StartSimulatedNodesAsync(FabricSystem fabric)
    {
        if (settings.SimulateNodes > 0)
        {
            // One simulated DRBD 9 network joins every simulated node; its clock follows the wall clock.
            _simulatedDrbd = new SimulatedDrbdNetwork();
            _simulatedDrbdClock = _simulatedDrbd.StartRealTime();
        }
        foreach (var name in NodeAgentHosting.SimulatedNodeNames(settings.SimulateNodes))
        {
            for (var attempt = 1; ; attempt++)
            {
                var error = await NodeAgentHosting.RegisterSimulatedNodeAsync(fabric, name);
                if (error is null)
                {
                    break;
                }
                log.LogWarning("Registering simulated node {Node} failed (attempt {Attempt}): {Message}", name, attempt, error.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)));
            }
            var storage = new SimulatedStorage();
            var network = _simulatedDrbd!;
            var nodeName = name;
            AddAgent(NodeAgentHosting.StartAgent(fabric, name, StorageProviders.Simulated(storage), _ => Task.FromResult(SimulatedBackingDevices.Driver(network, nodeName, storage))));
        }
        if (settings.SimulateNodes > 0)
        {
            log.LogInformation("Started {Count} simulated node agent(s)", settings.SimulateNodes);
        }
    }

    private void OnSystemEnded()
    {
        if (_stopping || lifetime is null)
        {
            return;
        }
        log.LogCritical("The Fabric actor system ended while the host was running (this member was downed or removed from the cluster); stopping with exit code {Code} so that a supervisor starts a new incarnation", ExitCodeSystemEnded);
        Environment.ExitCode = ExitCodeSystemEnded;
        lifetime.StopApplication();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        foreach (var agent in Agents)
        {
            // A clean stop says goodbye, so controllers see the node offline at once.
            try
            {
                await agent.GracefulStop(TimeSpan.FromSeconds(5));
            }
            catch (TaskCanceledException)
            {
            }
        }
        if (_fabric is not null)
        {
            log.LogInformation("Leaving the cluster and stopping");
            await _fabric.DisposeAsync();
        }
        _simulatedDrbdClock?.Dispose();
        _simulatedDrbd?.Dispose();
    }
}
