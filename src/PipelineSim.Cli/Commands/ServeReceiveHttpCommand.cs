using System.ComponentModel;
using PipelineSim.Core.Options;
using PipelineSim.Core.Time;
using PipelineSim.Live;
using PipelineSim.Live.Metrics;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Writer;
using Spectre.Console;
using Spectre.Console.Cli;
using static PipelineSim.Cli.Commands.LiveCommandSupport;

namespace PipelineSim.Cli.Commands;

/// <summary><c>pipelinesim serve receive-http</c>: a live pyroscope.receive_http a real Alloy can push to.</summary>
internal sealed class ServeReceiveHttpCommand : AsyncCommand<ServeReceiveHttpCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--listen <ADDRESS:PORT>")]
        [Description("Where to listen (receive_http's listen_address and listen_port).")]
        [DefaultValue("127.0.0.1:8080")]
        public string Listen { get; init; } = "127.0.0.1:8080";

        [CommandOption("--conn-limit <N>")]
        [Description("Accepted TCP connections at most; beyond it clients wait in the kernel's backlog. 0 = no limit.")]
        [DefaultValue(ReceiveHttpOptions.DefaultConnLimit)]
        public int ConnLimit { get; init; } = ReceiveHttpOptions.DefaultConnLimit;

        [CommandOption("--backlog <N>")]
        [Description("The listen(2) backlog. Default: the kernel's somaxconn, as Go uses.")]
        public int? Backlog { get; init; }

        [CommandOption("--read-timeout <DURATION>")]
        [DefaultValue("30s")]
        public string ReadTimeout { get; init; } = "30s";

        [CommandOption("--write-timeout <DURATION>")]
        [DefaultValue("30s")]
        public string WriteTimeout { get; init; } = "30s";

        [CommandOption("--idle-timeout <DURATION>")]
        [DefaultValue("120s")]
        public string IdleTimeout { get; init; } = "120s";

        [CommandOption("--max-body-bytes <N>")]
        [Description("Larger request bodies are answered 413.")]
        [DefaultValue(64L * 1024 * 1024)]
        public long MaxBodyBytes { get; init; } = 64L * 1024 * 1024;

        [CommandOption("--forward-to <URL>")]
        [Description("An endpoint of the pyroscope.write the receiver forwards to (repeatable). None: answer 200 and drop.")]
        public string[] ForwardTo { get; init; } = [];

        [CommandOption("--remote-timeout <DURATION>")]
        [Description("The forwarding writer's per-attempt timeout.")]
        [DefaultValue("10s")]
        public string RemoteTimeout { get; init; } = "10s";

        [CommandOption("--max-retries <N>")]
        [Description("The forwarding writer's max_backoff_retries (total attempts; 0 = forever).")]
        [DefaultValue(10)]
        public int MaxRetries { get; init; } = 10;

        [CommandOption("--metrics-listen <ADDRESS:PORT>")]
        [Description("Where GET /metrics is served (a port of its own, like Alloy's 12345).")]
        [DefaultValue("127.0.0.1:12345")]
        public string MetricsListen { get; init; } = "127.0.0.1:12345";

        public override ValidationResult Validate() => FirstProblem(
            CheckEndPoint("--listen", Listen),
            CheckEndPoint("--metrics-listen", MetricsListen),
            ConnLimit < 0 ? ValidationResult.Error($"--conn-limit: {ConnLimit} is negative") : null,
            Backlog < 1 ? ValidationResult.Error($"--backlog: {Backlog} must be at least 1") : null,
            MaxBodyBytes < 1 ? ValidationResult.Error($"--max-body-bytes: {MaxBodyBytes} must be at least 1") : null,
            MaxRetries < 0 ? ValidationResult.Error($"--max-retries: {MaxRetries} is negative") : null,
            CheckDuration("--read-timeout", ReadTimeout),
            CheckDuration("--write-timeout", WriteTimeout),
            CheckDuration("--idle-timeout", IdleTimeout),
            CheckDuration("--remote-timeout", RemoteTimeout, allowZero: false),
            ForwardTo.FirstOrDefault(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) is string bad
                ? ValidationResult.Error($"--forward-to: \"{bad}\" is not an http(s) URL") : null);
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var listen = EndPoint(settings.Listen);
        var live = new LiveContext { Warn = Console.Error.WriteLine };
        var options = new LiveReceiverOptions
        {
            Http = new ReceiveHttpOptions
            {
                ListenAddress = listen.Address.ToString(),
                ListenPort = listen.Port,
                ConnLimit = settings.ConnLimit,
                ServerReadTimeout = GoDuration.Parse(settings.ReadTimeout),
                ServerWriteTimeout = GoDuration.Parse(settings.WriteTimeout),
                ServerIdleTimeout = GoDuration.Parse(settings.IdleTimeout),
            },
            ListenBacklog = settings.Backlog,
            MaxRequestBodyBytes = settings.MaxBodyBytes,
        };
        await using var receiver = await LiveReceiver.StartAsync("pyroscope.receive_http.default", options, live, cancellationToken);
        await using var metrics = await MetricsServer.StartAsync(live.Metrics, EndPoint(settings.MetricsListen), cancellationToken);
        LiveWriter? writer = null;
        if (settings.ForwardTo.Length > 0)
        {
            writer = new LiveWriter("pyroscope.write.default", new WriteOptions
            {
                Endpoints = settings.ForwardTo.Select(url => new WriteEndpointOptions
                {
                    Url = url,
                    RemoteTimeout = GoDuration.Parse(settings.RemoteTimeout),
                    MaxBackoffRetries = settings.MaxRetries,
                }).ToList(),
            }, live);
            receiver.ForwardTo([writer]);
        }
        try
        {
            AnsiConsole.MarkupLineInterpolated($"receive_http listening on [bold]{receiver.BaseUri}[/] (conn_limit {settings.ConnLimit}, backlog {receiver.ListenBacklog})");
            AnsiConsole.MarkupLineInterpolated($"metrics on {metrics.MetricsUri}");
            AnsiConsole.MarkupLineInterpolated($"forwarding to {(settings.ForwardTo.Length == 0 ? "nothing (answers 200)" : string.Join(", ", settings.ForwardTo))}");
            AnsiConsole.MarkupLine("Ctrl+C to stop.");
            await WaitForStopAsync(cancellationToken);
        }
        finally
        {
            if (writer is not null) await writer.DisposeAsync();
        }
        return 0;
    }
}
