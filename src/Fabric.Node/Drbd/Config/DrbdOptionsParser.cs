using System.Globalization;
using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Config;

/// <summary>The DRBD options a replica's <c>DrbdOptions/*</c> props ask for.</summary>
/// <param name="Protocol">'A', 'B' or 'C' (C when unset).</param>
public sealed record DrbdOptionSet(
    DrbdResourceOptions Resource,
    DrbdDiskOptions Disk,
    char Protocol,
    bool AllowTwoPrimaries,
    string? VerifyAlg,
    string CramHmacAlg,
    DrbdNetTimeouts? NetTimeouts = null);

/// <summary>
/// Pure: LINSTOR's <c>DrbdOptions/*</c> props (already resolved over the levels) → typed DRBD
/// options, checked against the values drbd-utils accepts. The first bad value is the error.
/// </summary>
public static class DrbdOptionsParser
{
    /// <summary>drbd-utils 9's upper limit for resync-rate (KiB/s); 8.4's is half of it.</summary>
    public const long MaxResyncRateKiB = 8388608;

    private const string Where = "on the level where it is set (resource, resource definition, resource group, node or controller)";

    public static DrbdConfigResult<DrbdOptionSet> Parse(IReadOnlyDictionary<string, string> props)
    {
        var reader = new Reader(props);
        var onNoQuorum = reader.OnNoQuorum(DrbdOptionKeys.OnNoQuorum);
        if (onNoQuorum is null && !props.ContainsKey(DrbdOptionKeys.OnNoQuorum))
        {
            onNoQuorum = reader.AutoQuorum();
        }
        var resource = new DrbdResourceOptions(
            Quorum: reader.Quorum(DrbdOptionKeys.Quorum, "quorum"),
            OnNoQuorum: onNoQuorum,
            OnNoDataAccessible: reader.OnNoQuorum(DrbdOptionKeys.OnNoDataAccessible),
            AutoPromote: reader.Bool(DrbdOptionKeys.AutoPromote),
            QuorumMinimumRedundancy: reader.Quorum(DrbdOptionKeys.QuorumMinimumRedundancy, "quorum-minimum-redundancy"));
        var disk = new DrbdDiskOptions(
            DiskFlushes: reader.Bool(DrbdOptionKeys.DiskFlushes),
            MdFlushes: reader.Bool(DrbdOptionKeys.MdFlushes),
            AlExtents: (int?)reader.Number(DrbdOptionKeys.AlExtents, 67, 65534, "a number of activity-log extents"),
            ResyncRateKiB: reader.Rate(DrbdOptionKeys.ResyncRate) ?? reader.Rate(DrbdOptionKeys.ResyncRateDisk),
            CPlanAhead: (int?)(reader.Number(DrbdOptionKeys.CPlanAhead, 0, 300, "tenths of a second") ?? reader.Number(DrbdOptionKeys.CPlanAheadDisk, 0, 300, "tenths of a second")));
        var protocol = reader.Protocol();
        var allowTwoPrimaries = reader.Bool(DrbdOptionKeys.AllowTwoPrimaries) ?? false;
        var verifyAlg = reader.Algorithm(DrbdOptionKeys.VerifyAlg);
        var cramHmacAlg = reader.Algorithm(DrbdOptionKeys.CramHmacAlg) ?? DrbdOptionKeys.DefaultCramHmacAlg;
        // drbd-utils' ranges (drbdsetup xml-help net-options).
        var timeouts = new DrbdNetTimeouts(
            TimeoutDs: (int?)reader.Number(DrbdOptionKeys.Timeout, 1, 600, "tenths of a second"),
            ConnectIntS: (int?)reader.Number(DrbdOptionKeys.ConnectInt, 1, 120, "seconds"),
            PingIntS: (int?)reader.Number(DrbdOptionKeys.PingInt, 1, 120, "seconds"),
            PingTimeoutDs: (int?)reader.Number(DrbdOptionKeys.PingTimeout, 1, 300, "tenths of a second"),
            KoCount: (int?)reader.Number(DrbdOptionKeys.KoCount, 0, 200, "a count of timeouts"));
        return reader.Error is { } error
            ? DrbdConfigResult<DrbdOptionSet>.Fail(error)
            : DrbdConfigResult<DrbdOptionSet>.Ok(new DrbdOptionSet(resource, disk, protocol, allowTwoPrimaries, verifyAlg, cramHmacAlg, timeouts.IsEmpty ? null : timeouts));
    }

