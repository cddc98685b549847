using System.Text;
using System.Text.RegularExpressions;
using PipelineSim.Analysis.Records;
using ScottPlot;

namespace PipelineSim.Analysis.Plots;

[Flags]
public enum PlotFormats
{
    Png = 1,
    Svg = 2,
    Both = Png | Svg,
}

public sealed record PlotOptions
{
    public int Width { get; init; } = 1200;

    public int Height { get; init; } = 800;

    public PlotFormats Formats { get; init; } = PlotFormats.Png;

    /// <summary>
    /// Writer endpoints to plot at most, those with the most pushes first (ties by name): a fleet of thousands of
    /// writers would otherwise produce tens of thousands of files.
    /// </summary>
    public int MaxEndpoints { get; init; } = 24;

    /// <summary>
    /// Receivers to plot at most, those with the highest peak of accepted connections first (ties by name): metrics
    /// with hundreds of thousands of receiver series would otherwise take minutes and fill the disk with plots.
    /// </summary>
    public int MaxReceivers { get; init; } = 24;
}

/// <summary>The files a plot run wrote, and what it left out and why.</summary>
public sealed record PlotReport(IReadOnlyList<string> Files, IReadOnlyList<string> Notes);

/// <summary>
/// Renders every plot of a run into a directory as PNG and/or SVG. Names are
/// <c>endpoint_&lt;writer&gt;_&lt;endpoint&gt;_&lt;plot&gt;</c> and <c>receiver_&lt;name&gt;_&lt;plot&gt;</c>, with anything but
/// letters, digits, dots and dashes turned into dashes. The same records give the same files, byte for byte; each file
/// is written atomically, and plots a previous run left in the directory are removed first.
/// </summary>
public static partial class RunPlotter
{
    /// <summary>Reads <paramref name="runDirectory"/>'s record files and writes the plots into its <c>plots/</c>.</summary>
    /// <param name="context">The run's scenario, seed, duration and faults, when known (titles, time axes, fault marks).</param>
    public static PlotReport RenderDirectory(string runDirectory, PlotOptions options, PlotContext? context = null)
    {
        var data = RunPlotData.FromDirectory(runDirectory);
        var report = Render(data, Path.Combine(runDirectory, RunFiles.Plots), options, context);
        var notes = data.MissingFiles.Select(f => $"{f} not found: its plots are left out").Concat(report.Notes);
        return report with { Notes = [.. notes] };
    }

    public static PlotReport Render(RunPlotData data, string outputDirectory, PlotOptions options, PlotContext? context = null)
    {
        if (options.Width < 100 || options.Height < 100)
            throw new ArgumentOutOfRangeException(nameof(options), $"A plot is at least 100x100 pixels, not {options.Width}x{options.Height}.");
        if ((options.Formats & PlotFormats.Both) == 0)
            throw new ArgumentOutOfRangeException(nameof(options), "No plot format chosen.");

        Directory.CreateDirectory(outputDirectory);
        RemovePreviousPlots(outputDirectory);

        var files = new List<string>();
        var (plots, notes) = Plan(data, options, context);
        foreach (var (name, build) in plots)
        {
            using var plot = build();
            if (options.Formats.HasFlag(PlotFormats.Png))
            {
                string path = Path.Combine(outputDirectory, name + ".png");
                AtomicFile.Write(path, plot.GetImageBytes(options.Width, options.Height, ImageFormat.Png));
                files.Add(path);
            }
            if (options.Formats.HasFlag(PlotFormats.Svg))
            {
                string path = Path.Combine(outputDirectory, name + ".svg");
                AtomicFile.Write(path, Encoding.UTF8.GetBytes(StableSvg(plot.GetSvgXml(options.Width, options.Height))));
                files.Add(path);
            }
        }
        return new PlotReport(files, notes);
    }

