using System.Globalization;

namespace Fabric.Bench.Cli;

/// <summary>Options of one subcommand: "--name value" or "--name=value"; unknown names are an error.</summary>
public sealed class BenchArguments
{
    private readonly Dictionary<string, string> _values;

    private BenchArguments(Dictionary<string, string> values) => _values = values;

    public static BenchArguments Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> allowed)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? arg[..eq] : arg;
            if (!allowed.Contains(name))
            {
                throw new ArgumentException($"Unknown option '{arg}'. Allowed: {string.Join(", ", allowed)}.");
            }
            if (eq > 0)
            {
                values[name] = arg[(eq + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                values[name] = args[++i];
            }
            else
            {
                throw new ArgumentException($"Option '{name}' needs a value.");
            }
        }
        return new BenchArguments(values);
    }

    public string? Text(string name) => _values.GetValueOrDefault(name);

    public int Int(string name, int fallback, int min = 1)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            throw new ArgumentException($"{name} must be an integer >= {min}, not '{text}'.");
        }
        return value;
    }

    public bool Flag(string name) => _values.TryGetValue(name, out var text) && text is "true" or "1" or "yes";
}
