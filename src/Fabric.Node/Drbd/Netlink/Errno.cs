using System.Collections.Frozen;
using System.Globalization;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>Readable names for the Linux errno values netlink answers with.</summary>
public static class Errno
{
    public const int Eperm = 1;
    public const int Enoent = 2;
    public const int Esrch = 3;
    public const int Eintr = 4;
    public const int Eagain = 11;
    public const int Enomem = 12;
    public const int Eacces = 13;
    public const int Ebusy = 16;
    public const int Eexist = 17;
    public const int Enodev = 19;
    public const int Einval = 22;
    public const int Enomsg = 42;
    public const int Emsgsize = 90;
    public const int Eopnotsupp = 95;
    public const int Enobufs = 105;

    private static readonly FrozenDictionary<int, (string Name, string Meaning)> Names = new Dictionary<int, (string, string)>
    {
        [Eperm] = ("EPERM", "operation not permitted; needs CAP_NET_ADMIN (run as root)"),
        [Enoent] = ("ENOENT", "no such object"),
        [Esrch] = ("ESRCH", "no such process or listener"),
        [Eintr] = ("EINTR", "interrupted"),
        [5] = ("EIO", "input/output error"),
        [Eagain] = ("EAGAIN", "try again"),
        [Enomem] = ("ENOMEM", "out of memory"),
        [Eacces] = ("EACCES", "permission denied"),
        [Ebusy] = ("EBUSY", "busy"),
        [Eexist] = ("EEXIST", "already exists"),
        [Enodev] = ("ENODEV", "no such device"),
        [Einval] = ("EINVAL", "invalid argument (for DRBD often a genl API version mismatch)"),
        [34] = ("ERANGE", "value out of range"),
        [Enomsg] = ("ENOMSG", "a required attribute is missing"),
        [Emsgsize] = ("EMSGSIZE", "message too long"),
        [Eopnotsupp] = ("EOPNOTSUPP", "operation not supported"),
        [Enobufs] = ("ENOBUFS", "socket receive buffer overflowed; messages were lost"),
    }.ToFrozenDictionary();

    /// <summary>E.g. "ENOENT (no such object)"; accepts the positive or the negated value.</summary>
    public static string Describe(int errno)
    {
        var e = Math.Abs(errno);
        return Names.TryGetValue(e, out var n) ? $"{n.Name} ({n.Meaning})" : $"errno {e.ToString(CultureInfo.InvariantCulture)}";
    }

    public static string Name(int errno)
    {
        var e = Math.Abs(errno);
        return Names.TryGetValue(e, out var n) ? n.Name : $"errno {e.ToString(CultureInfo.InvariantCulture)}";
    }
}
