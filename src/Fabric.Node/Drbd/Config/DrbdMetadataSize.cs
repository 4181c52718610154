namespace Fabric.Node.Drbd.Config;

/// <summary>Which on-disk meta-data format: v08 (DRBD 8.4, one bitmap) or v09 (DRBD 9, one bitmap per peer slot).</summary>
public enum DrbdMetadataFormat
{
    V08,
    V09,
}

/// <summary>
/// Pure: the space internal DRBD meta-data takes at the end of a backing device, as drbdmeta
/// lays it out (checked against the real drbdmeta in the tests). From the end of the device
/// (sizes in bytes, device size rounded down to 4 KiB): a 4 KiB superblock, a 32 KiB activity log
/// (1 stripe of 32 KiB, LINSTOR's default), then the bitmap. The bitmap has 1 bit per 4 KiB of the
/// <em>whole</em> device (sectors / 8, rounded up to 64 bits) per peer slot (v09) or once (v08),
/// and is rounded up to 4 KiB as a whole. Everything before the bitmap is the usable data.
/// </summary>
public static class DrbdMetadataSize
{
    public const long SuperblockBytes = 4096;

    public const long ActivityLogBytes = 32 * 1024;

    /// <summary>One bitmap bit covers this many bytes.</summary>
    public const long BytesPerBit = 4096;

    private const long SectorBytes = 512;

    /// <summary>Bytes of internal meta-data on a device of <paramref name="grossKiB"/> (everything past the usable data).</summary>
    public static long MetadataKiB(long grossKiB, int peerSlots, DrbdMetadataFormat format = DrbdMetadataFormat.V09) =>
        grossKiB - UsableKiB(grossKiB, peerSlots, format);

    /// <summary>The bitmap of a device of <paramref name="grossKiB"/>, in bytes (a multiple of 4 KiB).</summary>
    public static long BitmapBytes(long grossKiB, int peerSlots, DrbdMetadataFormat format = DrbdMetadataFormat.V09)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(grossKiB);
        var bitmaps = Bitmaps(peerSlots, format);
        var sectors = grossKiB * 1024 / SectorBytes;
        var bits = AlignUp(DivideUp(sectors, BytesPerBit / SectorBytes), 64);
        var bytes = bits / 8 * bitmaps;
        return AlignUp(bytes, 4096);
    }

    /// <summary>The size the DRBD device offers on a backing device of <paramref name="grossKiB"/>; 0 when it is too small.</summary>
    public static long UsableKiB(long grossKiB, int peerSlots, DrbdMetadataFormat format = DrbdMetadataFormat.V09)
    {
        var aligned = AlignDown(grossKiB * 1024, 4096);
        var usableBytes = aligned - SuperblockBytes - ActivityLogBytes - BitmapBytes(grossKiB, peerSlots, format);
        return Math.Max(0, usableBytes / 1024);
    }

    /// <summary>
    /// The smallest backing device (KiB, a multiple of 4) whose usable size is at least
    /// <paramref name="usableKiB"/>: create the backing volume this large.
    /// </summary>
    public static long GrossKiB(long usableKiB, int peerSlots, DrbdMetadataFormat format = DrbdMetadataFormat.V09)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(usableKiB, 1);
        Bitmaps(peerSlots, format);
        // The bitmap grows with the gross size, so grow the guess until it fits (two or three rounds),
        // then walk down while a smaller 4 KiB step still fits (the bitmap may have shrunk a step).
        var gross = AlignUp(usableKiB, 4) + (SuperblockBytes + ActivityLogBytes) / 1024;
        while (UsableKiB(gross, peerSlots, format) < usableKiB)
        {
            gross = AlignUp(usableKiB + MetadataKiB(gross, peerSlots, format), 4);
        }
        while (gross >= 4 && UsableKiB(gross - 4, peerSlots, format) >= usableKiB)
        {
            gross -= 4;
        }
        return gross;
    }

    private static int Bitmaps(int peerSlots, DrbdMetadataFormat format)
    {
        if (format == DrbdMetadataFormat.V08)
        {
            return 1;
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(peerSlots, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(peerSlots, DrbdConfigBuilder.MaxPeerSlots);
        return peerSlots;
    }

    private static long DivideUp(long value, long by) => (value + by - 1) / by;

    private static long AlignUp(long value, long to) => DivideUp(value, to) * to;

    private static long AlignDown(long value, long to) => value / to * to;
}
