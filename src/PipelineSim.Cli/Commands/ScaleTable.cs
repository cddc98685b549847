using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PipelineSim.Core.Time;
using PipelineSim.Model.Workloads;
using PipelineSim.Workloads;
using Spectre.Console;

namespace PipelineSim.Cli.Commands;

/// <summary>What one <c>bench model --json</c> process measured: the figures of one row of the scale table.</summary>
internal sealed record ScaleMeasurement(
    int Agents, double DurationSeconds, int Receivers, int ConnLimit, int BackendConcurrency, int SaturatedReceivers,
    long Pushes, long Events, double WallSeconds, long PeakBytes, long AllocatedBytes, double GcPauseSeconds, int Gen2Collections)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static ScaleMeasurement From(FleetMeasurement m, FleetTier tier, TimeSpan duration, long peakBytes) => new(
        m.Agents, duration.TotalSeconds, tier.Receivers, tier.ConnLimit, tier.BackendConcurrency, m.SaturatedReceivers,
        m.SourcePushes, m.Events, m.Wall.TotalSeconds, peakBytes, m.AllocatedBytes, m.GcPause.TotalSeconds, m.Gen2Collections);

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static ScaleMeasurement? Parse(string line) => JsonSerializer.Deserialize<ScaleMeasurement>(line, Options);

    public double EventsPerSecond => Events / WallSeconds;
}

/// <summary>
/// <c>bench model --scale-table</c>: issue 14's cases measured side by side, each in a child process of its own so
/// each row's peak resident memory is its own (a process's peak only grows).
/// </summary>
internal static class ScaleTable
{
    public static int Run(int shrink, CancellationToken cancellation)
    {
        var cases = ScaleCases.All(shrink);
        string loadBefore = LoadAverage();
        var rows = new List<(ScaleCase Case, ScaleMeasurement M)>();
        foreach (var scaleCase in cases)
        {
            AnsiConsole.WriteLine($"running {scaleCase.Name}: {scaleCase.Agents:N0} agents x {GoDuration.Format(scaleCase.Duration)} ...");
            var m = Measure(scaleCase, cancellation);
            if (m is null) return 1;
            Console.Out.WriteLine(m.ToJson()); // unwrapped, each row as soon as it is measured: a long table stopped midway keeps its rows
            rows.Add((scaleCase, m));
        }

        var table = new Table().AddColumns("case", "agents", "tier", "pushes", "events",
            "ev/push", "wall s", "GC s", "events/s", "peak GiB", "KB/agent", "alloc/push", "target", "met");
        foreach (var (c, m) in rows)
        {
            string saturated = m.SaturatedReceivers > 0 ? $" ({m.SaturatedReceivers} saturated)" : "";
            bool? met = c.WallTarget is TimeSpan wall && c.MemoryTarget is long memory
                ? m.WallSeconds <= wall.TotalSeconds && m.PeakBytes <= memory
                : null;
            table.AddRow(
                c.Name,
                Invariant($"{m.Agents:N0} x {Short(c.Duration)}"),
                Invariant($"{m.Receivers} x {m.ConnLimit:N0}{saturated}, {m.BackendConcurrency:N0}"),
                Invariant($"{m.Pushes:N0}"),
                Invariant($"{m.Events:N0}"),
                Invariant($"{(double)m.Events / Math.Max(1, m.Pushes):0.0}"),
                Invariant($"{m.WallSeconds:0.0}"),
                Invariant($"{m.GcPauseSeconds:0.0} ({m.Gen2Collections} full)"),
                Invariant($"{m.EventsPerSecond:N0}"),
                Invariant($"{m.PeakBytes / (double)(1L << 30):0.00}"),
                Invariant($"{m.PeakBytes / 1024.0 / m.Agents:0.0}"),
                Invariant($"{m.AllocatedBytes / Math.Max(1, m.Pushes):N0} B"),
                c.WallTarget is TimeSpan w && c.MemoryTarget is long mem ? Invariant($"{w.TotalSeconds:0}s {mem >> 30}GiB") : "reference",
                met switch { true => "yes", false => "no", null => "" });
        }
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine("tier: receivers x conn_limit (how many reached it), backend concurrency; GC s: garbage-collection pauses within the wall time (full collections); KB/agent: peak memory per agent");

        var reference = rows.Single(r => r.Case.Name == "10k").M;
        var hundred = rows.Single(r => r.Case.Name == "100k unsaturated").M;
        double share = hundred.EventsPerSecond / reference.EventsPerSecond;
        AnsiConsole.WriteLine(Invariant(
            $"events/s at 100k unsaturated: {share:P0} of 10k's (target {ScaleCases.EventRateShareTarget:P0}): {(share >= ScaleCases.EventRateShareTarget ? "met" : "not met")}"));
        AnsiConsole.WriteLine($"machine: {Environment.ProcessorCount} cores; load average (1, 5, 15 min) before {loadBefore}, after {LoadAverage()}");
        if (shrink > 1) AnsiConsole.WriteLine($"agents divided by {shrink}: the targets are for the full sizes");
        return 0;
    }

    private static ScaleMeasurement? Measure(ScaleCase c, CancellationToken cancellation)
    {
        var start = SelfStart();
        foreach (string arg in (string[])["bench", "model", "--json",
            "--agents", Invariant($"{c.Agents}"), "--duration", GoDuration.Format(c.Duration),
            "--receivers", Invariant($"{c.Tier.Receivers}"), "--conn-limit", Invariant($"{c.Tier.ConnLimit}"),
            "--backend-concurrency", Invariant($"{c.Tier.BackendConcurrency}")])
            start.ArgumentList.Add(arg);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var child = Process.Start(start)!;
        using var stop = cancellation.Register(() => child.Kill(entireProcessTree: true));
        var stdout = child.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = child.StandardError.ReadToEndAsync(CancellationToken.None);
        child.WaitForExit();
        string last = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        if (child.ExitCode != 0 || !last.StartsWith('{'))
        {
            Console.Error.WriteLine($"bench model --scale-table: the {c.Name} case failed (exit {child.ExitCode}): {stderr.Result.Trim()}");
            return null;
        }
        return ScaleMeasurement.Parse(last);
    }

    /// <summary>This tool again: the apphost, or the dotnet host with this assembly.</summary>
    private static ProcessStartInfo SelfStart()
    {
        string host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(ScaleTable).Assembly.Location);
        return start;
    }

    /// <summary>"1h", "10m": the table's durations are whole hours or minutes.</summary>
    private static string Short(TimeSpan duration) =>
        duration.Ticks % TimeSpan.TicksPerHour == 0 ? Invariant($"{duration.TotalHours:0}h")
        : duration.Ticks % TimeSpan.TicksPerMinute == 0 ? Invariant($"{duration.TotalMinutes:0}m")
        : GoDuration.Format(duration);

    private static string LoadAverage()
    {
        try
        {
            string[] parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]}, {parts[1]}, {parts[2]}";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
