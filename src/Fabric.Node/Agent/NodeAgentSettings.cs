using Fabric.Core.Aggregates.Nodes;
using Fabric.Node.Storage;

namespace Fabric.Node.Agent;

/// <summary>Everything one node agent needs: its node, its storage providers, its pace.</summary>
/// <param name="Providers">The provider serving each pool kind on this host.</param>
/// <param name="MaxParallel">Resources reconciled at once (bounded concurrency across the node).</param>
/// <param name="StepTimeout">The longest one storage step may take before it is cancelled and retried.</param>
/// <param name="RetryBase">First back-off after a failure; doubles per attempt up to <paramref name="RetryMax"/>.</param>
/// <param name="CapacityRefresh">How often pool capacities are re-read when nothing changes.</param>
/// <param name="Drbd">Opens the node's DRBD driver; null runs the agent without DRBD (DRBD resources then report why).</param>
public sealed record NodeAgentSettings(
    string NodeName,
    Func<ProviderKind, IStorageProvider> Providers,
    TimeSpan Heartbeat,
    int MaxParallel = 8,
    TimeSpan? StepTimeout = null,
    TimeSpan? RetryBase = null,
    TimeSpan? RetryMax = null,
    TimeSpan? CapacityRefresh = null,
    TimeSpan? ObservationFlush = null,
    Fabric.Node.Drbd.DrbdDriverFactory? Drbd = null)
{
    public TimeSpan EffectiveStepTimeout => StepTimeout ?? TimeSpan.FromMinutes(5);

    public TimeSpan EffectiveRetryBase => RetryBase ?? TimeSpan.FromSeconds(1);

    public TimeSpan EffectiveRetryMax => RetryMax ?? TimeSpan.FromSeconds(60);

    public TimeSpan EffectiveCapacityRefresh => CapacityRefresh ?? TimeSpan.FromSeconds(10);

    public TimeSpan EffectiveObservationFlush => ObservationFlush ?? TimeSpan.FromMilliseconds(50);

    /// <summary>The back-off before attempt <paramref name="attempts"/> + 1.</summary>
    public TimeSpan BackOff(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 20));
        return TimeSpan.FromMilliseconds(Math.Min(EffectiveRetryBase.TotalMilliseconds * factor, EffectiveRetryMax.TotalMilliseconds));
    }
}
