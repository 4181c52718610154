namespace Fabric.Node.Drbd.Netlink;

/// <summary>How <see cref="NetlinkDrbdKernel"/> talks to the driver.</summary>
/// <param name="RequestTimeout">How long one request may wait for its reply (drbdsetup waits 120 s; attach and down can be slow).</param>
/// <param name="TransientRetryFirstDelay">First pause before repeating a request refused with SS_IN_TRANSIENT_STATE or SS_CONCURRENT_ST_CHG (drbdsetup: 1/16 s).</param>
/// <param name="TransientRetryMaxDelay">The pause doubles up to this.</param>
/// <param name="TransientRetryAttempts">Attempts in all before the refusal is thrown.</param>
/// <param name="GapGrace">How long the event stream waits for a missing sequence number before it dumps the state again.</param>
/// <param name="ReceiveBufferBytes">SO_RCVBUF of the event socket.</param>
public sealed record DrbdNetlinkOptions(
    TimeSpan RequestTimeout,
    TimeSpan TransientRetryFirstDelay,
    TimeSpan TransientRetryMaxDelay,
    int TransientRetryAttempts,
    TimeSpan GapGrace,
    int ReceiveBufferBytes = NetlinkSocket.DefaultReceiveBufferBytes)
{
    public static readonly DrbdNetlinkOptions Default = new(
        TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(62.5), TimeSpan.FromSeconds(2), 11, TimeSpan.FromMilliseconds(250));

    /// <summary>The pauses between attempts: 1/16 s doubling to the maximum; <see cref="TransientRetryAttempts"/> − 1 of them.</summary>
    public IEnumerable<TimeSpan> RetryDelays()
    {
        var delay = TransientRetryFirstDelay;
        for (var i = 1; i < TransientRetryAttempts; i++)
        {
            yield return delay;
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TransientRetryMaxDelay.Ticks));
        }
    }
}
