using System.Globalization;
using System.Text.RegularExpressions;

namespace Fabric.Node.Tests.Drbd.Netlink;

/// <summary>One family as iproute2's <c>genl ctrl list</c> prints it — the independent view our resolver is checked against.</summary>
internal sealed record GenlFamilyListing(string Name, int Id, int Version, int HeaderSize, int MaxAttributes, IReadOnlyList<int> Operations, IReadOnlyDictionary<string, int> Groups);

internal static partial class GenlCtrlList
{
    public static IReadOnlyList<GenlFamilyListing> Parse(string output)
    {
        var families = new List<GenlFamilyListing>();
        foreach (var block in output.Split("Name: ", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var name = lines[0].Trim();
            var head = Header().Match(block);
            if (name.Length == 0 || !head.Success)
            {
                continue;
            }
            var operations = new List<int>();
            var groups = new Dictionary<string, int>();
            var inGroups = false;
            foreach (var line in lines.Skip(1))
            {
                if (line.Contains("multicast groups:", StringComparison.Ordinal))
                {
                    inGroups = true;
                    continue;
                }
                var item = Item().Match(line);
                if (!item.Success)
                {
                    continue;
                }
                var id = Hex(item.Groups["id"].Value);
                if (inGroups && item.Groups["name"].Success)
                {
                    groups[item.Groups["name"].Value] = id;
                }
                else if (!inGroups)
                {
                    operations.Add(id);
                }
            }
            families.Add(new GenlFamilyListing(name, Hex(head.Groups["id"].Value), Hex(head.Groups["version"].Value),
                int.Parse(head.Groups["hdr"].Value, CultureInfo.InvariantCulture), int.Parse(head.Groups["max"].Value, CultureInfo.InvariantCulture),
                operations, groups));
        }
        return families;
    }

    private static int Hex(string text) => int.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"ID: (?<id>0x[0-9a-f]+)\s+Version: (?<version>0x[0-9a-f]+)\s+header size: (?<hdr>\d+)\s+max attribs: (?<max>\d+)")]
    private static partial Regex Header();

    [GeneratedRegex(@"^\s*#\d+:\s+ID-(?<id>0x[0-9a-f]+)(\s+name: (?<name>\S+))?")]
    private static partial Regex Item();
}
