namespace Fabric.Node.Drbd.Simulated;

/// <summary>
/// How the simulated DRBD network behaves. <paramref name="Seed"/> drives every random choice
/// (connect and loss-detection delays within their jitter): the same seed and the same calls give
/// the same notification sequence.
/// </summary>
/// <param name="ConnectDelay">Time from "both sides can connect" to Connected (plus up to <paramref name="ConnectJitter"/>).</param>
/// <param name="LossDetection">Time until a side notices a cut link or a powered-off peer (ping timeout; plus up to <paramref name="LossJitter"/>).</param>
/// <param name="ResyncRateKiB">Resync speed in KiB/s when neither the peer-device nor the disk options set one (DRBD's c-max-rate default).</param>
/// <param name="ProgressInterval">How often a running resync advances and reports its progress.</param>
/// <param name="DefaultDeviceSizeKiB">The size of a backing device the metadata store was not told about.</param>
/// <param name="ResyncProgressEvents">
/// True: DRBD 9 (a running resync's counters come as peer-device change events, with the resync
/// total). False: DRBD 8.4, as seen in the lab: no resync total, and events only when a resync
/// starts and ends; the counters in between show up in dumps only.
/// </param>
public sealed record SimulatedDrbdNetworkOptions(
    int Seed = 1,
    TimeSpan? ConnectDelay = null,
    TimeSpan? ConnectJitter = null,
    TimeSpan? LossDetection = null,
    TimeSpan? LossJitter = null,
    long ResyncRateKiB = 102_400,
    TimeSpan? ProgressInterval = null,
    long DefaultDeviceSizeKiB = 1_048_576,
    bool ResyncProgressEvents = true)
{
    public TimeSpan ConnectDelayValue => ConnectDelay ?? TimeSpan.FromMilliseconds(20);

    public TimeSpan ConnectJitterValue => ConnectJitter ?? TimeSpan.FromMilliseconds(80);

    public TimeSpan LossDetectionValue => LossDetection ?? TimeSpan.FromMilliseconds(500);

    public TimeSpan LossJitterValue => LossJitter ?? TimeSpan.FromMilliseconds(200);

    public TimeSpan ProgressIntervalValue => ProgressInterval ?? TimeSpan.FromSeconds(1);
}
