using System.Globalization;
using Fabric.Node.Drbd.Config;

namespace Fabric.Node.Tests.Drbd.Config;

public sealed class DrbdMetadataSizeTests
{
    [Theory]
    // 64 MiB: 16384 bits = 2 KiB per bitmap; 3 bitmaps = 6 KiB, rounded to 8 KiB; + 4 KiB superblock + 32 KiB activity log.
    [InlineData(65536, 3, 44)]
    [InlineData(65536, 1, 40)]
    [InlineData(65536, 7, 52)]
    // 1 GiB: 32 KiB per bitmap.
    [InlineData(1048576, 1, 68)]
    [InlineData(1048576, 7, 260)]
    // 100 GiB: 3200 KiB per bitmap.
    [InlineData(104857600, 3, 9636)]
    public void Meta_data_is_superblock_activity_log_and_one_bitmap_per_peer_slot(long grossKiB, int peerSlots, long expectedKiB)
    {
        Assert.Equal(expectedKiB, DrbdMetadataSize.MetadataKiB(grossKiB, peerSlots));
        Assert.Equal(grossKiB - expectedKiB, DrbdMetadataSize.UsableKiB(grossKiB, peerSlots));
    }

    [Fact]
    public void Bitmaps_are_counted_in_64_bit_words_per_peer_before_rounding_to_4_KiB()
    {
        // 18692 KiB = 37384 sectors → 4673 bits, 74 words = 592 bytes per peer; 7 × 592 = 4144 bytes → 8 KiB.
        // (Without the per-peer word rounding it would be 7 × 585 = 4095 bytes → 4 KiB.)
        Assert.Equal(8192, DrbdMetadataSize.BitmapBytes(18692, 7));
    }

