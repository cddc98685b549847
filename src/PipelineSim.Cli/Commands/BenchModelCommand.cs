using System.ComponentModel;
using System.Globalization;
using PipelineSim.Analysis.Records;
using PipelineSim.Core.Records;
using PipelineSim.Model.Workloads;
using PipelineSim.Workloads;
using PipelineSim.Core.Time;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PipelineSim.Cli.Commands;

/// <summary>
/// <c>pipelinesim bench model</c>: the fleet workload (agents pushing every 15 s through an L4 balancer, two
/// receivers and one Pyroscope), simulated pushes per wall second. With <c>--out</c> the records are written as CSV
/// and as Parquet too (what <c>pipelinesim run</c> pays, in both of its record formats), and the sizes of both are
/// printed.
/// </summary>
public sealed class BenchModelCommand : Command<BenchModelCommand.Settings>
{
    /// <summary>Issue 3: 2.4 M pushes (10,000 agents, 15 s, 1 h) in at most 20 s.</summary>
    private const double TargetPushesPerSecond = 2_400_000 / 20.0;

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--agents <N>")]
        [Description("Agents in the fleet (default 10000).")]
        [DefaultValue(10_000)]
        public int Agents { get; init; } = 10_000;

        [CommandOption("--duration <DURATION>")]
        [Description("Simulated time, Go syntax (default 1h).")]
        [DefaultValue("1h")]
        public string Duration { get; init; } = "1h";

        [CommandOption("--receivers <N>")]
        [Description("Receivers behind the fleet's L4 balancer (default 2).")]
        [DefaultValue(2)]
        public int Receivers { get; init; } = 2;

        [CommandOption("--conn-limit <N>")]
        [Description("Each receiver's conn_limit, 0 for none (default 16384, Alloy's): size the tier so nothing saturates, or not.")]
        [DefaultValue(16384)]
        public int ConnLimit { get; init; } = 16384;

        [CommandOption("--backend-concurrency <N>")]
        [Description("Requests the fleet's Pyroscope serves at once (default 2048: room for about 40,000 agents).")]
        [DefaultValue(FleetTier.DefaultBackendConcurrency)]
        public int BackendConcurrency { get; init; } = FleetTier.DefaultBackendConcurrency;

        [CommandOption("--scale-table")]
        [Description("Run issue 14's four cases (10k x 1h; 100k x 1h unsaturated and saturated; 1M x 10m unsaturated), each in its own process, and print them side by side against their targets.")]
        public bool ScaleTable { get; init; }

        [CommandOption("--shrink <N>")]
        [Description("With --scale-table: divide every case's agents by N, for a quick look at the table (default 1).")]
        [DefaultValue(1)]
        public int Shrink { get; init; } = 1;

