using Akka.Configuration;
using Fabric.Core.Api;
using Fabric.Core.Runtime;

namespace Fabric.Host.Hosting;

/// <summary>
/// Starts the Fabric actor system with the host and stops it with the host. The journal tail is
/// folded into the read model in the background, so /alive answers during a long cold start.
/// </summary>
public sealed class FabricHostedService(FabricSettings settings, Config akkaOverrides, ILogger<FabricHostedService> log) : IHostedService
{
    private readonly TaskCompletionSource<FabricSystem> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FabricSystem? _fabric;

    /// <summary>The running system, or null before it has started.</summary>
    public FabricSystem? Fabric => _fabric;

    public Task<FabricSystem> Started => _started.Task;

    /// <summary>Set when the own node has been registered (or found registered) after start.</summary>
    public bool OwnNodeRegistered { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _fabric = await FabricSystem.StartAsync(settings, akkaOverrides);
            _started.TrySetResult(_fabric);
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
            for (var attempt = 1; ; attempt++)
            {
                var reply = await fabric.RegisterOwnNodeAsync();
                if (reply is null || reply.Accepted || reply.Messages.Any(m => ApiConsts.CodeOf(m.RetCode) == ApiConsts.FailExistsNode))
                {
                    OwnNodeRegistered = true;
                    if (reply is { Accepted: true })
                    {
                        log.LogInformation("Registered own node {Node}", settings.NodeName);
                    }
                    return;
                }
                log.LogWarning("Registering own node {Node} failed (attempt {Attempt}): {Message}", settings.NodeName, attempt, reply.Messages.FirstOrDefault()?.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)));
            }
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Fabric start-up did not complete");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_fabric is not null)
        {
            log.LogInformation("Leaving the cluster and stopping");
            await _fabric.DisposeAsync();
        }
    }
}