    [Fact]
    public void The_8_4_format_has_one_bitmap_whatever_the_peer_slots()
    {
        Assert.Equal(68, DrbdMetadataSize.MetadataKiB(1048576, 7, DrbdMetadataFormat.V08));
        Assert.Equal(DrbdMetadataSize.UsableKiB(1048576, 1), DrbdMetadataSize.UsableKiB(1048576, 31, DrbdMetadataFormat.V08));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1024, 7)]
    [InlineData(102400, 7)]
    [InlineData(1048576, 3)]
    [InlineData(1048508, 1)]
    [InlineData(1048509, 1)]
    [InlineData(10485761, 31)]
    public void Gross_size_is_the_smallest_device_whose_usable_size_suffices(long usableKiB, int peerSlots)
    {
        var gross = DrbdMetadataSize.GrossKiB(usableKiB, peerSlots);

        Assert.Equal(0, gross % 4);
        Assert.True(DrbdMetadataSize.UsableKiB(gross, peerSlots) >= usableKiB);
        Assert.True(DrbdMetadataSize.UsableKiB(gross - 4, peerSlots) < usableKiB);
    }

    [Fact]
    public void Usable_size_grows_monotonically_with_the_device()
    {
        var previous = 0L;
        for (var gross = 36L; gross < 300_000; gross += 4 * 97)
        {
            var usable = DrbdMetadataSize.UsableKiB(gross, 5);
            Assert.True(usable >= previous, $"usable({gross}) = {usable} < {previous}");
            previous = usable;
        }
    }

    [Fact]
    public void Peer_slots_outside_1_to_31_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DrbdMetadataSize.UsableKiB(1024, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DrbdMetadataSize.GrossKiB(1024, 32));
    }

    public static TheoryData<long, int> Layouts()
    {
        var data = new TheoryData<long, int>();
        long[] sizes = [65536, 65537, 65539, 18692, 1048576, 1048577, 5 * 1048576 + 3, 20 * 1048576];
        foreach (var size in sizes)
        {
            foreach (var peers in new[] { 1, 2, 3, 7, 31 })
            {
                data.Add(size, peers);
            }
        }
        return data;
    }

    [DrbdUtilsTheory]
    [MemberData(nameof(Layouts))]
    public void Drbdmeta_v09_reserves_what_the_formula_says(long grossKiB, int peerSlots)
    {
        using var image = new SparseImage(grossKiB);
        var layout = image.CreateMetadata("v09", peerSlots);

        Assert.Equal(DrbdMetadataSize.UsableKiB(grossKiB, peerSlots), layout.BitmapOffsetBytes / 1024);
        Assert.Equal(DrbdMetadataSize.MetadataKiB(grossKiB, peerSlots), grossKiB - layout.BitmapOffsetBytes / 1024);
        Assert.Equal(grossKiB * 1024 / 4096 * 4096 - DrbdMetadataSize.SuperblockBytes, layout.MetadataOffsetBytes);
        Assert.Equal(layout.MetadataOffsetBytes - DrbdMetadataSize.ActivityLogBytes, layout.ActivityLogOffsetBytes);
    }

    [DrbdUtilsTheory]
    [InlineData(65536)]
    [InlineData(65537)]
    [InlineData(1048577)]
    [InlineData(3 * 1048576 + 5)]
    public void Drbdmeta_v08_reserves_what_the_formula_says(long grossKiB)
    {
        using var image = new SparseImage(grossKiB);
        var layout = image.CreateMetadata("v08", peerSlots: null);

        Assert.Equal(DrbdMetadataSize.UsableKiB(grossKiB, 7, DrbdMetadataFormat.V08), layout.BitmapOffsetBytes / 1024);
    }

    [DrbdUtilsTheory]
    [InlineData(102400, 7)]
    [InlineData(1048576, 3)]
    [InlineData(1048509, 1)]
    public void A_device_of_the_gross_size_gives_the_usable_size_and_one_4_KiB_step_less_does_not(long usableKiB, int peerSlots)
    {
        var gross = DrbdMetadataSize.GrossKiB(usableKiB, peerSlots);

        using (var image = new SparseImage(gross))
        {
            Assert.True(image.CreateMetadata("v09", peerSlots).BitmapOffsetBytes / 1024 >= usableKiB);
        }
        using (var smaller = new SparseImage(gross - 4))
        {
            Assert.True(smaller.CreateMetadata("v09", peerSlots).BitmapOffsetBytes / 1024 < usableKiB);
        }
    }

    /// <summary>Offsets drbdmeta dump-md prints (absolute, in bytes): where the data area ends and meta-data begins.</summary>
    private sealed record MetadataLayout(long MetadataOffsetBytes, long ActivityLogOffsetBytes, long BitmapOffsetBytes);

    /// <summary>A sparse image file; drbdmeta works on it with --force (it is not a block device).</summary>
    private sealed class SparseImage : IDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("fabric-drbdmeta-");

        public SparseImage(long sizeKiB)
        {
            Path = System.IO.Path.Combine(_directory.FullName, "backing.img");
            using var file = File.Create(Path);
            file.SetLength(sizeKiB * 1024);
        }

        public string Path { get; }

        public MetadataLayout CreateMetadata(string format, int? peerSlots)
        {
            string[] create = peerSlots is { } slots
                ? ["--force", "1000", format, Path, "internal", "create-md", slots.ToString(CultureInfo.InvariantCulture)]
                : ["--force", "1000", format, Path, "internal", "create-md"];
            var created = DrbdUtils.Run(DrbdUtils.DrbdMeta!, create);
            Assert.True(created.ExitCode == 0, created.ToString());
            var dump = DrbdUtils.Run(DrbdUtils.DrbdMeta!, ["--force", "1000", format, Path, "internal", "dump-md"]);
            Assert.True(dump.ExitCode == 0, dump.ToString());
            return new MetadataLayout(Field(dump, "md_offset"), Field(dump, "al_offset"), Field(dump, "bm_offset"));
        }

        public void Dispose() => _directory.Delete(recursive: true);

        private static long Field(DrbdToolRun dump, string name)
        {
            var line = dump.Stdout.Split('\n').SingleOrDefault(l => l.StartsWith($"# {name} ", StringComparison.Ordinal));
            Assert.True(line is not null, $"dump-md printed no '# {name}':\n{dump}");
            return long.Parse(line[(name.Length + 3)..].Trim(), CultureInfo.InvariantCulture);
        }
    }
}