    /// <summary>Reads props one by one and keeps the first error.</summary>
    private sealed class Reader(IReadOnlyDictionary<string, string> props)
    {
        public DrbdConfigError? Error { get; private set; }

        public DrbdQuorum? Quorum(string key, string option) =>
            Get(key) is not { } text ? null
            : DrbdQuorum.TryParse(text, out var quorum) ? quorum
            : Invalid<DrbdQuorum?>(key, text, $"off, majority, all or a number of nodes from 1 to 32 for {option}");

        public DrbdOnNoQuorum? OnNoQuorum(string key) => Get(key) switch
        {
            null => null,
            var text => Policy(text) ?? Invalid<DrbdOnNoQuorum?>(key, text, "io-error or suspend-io"),
        };

        /// <summary>LINSTOR's auto-quorum: io-error, suspend-io, or disabled (no on-no-quorum).</summary>
        public DrbdOnNoQuorum? AutoQuorum() => Get(DrbdOptionKeys.AutoQuorum) switch
        {
            null => null,
            var text when text.Equals("disabled", StringComparison.OrdinalIgnoreCase) => null,
            var text => Policy(text) ?? Invalid<DrbdOnNoQuorum?>(DrbdOptionKeys.AutoQuorum, text, "io-error, suspend-io or disabled"),
        };

        public bool? Bool(string key) => Get(key)?.ToLowerInvariant() switch
        {
            null => null,
            "yes" or "true" => true,
            "no" or "false" => false,
            _ => Invalid<bool?>(key, Get(key)!, "yes or no"),
        };

        public char Protocol() => Get(DrbdOptionKeys.Protocol) switch
        {
            null => 'C',
            var text when text.Length == 1 && char.ToUpperInvariant(text[0]) is 'A' or 'B' or 'C' => char.ToUpperInvariant(text[0]),
            var text => Invalid<char>(DrbdOptionKeys.Protocol, text, "the replication protocols A, B or C", 'C'),
        };

        public long? Number(string key, long min, long max, string what)
        {
            if (Get(key) is not { } text)
            {
                return null;
            }
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n
                : Invalid<long?>(key, text, $"{what} from {min} to {max}");
        }

        /// <summary>resync-rate in KiB/s: a number with an optional unit k, M or G (DRBD's default unit is k).</summary>
        public long? Rate(string key)
        {
            if (Get(key) is not { } text)
            {
                return null;
            }
            var digits = text.TrimEnd('k', 'K', 'm', 'M', 'g', 'G');
            var factor = (text.Length - digits.Length, text.Length > 0 ? char.ToUpperInvariant(text[^1]) : ' ') switch
            {
                (0, _) => 1L,
                (1, 'K') => 1L,
                (1, 'M') => 1024L,
                (1, 'G') => 1024L * 1024,
                _ => 0L,
            };
            return factor > 0 && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxResyncRateKiB && n * factor <= MaxResyncRateKiB
                ? n * factor
                : Invalid<long?>(key, text, "a rate from 1 to 8388608 (KiB/s), optionally with the unit k, M or G");
        }

        public string? Algorithm(string key)
        {
            if (Get(key) is not { } text)
            {
                return null;
            }
            return text.Length is > 0 and <= 63 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
                ? text
                : Invalid<string?>(key, text, "the name of a kernel crypto algorithm (letters, digits, '-' and '_'; e.g. crc32c, sha256)");
        }

        private string? Get(string key) => props.TryGetValue(key, out var value) ? value.Trim() : null;

        private static DrbdOnNoQuorum? Policy(string text) => text.ToLowerInvariant() switch
        {
            "io-error" => DrbdOnNoQuorum.IoError,
            "suspend-io" => DrbdOnNoQuorum.SuspendIo,
            _ => null,
        };

        private T Invalid<T>(string key, string value, string allowed, T fallback = default!)
        {
            Error ??= new DrbdConfigError(
                $"Property '{key}' has the invalid value '{value}'.",
                $"DRBD accepts {allowed}.",
                $"Set '{key}' to one of those values, or delete it, {Where}.");
            return fallback;
        }
    }
}
