using PipelineSim.Spec;
using System.ComponentModel;
using System.Globalization;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Time;
using PipelineSim.Kernel;
using PipelineSim.Live;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Metrics;
using PipelineSim.Scenarios.Values;
using Spectre.Console;
using Spectre.Console.Cli;
using static PipelineSim.Cli.Commands.LiveCommandSupport;

namespace PipelineSim.Cli.Commands;

/// <summary><c>pipelinesim serve backend</c>: a stand-in Pyroscope server with chosen latency and failures.</summary>
internal sealed class ServeBackendCommand : AsyncCommand<ServeBackendCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--listen <ADDRESS:PORT>")]
        [DefaultValue("127.0.0.1:4040")]
        public string Listen { get; init; } = "127.0.0.1:4040";

        [CommandOption("--latency <DISTRIBUTION>")]
        [Description("A scenario time distribution: 700ms, uniform(500ms, 1s), exponential(700ms), lognormal(700ms, 0.4), empirical([1s, 2s]). "
            + "Default: a scenario backend's, lognormal(700ms, 0.4).")]
        public string? Latency { get; init; }

        [CommandOption("--concurrency <N>")]
        [Description("Requests served at once; the rest queue. 0 = no limit.")]
        [DefaultValue(0)]
        public int Concurrency { get; init; }

        [CommandOption("--error <CODE=RATE>")]
        [Description("Fail a share of requests with a Connect code, e.g. unavailable=0.05 (repeatable).")]
        public string[] Errors { get; init; } = [];

        [CommandOption("--outage <FROM-TO>")]
        [Description("Fail everything (unavailable) in a window from the start, e.g. 1m-2m30s (repeatable).")]
        public string[] Outages { get; init; } = [];

        [CommandOption("--seed <N>")]
        [TypeConverter(typeof(SeedConverter))]
        [Description("Decides which requests fail and the latency draws.")]
        [DefaultValue(0UL)]
        public ulong Seed { get; init; }

        [CommandOption("--metrics-listen <ADDRESS:PORT>")]
        [Description("Also serve GET /metrics there.")]
        public string? MetricsListen { get; init; }

        public override ValidationResult Validate()
        {
            var problem = FirstProblem(
                CheckEndPoint("--listen", Listen),
                MetricsListen is null ? null : CheckEndPoint("--metrics-listen", MetricsListen),
                Latency is null || TryParseLatency(Latency, out _, out string latencyError) ? null : ValidationResult.Error($"--latency: {latencyError}"));
            if (!problem.Successful) return problem;
            foreach (string rule in Errors)
            {
                if (!TryParseError(rule, out _, out string error)) return ValidationResult.Error($"--error: {error}");
            }
            foreach (string window in Outages)
            {
                if (!TryParseOutage(window, out _, out string error)) return ValidationResult.Error($"--outage: {error}");
            }
            return ToSpec().Validate() is [var first, ..] ? ValidationResult.Error(first.ToString()) : ValidationResult.Success();
        }

        /// <summary>The backend's one option type, with a scenario backend's defaults for everything not given here.</summary>
        public BackendSpec ToSpec()
        {
            var defaults = new BackendSpec { Name = "backend" };
            return defaults with
            {
                Latency = Latency is not null && TryParseLatency(Latency, out var latency, out _) ? latency : defaults.Latency,
                Concurrency = Concurrency,
                Errors = Errors.Select(e => TryParseError(e, out var rule, out _) ? rule : null).OfType<ErrorRateSpec>().ToList(),
                Outages = Outages.Select(o => TryParseOutage(o, out var window, out _) ? window : null).OfType<OutageSpec>().ToList(),
            };
        }

        /// <summary>The scenario syntax (<see cref="DistributionSyntax"/>), so a backend started here draws as a scenario's does.</summary>
        private static bool TryParseLatency(string text, out IDistribution latency, out string error)
        {
            bool parsed = DistributionSyntax.TryParse(text, Dimension.Time, out latency, out var problem);
            error = parsed ? "" : problem.Message;
            return parsed;
        }

        private static bool TryParseError(string text, out ErrorRateSpec rule, out string error)
        {
            rule = new ErrorRateSpec(ConnectCode.Unavailable, 0);
            string[] parts = text.Split('=', 2);
            if (parts.Length != 2 || !ConnectCodes.TryParse(parts[0].Trim(), out var code) || code == ConnectCode.Ok)
            {
                error = $"\"{text}\" is not CODE=RATE with a Connect code such as unavailable or resource_exhausted";
                return false;
            }
            if (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) || rate is < 0 or > 1)
            {
                error = $"\"{text}\": the rate must be a number from 0 to 1";
                return false;
            }
            rule = new ErrorRateSpec(code, rate);
            error = "";
            return true;
        }

        private static bool TryParseOutage(string text, out OutageSpec window, out string error)
        {
            window = new OutageSpec(TimeSpan.Zero, TimeSpan.Zero);
            string[] parts = text.Split('-', 2);
            if (parts.Length != 2 || !GoDuration.TryParse(parts[0], out var from, out _) || !GoDuration.TryParse(parts[1], out var to, out _))
            {
                error = $"\"{text}\" is not FROM-TO in Go durations, like 1m-2m30s";
                return false;
            }
            window = new OutageSpec(from, to - from);
            error = "";
            return true;
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var live = new LiveContext(seed: settings.Seed) { Warn = Console.Error.WriteLine };
        var options = settings.ToSpec();
        await using var backend = await BackendStub.StartAsync(options, live, EndPoint(settings.Listen), cancellationToken: cancellationToken);
        await using var metrics = settings.MetricsListen is null
            ? null
            : await MetricsServer.StartAsync(live.Metrics, EndPoint(settings.MetricsListen), cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"backend listening on [bold]{backend.BaseUri}[/] (latency {settings.Latency ?? "lognormal(700ms, 0.4)"}, concurrency {(options.Concurrency == 0 ? "unlimited" : options.Concurrency)})");
        foreach (var rule in options.Errors) AnsiConsole.MarkupLineInterpolated($"fails {rule.Probability:P1} with {ConnectCodes.Name(rule.Code)}");
        foreach (var outage in options.Outages) AnsiConsole.MarkupLineInterpolated($"outage from {GoDuration.Format(outage.Start)} to {GoDuration.Format(outage.Start + outage.Duration)}");
        if (metrics is not null) AnsiConsole.MarkupLineInterpolated($"metrics on {metrics.MetricsUri}");
        AnsiConsole.MarkupLine("Ctrl+C to stop.");
        await WaitForStopAsync(cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"{backend.Requests} requests, {backend.ProfilesDelivered} profiles accepted");
        return 0;
    }
}
