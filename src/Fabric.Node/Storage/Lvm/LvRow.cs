namespace Fabric.Node.Storage.Lvm;

/// <summary>One row of <c>lvs</c> output: name, size, attributes and (for thin volumes and pools) data use and pool.</summary>
internal sealed record LvRow(string Name, long SizeKiB, string Attr, decimal DataPercent, string PoolLv)
{
    /// <summary>The 5th lv_attr character is the state; 'a' means active (the block device exists).</summary>
    public bool IsActive => Attr.Length > 4 && Attr[4] == 'a';

    /// <summary>The 1st lv_attr character is the volume type; 't' is a thin pool.</summary>
    public bool IsThinPool => Attr.StartsWith('t');

    /// <summary>'V' is a thin volume.</summary>
    public bool IsThinVolume => Attr.StartsWith('V');

    /// <summary>
    /// Parses <c>lvs --noheadings --separator ';'</c> output with the columns
    /// lv_name, lv_size[, lv_attr[, data_percent[, pool_lv]]]; blank lines are skipped.
    /// </summary>
    public static IReadOnlyList<LvRow> Parse(string stdout)
    {
        var rows = new List<LvRow>();
        foreach (var line in SizeText.Lines(stdout))
        {
            var fields = line.Split(';');
            if (fields.Length < 2 || SizeText.TryParseKiB(fields[1]) is not { } size)
            {
                throw new FormatException($"Unexpected lvs output line: '{line}'");
            }
            rows.Add(new LvRow(
                fields[0].Trim(),
                size,
                fields.Length > 2 ? fields[2].Trim() : "",
                fields.Length > 3 ? SizeText.ParsePercent(fields[3]) : 0m,
                fields.Length > 4 ? fields[4].Trim() : ""));
        }
        return rows;
    }
}
