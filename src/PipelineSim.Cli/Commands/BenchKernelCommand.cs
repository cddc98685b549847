using System.ComponentModel;
using System.Globalization;
using PipelineSim.Workloads;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PipelineSim.Cli.Commands;

/// <summary><c>pipelinesim bench kernel</c>: events per second of the kernel workloads against a bare heap.</summary>
public sealed class BenchKernelCommand : Command<BenchKernelCommand.Settings>
{
    /// <summary>Issue 2's targets, printed beside the figures so a reader sees at once whether they hold.</summary>
    private const double TargetEventsPerSecond = 10_000_000;
    private const double TargetShareOfHeap = 0.40;

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--scale <FACTOR>")]
        [Description("Multiplies the work per workload (default 1: about 5 million events each).")]
        [DefaultValue(1.0)]
        public double Scale { get; init; } = 1.0;

        public override ValidationResult Validate() =>
            Scale is > 0 and <= 100 ? ValidationResult.Success() : ValidationResult.Error("--scale must be in (0, 100].");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var figures = QuickBench.Kernel(settings.Scale);
        var heap = figures[^1];
        var table = new Table().AddColumns("workload", "events", "seconds", "M events/s", "bytes/event", "vs bare heap");
        foreach (var f in figures)
        {
            table.AddRow(
                f.Workload,
                f.Events.ToString("N0", CultureInfo.InvariantCulture),
                f.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture),
                (f.EventsPerSecond / 1e6).ToString("0.00", CultureInfo.InvariantCulture),
                f.BytesPerEvent.ToString("0.000", CultureInfo.InvariantCulture),
                (f.EventsPerSecond / heap.EventsPerSecond).ToString("P0", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);

        var big = figures[2]; // the timeout loop with n = 10,000
        double share = big.EventsPerSecond / heap.EventsPerSecond;
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"timeouts n=10,000: {big.EventsPerSecond / 1e6:0.0} M events/s (target {TargetEventsPerSecond / 1e6:0} M), " +
            $"{share:P0} of the bare heap (target {TargetShareOfHeap:P0}), {big.BytesPerEvent:0.000} bytes/event allocated (target 0)"));
        return 0;
    }
}
