using System.Globalization;
using System.Text;

namespace Fabric.Bench.Reporting;

/// <summary>One measured figure.</summary>
public sealed record Figure(string Metric, double Value, string Unit, string? Note = null);

/// <summary>Everything one run measured, with the conditions it ran under.</summary>
public sealed class BenchReport(string benchmark, IReadOnlyDictionary<string, string> parameters)
{
    public string Benchmark { get; } = benchmark;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.Now;

    public IReadOnlyDictionary<string, string> Parameters { get; } = parameters;

    public MachineInfo MachineAtStart { get; } = MachineInfo.Capture();

    public MachineInfo? MachineAtEnd { get; private set; }

    public List<Figure> Figures { get; } = [];

    public List<string> Notes { get; } = [];

    public void Add(string metric, double value, string unit, string? note = null) => Figures.Add(new Figure(metric, value, unit, note));

    public void Note(string text)
    {
        Notes.Add(text);
        Console.WriteLine($"  note: {text}");
    }

    public void Finish() => MachineAtEnd = MachineInfo.Capture();

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### {Benchmark} ({StartedAt:yyyy-MM-dd HH:mm})");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Parameters: {string.Join(", ", Parameters.Select(p => $"{p.Key}={p.Value}"))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {MachineAtStart.ProcessorCount} cores, {MachineAtStart.Os}, .NET {MachineAtStart.Runtime}, {MachineAtStart.Configuration}, commit {MachineAtStart.GitCommit}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Load average (1/5/15 min): {MachineAtStart.LoadAverage} at start, {MachineAtEnd?.LoadAverage ?? "?"} at end");
        text.AppendLine();
        text.AppendLine("| Metric | Value | Unit | Note |");
        text.AppendLine("|---|---:|---|---|");
        foreach (var f in Figures)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {f.Metric} | {Format(f.Value)} | {f.Unit} | {f.Note} |");
        }
        if (Notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in Notes)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }
        return text.ToString();
    }

    private static string Format(double value) =>
        Math.Abs(value) >= 100 || value == Math.Floor(value)
            ? value.ToString("#,##0.#", CultureInfo.InvariantCulture)
            : value.ToString("0.###", CultureInfo.InvariantCulture);
}
