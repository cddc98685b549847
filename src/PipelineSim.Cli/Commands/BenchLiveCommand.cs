using System.ComponentModel;
using System.Globalization;
using PipelineSim.Core.Options;
using PipelineSim.Live.Bench;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PipelineSim.Cli.Commands;

/// <summary><c>pipelinesim bench live</c>: the live receiver's requests per second against bare Kestrel.</summary>
internal sealed class BenchLiveCommand : AsyncCommand<BenchLiveCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--seconds <S>")]
        [Description("Measured seconds per server (after half a second of warm-up).")]
        [DefaultValue(3.0)]
        public double Seconds { get; init; } = 3.0;

        [CommandOption("--connections <N>")]
        [Description("Concurrent keep-alive client connections.")]
        [DefaultValue(16)]
        public int Connections { get; init; } = 16;

        [CommandOption("--conn-limit <N>")]
        [Description("The receiver's conn_limit (the limiter stays on; it must not be below --connections).")]
        [DefaultValue(ReceiveHttpOptions.DefaultConnLimit)]
        public int ConnLimit { get; init; } = ReceiveHttpOptions.DefaultConnLimit;

        public override ValidationResult Validate()
        {
            if (!(Seconds > 0) || Seconds > 600) return ValidationResult.Error($"--seconds: {Seconds} must be above 0 and at most 600");
            if (Connections < 1) return ValidationResult.Error($"--connections: {Connections} must be at least 1");
            if (ConnLimit < Connections)
                return ValidationResult.Error($"--conn-limit: {ConnLimit} is below --connections {Connections}; the bench would measure waiting");
            return ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var report = await AnsiConsole.Status().StartAsync("measuring", _ => ReceiverBench.RunAsync(new ReceiverBenchOptions
        {
            Duration = TimeSpan.FromSeconds(settings.Seconds),
            Connections = settings.Connections,
            ConnLimit = settings.ConnLimit,
        }, cancellationToken));

        var table = new Table().AddColumns("server", "requests", "requests/s");
        foreach (var result in new[] { report.Receiver, report.Bare })
        {
            table.AddRow(result.Server, result.Requests.ToString(CultureInfo.InvariantCulture),
                result.PerSecond.ToString("F0", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated(
            $"ratio {report.Ratio.ToString("F2", CultureInfo.InvariantCulture)} (target at least 0.80; {report.Connections} connections, conn_limit {report.ConnLimit}, loopback, on a shared machine)");
        return 0;
    }
}
