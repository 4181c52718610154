namespace Fabric.Core.Aggregates.Nodes;

/// <summary>Storage provider kinds Fabric implements (LINSTOR's DeviceProviderKind subset).</summary>
public enum ProviderKind
{
    Diskless,
    Lvm,
    LvmThin,
    Zfs,
    ZfsThin,
    File,
    FileThin,
}

public static class ProviderKinds
{
    private static readonly Dictionary<string, ProviderKind> ByApiName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["DISKLESS"] = ProviderKind.Diskless,
        ["LVM"] = ProviderKind.Lvm,
        ["LVM_THIN"] = ProviderKind.LvmThin,
        ["ZFS"] = ProviderKind.Zfs,
        ["ZFS_THIN"] = ProviderKind.ZfsThin,
        ["FILE"] = ProviderKind.File,
        ["FILE_THIN"] = ProviderKind.FileThin,
    };

    /// <summary>Kinds LINSTOR knows that Fabric does not implement; named in errors so users know why.</summary>
    private static readonly HashSet<string> KnownButUnsupported = new(StringComparer.OrdinalIgnoreCase)
    {
        "SPDK", "REMOTE_SPDK", "EBS_INIT", "EBS_TARGET", "STORAGE_SPACES", "STORAGE_SPACES_THIN", "EXOS", "OPENFLEX_TARGET",
    };

    public static string Accepted => string.Join(", ", ByApiName.Keys);

    public static ProviderKind? Parse(string? text) =>
        text is not null && ByApiName.TryGetValue(text.Trim(), out var kind) ? kind : null;

    public static bool IsKnownButUnsupported(string? text) => text is not null && KnownButUnsupported.Contains(text.Trim());

    public static string ToApi(this ProviderKind kind) => kind switch
    {
        ProviderKind.Diskless => "DISKLESS",
        ProviderKind.Lvm => "LVM",
        ProviderKind.LvmThin => "LVM_THIN",
        ProviderKind.Zfs => "ZFS",
        ProviderKind.ZfsThin => "ZFS_THIN",
        ProviderKind.File => "FILE",
        ProviderKind.FileThin => "FILE_THIN",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool IsThin(this ProviderKind kind) => kind is ProviderKind.LvmThin or ProviderKind.ZfsThin or ProviderKind.FileThin;

    public static bool SupportsSnapshots(this ProviderKind kind) => kind is ProviderKind.LvmThin or ProviderKind.Zfs or ProviderKind.ZfsThin;

    /// <summary>The property naming the backing store (volume group, thin pool, zpool, directory).</summary>
    public const string BackingStoreProp = "StorDriver/StorPoolName";

    public static string BackingStoreExample(this ProviderKind kind) => kind switch
    {
        ProviderKind.Lvm => "the volume group, e.g. 'vg0'",
        ProviderKind.LvmThin => "the volume group and thin pool, e.g. 'vg0/thin'",
        ProviderKind.Zfs or ProviderKind.ZfsThin => "the zpool, e.g. 'tank'",
        ProviderKind.File or ProviderKind.FileThin => "the directory, e.g. '/var/lib/fabric/pool1'",
        _ => "nothing",
    };

    /// <summary>LINSTOR's static traits of a pool.</summary>
    public static IReadOnlyDictionary<string, string> StaticTraits(this ProviderKind kind) => kind == ProviderKind.Diskless
        ? new Dictionary<string, string> { ["SupportsSnapshots"] = "false" }
        : new Dictionary<string, string>
        {
            ["Provisioning"] = kind.IsThin() ? "Thin" : "Fat",
            ["SupportsSnapshots"] = kind.SupportsSnapshots() ? "true" : "false",
        };
}
