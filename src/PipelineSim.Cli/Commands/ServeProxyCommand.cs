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

        public override ValidationResult Validate() => FirstProblem(
            CheckEndPoint("--listen", Listen),
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
        };
        await using var proxy = FaultProxy.Start("proxy", options, EndPoint(settings.Upstream!), new LiveContext());
        AnsiConsole.MarkupLineInterpolated($"proxy {proxy.EndPoint} -> {settings.Upstream} (latency {settings.Latency}, idle timeout {settings.IdleTimeout ?? "none"}, {settings.Mode})");
        AnsiConsole.MarkupLine("Type [bold]break[/] (silently) or [bold]reset[/] to kill every open flow, [bold]stats[/] for counts; Ctrl+C to stop.");

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
            switch (line.Trim().ToLowerInvariant())
            {
                case "break":
                    AnsiConsole.MarkupLineInterpolated($"broke {proxy.BreakAllFlows(FlowBreak.Silent)} flows silently");
                    break;
                case "reset":
                    AnsiConsole.MarkupLineInterpolated($"broke {proxy.BreakAllFlows(FlowBreak.Reset)} flows (RST on next use)");
                    break;
                case "stats":
                    AnsiConsole.MarkupLineInterpolated($"{proxy.OpenFlows} open, {proxy.FlowsOpened} opened, {proxy.FlowsBroken} broken");
                    break;
                case "":
                    break;
                default:
                    AnsiConsole.MarkupLineInterpolated($"unknown command \"{line}\" (break, reset, stats)");
                    break;
            }
        }
    }
}