        [CommandOption("--json")]
        [Description("Print the measurement as one JSON line instead of the table (what --scale-table reads from each case).")]
        public bool Json { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Also write the records to DIR as CSV (pushes.csv, attempts.csv, metrics.csv) and Parquet (pushes.parquet, attempts.parquet), and print their sizes.")]
        public string? Out { get; init; }

        public override ValidationResult Validate()
        {
            if (Agents is < 1 or > 1_000_000) return ValidationResult.Error("--agents must be in [1, 1000000].");
            if (Receivers is < 1 or > 1000) return ValidationResult.Error("--receivers must be in [1, 1000].");
            if (ConnLimit < 0) return ValidationResult.Error("--conn-limit must not be negative (0 means none).");
            if (BackendConcurrency < 1) return ValidationResult.Error("--backend-concurrency must be at least 1.");
            if (Shrink < 1) return ValidationResult.Error("--shrink must be at least 1.");
            if (ScaleTable && Out is not null) return ValidationResult.Error("--scale-table writes no records: drop --out.");
            if (!GoDuration.TryParse(Duration, out var duration, out string error)) return ValidationResult.Error($"--duration: {error}");
            return duration > TimeSpan.Zero ? ValidationResult.Success() : ValidationResult.Error("--duration must be positive.");
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.ScaleTable) return ScaleTable.Run(settings.Shrink, cancellationToken);
        Model.BatchGc.Use(); // this process is one simulation (and a warm-up)
        var duration = GoDuration.Parse(settings.Duration);
        using var csv = settings.Out is null ? null : new CsvRecordSink(settings.Out);
        using var parquet = settings.Out is null ? null : new ParquetRecordSink(settings.Out);
        var tier = new FleetTier(settings.Receivers, settings.ConnLimit, settings.BackendConcurrency);
        // A signal stops the run between progress slices; the sinks, not completed, delete their partial files.
        var m = ModelBench.Fleet(settings.Agents, duration, csv is null ? null : new TeeRecordSink(csv, parquet!), tier, cancellationToken);
        csv?.Complete();
        parquet?.Complete();
        // The process's peak resident memory: the warm-up run is small, so the measured run sets it.
        long peak = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64;
        if (settings.Json)
        {
            Console.Out.WriteLine(ScaleMeasurement.From(m, tier, duration, peak).ToJson());
            return 0;
        }

        var table = new Table().AddColumns("agents", "receivers", "simulated", "pushes", "records", "events", "events/push",
            "wall s", "pushes/s", "events/s", "peak memory", "memory/agent", "allocated/push");
        table.AddRow(
            settings.Agents.ToString("N0", CultureInfo.InvariantCulture),
            Tier(tier, m),
            GoDuration.Format(duration),
            m.SourcePushes.ToString("N0", CultureInfo.InvariantCulture),
            (m.PushRecords + m.AttemptRecords).ToString("N0", CultureInfo.InvariantCulture),
            m.Events.ToString("N0", CultureInfo.InvariantCulture),
            m.EventsPerPush.ToString("0.0", CultureInfo.InvariantCulture),
            m.Wall.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture),
            m.PushesPerSecond.ToString("N0", CultureInfo.InvariantCulture),
            m.EventsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
            Megabytes(peak),
            (peak / (double)settings.Agents / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " KB",
            (m.SourcePushes == 0 ? 0 : m.AllocatedBytes / m.SourcePushes).ToString("N0", CultureInfo.InvariantCulture) + " B");
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model: {m.PushesPerSecond:N0} simulated pushes per wall second{(csv is null ? "" : " with CSV and Parquet output")} " +
            $"(target {TargetPushesPerSecond:N0}: 2.4 M pushes in 20 s)"));
        if (settings.Out is { } dir) AnsiConsole.WriteLine(RecordSizes(dir));
        return 0;
    }

    /// <summary>"2 x 16,384 (saturated: 2)": the tier and how many of its receivers reached their limit.</summary>
    private static string Tier(FleetTier tier, FleetMeasurement m)
    {
        string limit = tier.ConnLimit == 0 ? "no limit" : tier.ConnLimit.ToString("N0", CultureInfo.InvariantCulture);
        string saturated = m.SaturatedReceivers > 0 ? $" (saturated: {m.SaturatedReceivers})" : "";
        return $"{tier.Receivers} x {limit}{saturated}";
    }

    private static string Megabytes(long bytes) => (bytes / 1e6).ToString("N0", CultureInfo.InvariantCulture) + " MB";

    /// <summary>The push and attempt records' size in each format: <c>records: CSV 1,024.0 MB, Parquet 180.2 MB (5.7x smaller)</c>.</summary>
    internal static string RecordSizes(string directory)
    {
        long Size(params string[] files) => files.Sum(f => new FileInfo(Path.Combine(directory, f)).Length);
        long csv = Size(RunFiles.Pushes, RunFiles.Attempts);
        long parquet = Size(RunFiles.PushesParquet, RunFiles.AttemptsParquet);
        return string.Create(CultureInfo.InvariantCulture,
            $"records: CSV {csv / 1e6:N1} MB, Parquet {parquet / 1e6:N1} MB ({(double)csv / parquet:0.0}x smaller) in {directory}");
    }
}
