using System.ComponentModel;
using PipelineSim.Core.Time;
using PipelineSim.Live;
using PipelineSim.Live.Proxy;
using Spectre.Console;
using Spectre.Console.Cli;
using static PipelineSim.Cli.Commands.LiveCommandSupport;

namespace PipelineSim.Cli.Commands;

/// <summary><c>pipelinesim serve proxy</c>: a TCP fault proxy that plays a middlebox in front of an upstream.</summary>
internal sealed class ServeProxyCommand : AsyncCommand<ServeProxyCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--listen <ADDRESS:PORT>")]
        [DefaultValue("127.0.0.1:4041")]
        public string Listen { get; init; } = "127.0.0.1:4041";

        [CommandOption("--upstream <ADDRESS:PORT>")]
        [Description("Where every accepted connection is forwarded (required).")]
        public string? Upstream { get; init; }

        [CommandOption("--latency <DURATION>")]
        [Description("Added one way, in each direction.")]
        [DefaultValue("0s")]
        public string Latency { get; init; } = "0s";

        [CommandOption("--idle-timeout <DURATION>")]
        [Description("Forget a flow idle this long (then --mode decides what its next packet gets).")]
        public string? IdleTimeout { get; init; }

        [CommandOption("--mode <silent|reset>")]
        [Description("silent: drop a forgotten flow's packets; reset: answer them with RST.")]
        [DefaultValue("silent")]
        public string Mode { get; init; } = "silent";

        [CommandOption("--control <ADDRESS:PORT>")]
        [Description("Serve the HTTP control API here (loopback only): GET /flows, POST /break, /reset, /latency, /heal.")]
        public string? Control { get; init; }

        [CommandOption("--max-buffer-bytes <N>")]
        [Description("Bytes a flow buffers per direction before it stops reading from the sender (backpressure).")]
        [DefaultValue(1024 * 1024)]
        public int MaxBufferBytes { get; init; } = 1024 * 1024;

        public override ValidationResult Validate() => FirstProblem(
            CheckEndPoint("--listen", Listen),
            Control is null ? null : CheckEndPoint("--control", Control),
            Control is not null && TryParseEndPoint(Control, out var control) && !System.Net.IPAddress.IsLoopback(control.Address)
                ? ValidationResult.Error($"--control: {Control} is not a loopback address (the control API has no authentication)") : null,
            MaxBufferBytes < 1 ? ValidationResult.Error($"--max-buffer-bytes: {MaxBufferBytes} must be at least 1") : null,
            Upstream is null ? ValidationResult.Error("--upstream is required") : CheckEndPoint("--upstream", Upstream),
            CheckDuration("--latency", Latency),
            CheckDuration("--idle-timeout", IdleTimeout, allowZero: false),
            ParseMode(Mode) is null ? ValidationResult.Error($"--mode: \"{Mode}\" is neither silent nor reset") : null);

        public static FlowBreak? ParseMode(string mode) => mode.ToLowerInvariant() switch
        {
            "silent" => FlowBreak.Silent,
            "reset" => FlowBreak.Reset,
            _ => null,
        };
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var listen = EndPoint(settings.Listen);
        var options = new FaultProxyOptions
        {
            ListenAddress = listen.Address.ToString(),
            ListenPort = listen.Port,
            Latency = GoDuration.Parse(settings.Latency),
            IdleTimeout = settings.IdleTimeout is null ? null : GoDuration.Parse(settings.IdleTimeout),
            Mode = Settings.ParseMode(settings.Mode)!.Value,
            MaxBufferedBytesPerDirection = settings.MaxBufferBytes,
        };
        var live = new LiveContext { Warn = Console.Error.WriteLine };
        await using var proxy = FaultProxy.Start("proxy", options, EndPoint(settings.Upstream!), live);
        await using var control = settings.Control is null ? null : await FaultProxyControl.StartAsync(proxy, EndPoint(settings.Control), cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"proxy {proxy.EndPoint} -> {settings.Upstream} (latency {settings.Latency}, idle timeout {settings.IdleTimeout ?? "none"}, {settings.Mode})");
        if (control is not null) AnsiConsole.MarkupLineInterpolated($"control API on {control.BaseUri}");
        AnsiConsole.MarkupLine("Type [bold]break[/] (silently) or [bold]reset[/] to kill every open flow, [bold]latency 250ms[/], [bold]heal[/], [bold]stats[/]; Ctrl+C to stop.");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var commands = Task.Run(() => ReadCommands(proxy, stop.Token), CancellationToken.None);
        await WaitForStopAsync(cancellationToken);
        await stop.CancelAsync();
        AnsiConsole.MarkupLineInterpolated($"{proxy.FlowsOpened} flows, {proxy.FlowsBroken} broken");
        return 0;
    }

    /// <summary>One command per line on stdin; a closed stdin just ends the reading.</summary>
    private static void ReadCommands(FaultProxy proxy, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && Console.In.ReadLine() is string line)
        {
            string command = line.Trim().ToLowerInvariant();
            if (command.StartsWith("latency ", StringComparison.Ordinal))
            {
                string value = command["latency ".Length..].Trim();
                if (GoDuration.TryParse(value, out var latency, out string error) && latency >= TimeSpan.Zero)
                {
                    proxy.Latency = latency;
                    AnsiConsole.MarkupLineInterpolated($"latency {GoDuration.Format(latency)}");
                }
                else AnsiConsole.MarkupLineInterpolated($"latency: {(error.Length > 0 ? error : value + " is negative")}");
                continue;
            }
            switch (command)
            {
                case "break":
                    AnsiConsole.MarkupLineInterpolated($"broke {proxy.BreakAllFlows(FlowBreak.Silent)} flows silently");
                    break;
                case "reset":
                    AnsiConsole.MarkupLineInterpolated($"broke {proxy.BreakAllFlows(FlowBreak.Reset)} flows (RST on next use)");
                    break;
                case "heal":
                    proxy.Latency = proxy.ConfiguredLatency;
                    AnsiConsole.MarkupLineInterpolated($"healed: latency {GoDuration.Format(proxy.Latency)}");
                    break;
                case "stats":
                    AnsiConsole.MarkupLineInterpolated($"{proxy.OpenFlows} open, {proxy.FlowsOpened} opened, {proxy.FlowsBroken} broken");
                    break;
                case "":
                    break;
                default:
                    AnsiConsole.MarkupLineInterpolated($"unknown command \"{line}\" (break, reset, latency DURATION, heal, stats)");
                    break;
            }
        }
    }
}