    /// <summary>
    /// Every plot to draw, by file name (without extension), in a fixed order. A series that is zero throughout (no
    /// retries, an empty backlog, no SYN drops) gets no plot of flat zero but a note saying so.
    /// </summary>
    public static (IReadOnlyList<(string Name, Func<Plot> Build)> Plots, IReadOnlyList<string> Notes) Plan(
        RunPlotData data, PlotOptions options, PlotContext? context = null)
    {
        var frame = RunFrame.For(data, context ?? PlotContext.None);
        var plots = new List<(string, Func<Plot>)>();
        var notes = new List<string>();
        var names = new UniqueNames();

        var endpoints = data.Endpoints;
        var chosen = endpoints
            .OrderByDescending(e => e.Pushes)
            .ThenBy(e => e.Writer, StringComparer.Ordinal)
            .ThenBy(e => e.Endpoint, StringComparer.Ordinal)
            .Take(options.MaxEndpoints)
            .ToHashSet();
        if (chosen.Count < endpoints.Count)
            notes.Add($"plotted the {chosen.Count} writer endpoints with the most pushes, of {endpoints.Count}");

        foreach (var endpoint in endpoints.Where(chosen.Contains))
        {
            string stem = names.Claim($"endpoint_{Slug(endpoint.Writer)}_{Slug(endpoint.Endpoint)}");
            string name = $"{endpoint.Writer} → {endpoint.Endpoint}";
            if (!endpoint.WriteLatency.IsEmpty) plots.Add(($"{stem}_latency-over-time", () => Charts.LatencyOverTime(endpoint, frame)));
            plots.Add(($"{stem}_latency-histogram", () => Charts.LatencyHistogram(endpoint, frame.Context)));
            plots.Add(($"{stem}_latency-cdf", () => Charts.LatencyCdf(endpoint, frame.Context)));
            plots.Add(($"{stem}_attempts", () => Charts.AttemptsPerPush(endpoint, frame.Context)));
            if (endpoint.Retries.Total > 0) plots.Add(($"{stem}_retries", () => Charts.RetriesOverTime(endpoint, frame)));
            else if (!data.MissingFiles.Contains(RunFiles.Attempts)) notes.Add($"{name}: no retries, so no retries plot");
            plots.Add(($"{stem}_outcomes", () => Charts.OutcomesOverTime(endpoint, frame)));
        }
        var receivers = data.Receivers;
        var plottedReceivers = receivers
            .OrderByDescending(r => r.Connections.Count == 0 ? 0 : r.Connections.Max(p => p.Value))
            .ThenBy(r => r.Receiver, StringComparer.Ordinal)
            .Take(options.MaxReceivers)
            .ToHashSet();
        if (plottedReceivers.Count < receivers.Count)
            notes.Add($"plotted the {plottedReceivers.Count} receivers with the highest peak of accepted connections, of {receivers.Count}");
        foreach (var receiver in receivers.Where(plottedReceivers.Contains))
        {
            string stem = names.Claim($"receiver_{Slug(receiver.Receiver)}");
            plots.Add(($"{stem}_connections", () => Charts.ReceiverConnections(receiver, frame)));
            if (receiver.Backlog.Any(p => p.Value != 0)) plots.Add(($"{stem}_backlog", () => Charts.ReceiverBacklog(receiver, frame)));
            else if (receiver.Backlog.Count > 0) notes.Add($"{receiver.Receiver}: the accept backlog stayed empty, so no backlog plot");
            else notes.Add($"{receiver.Receiver}: no accept backlog samples, so no backlog plot");
            if (receiver.SynDropsTotal.Any(p => p.Value != 0)) plots.Add(($"{stem}_syn-drops", () => Charts.ReceiverSynDrops(receiver, frame)));
            else if (receiver.SynDropsTotal.Count > 0) notes.Add($"{receiver.Receiver}: no SYN drops, so no SYN drop plot");
            else notes.Add($"{receiver.Receiver}: no SYN drop samples, so no SYN drop plot");
        }
        if (data.Receivers.Count == 0) notes.Add("no receiver series in the metrics: no receiver plots");
        return (plots, notes);
    }

    /// <summary><c>http://r:4040/push</c> → <c>http-r-4040-push</c>.</summary>
    public static string Slug(string text)
    {
        var slug = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            bool keep = char.IsAsciiLetterOrDigit(c) || c == '.' || c == '-';
            if (keep) slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        string result = slug.ToString().Trim('-');
        return result.Length == 0 ? "unnamed" : result;
    }

    /// <summary>
    /// Skia numbers SVG clip paths from a counter shared by the whole process (hex: <c>cl_d</c> in one file, <c>cl_1e</c> in
    /// the next), so the same plot would differ between runs. Renumbers them per file, in order of appearance.
    /// </summary>
    internal static string StableSvg(string svg)
    {
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        return ClipPathReference().Replace(svg, match =>
        {
            string id = match.Groups["id"].Value;
            if (!numbers.TryGetValue(id, out int number)) numbers.Add(id, number = numbers.Count);
            return $"{match.Groups["before"].Value}cl_{number}{match.Groups["after"].Value}";
        });
    }

    [GeneratedRegex("""(?<before>id="|url\(#)cl_(?<id>[0-9a-fA-F]+)(?<after>"|\))""")]
    private static partial Regex ClipPathReference();

    private static void RemovePreviousPlots(string directory)
    {
        foreach (string pattern in new[] { "endpoint_*.png", "endpoint_*.svg", "receiver_*.png", "receiver_*.svg" })
        {
            foreach (string file in Directory.EnumerateFiles(directory, pattern)) File.Delete(file);
        }
    }

    /// <summary>Two endpoints whose slugs coincide get <c>-2</c>, <c>-3</c>, ... in the order they are planned.</summary>
    private sealed class UniqueNames
    {
        private readonly HashSet<string> taken = new(StringComparer.OrdinalIgnoreCase);

        public string Claim(string name)
        {
            string candidate = name;
            for (int n = 2; !taken.Add(candidate); n++) candidate = $"{name}-{n}";
            return candidate;
        }
    }
}
