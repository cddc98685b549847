using System.ComponentModel;
using PipelineSim.Core.Options;
using PipelineSim.Core.Time;
using PipelineSim.Live;
using PipelineSim.Live.Metrics;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Writer;
using PipelineSim.Spec;
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
        [Description("The listen(2) backlog (a scenario's accept_backlog); Linux caps it at net.core.somaxconn.")]
        [DefaultValue(ReceiverSpec.DefaultAcceptBacklog)]
        public int Backlog { get; init; } = ReceiverSpec.DefaultAcceptBacklog;

        [CommandOption("--read-timeout <DURATION>")]
        [Description("server_read_timeout. Default: Alloy's.")]
        public string? ReadTimeout { get; init; }

        [CommandOption("--write-timeout <DURATION>")]
        [Description("server_write_timeout. Default: Alloy's.")]
        public string? WriteTimeout { get; init; }

        [CommandOption("--idle-timeout <DURATION>")]
        [Description("server_idle_timeout. Default: Alloy's.")]
        public string? IdleTimeout { get; init; }

        [CommandOption("--max-body-bytes <N>")]
        [Description("Larger request bodies are answered 413 resource_exhausted (a scenario's max_request_body).")]
        [DefaultValue(ReceiverSpec.DefaultMaxRequestBodyBytes)]
        public long MaxBodyBytes { get; init; } = ReceiverSpec.DefaultMaxRequestBodyBytes;

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

        public override ValidationResult Validate()
        {
            var problem = FirstProblem(
                CheckEndPoint("--listen", Listen),
                CheckEndPoint("--metrics-listen", MetricsListen),
                MaxRetries < 0 ? ValidationResult.Error($"--max-retries: {MaxRetries} is negative") : null,
                CheckDuration("--read-timeout", ReadTimeout),
                CheckDuration("--write-timeout", WriteTimeout),
                CheckDuration("--idle-timeout", IdleTimeout),
                CheckDuration("--remote-timeout", RemoteTimeout, allowZero: false),
                ForwardTo.FirstOrDefault(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) is string bad
                    ? ValidationResult.Error($"--forward-to: \"{bad}\" is not an http(s) URL") : null);
            if (!problem.Successful) return problem;
            // The values themselves are the receiver's to judge (ReceiverSpec.Validate), named here by their options.
            return ToSpec().Validate() is [var first, ..]
                ? ValidationResult.Error($"{OptionOf(first.Path)}: {first.Message}")
                : ValidationResult.Success();
        }

        /// <summary>The receiver's one option type, with a scenario receiver's defaults for everything not given here.</summary>
        public ReceiverSpec ToSpec()
        {
            var defaults = new ReceiverSpec { Name = "pyroscope.receive_http.default" };
            var http = defaults.Http;
            var listen = TryParseEndPoint(Listen, out var endPoint) ? endPoint : null;
            return defaults with
            {
                Http = http with
                {
                    ListenAddress = listen?.Address.ToString() ?? http.ListenAddress,
                    ListenPort = listen?.Port ?? http.ListenPort,
                    ConnLimit = ConnLimit,
                    ServerReadTimeout = DurationOr(ReadTimeout, http.ServerReadTimeout),
                    ServerWriteTimeout = DurationOr(WriteTimeout, http.ServerWriteTimeout),
                    ServerIdleTimeout = DurationOr(IdleTimeout, http.ServerIdleTimeout),
                },
                AcceptBacklog = Backlog,
                MaxRequestBodyBytes = MaxBodyBytes,
            };
        }

        private static TimeSpan DurationOr(string? text, TimeSpan fallback) =>
            text is not null && GoDuration.TryParse(text, out var value, out _) ? value : fallback;

        private static string OptionOf(string specPath) => specPath switch
        {
            "conn_limit" => "--conn-limit",
            "accept_backlog" => "--backlog",
            "server_read_timeout" => "--read-timeout",
            "server_write_timeout" => "--write-timeout",
            "server_idle_timeout" => "--idle-timeout",
            "max_request_body" => "--max-body-bytes",
            "listen_port" => "--listen",
            _ => specPath,
        };
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var live = new LiveContext { Warn = Console.Error.WriteLine };
        var spec = settings.ToSpec();
        await using var receiver = await LiveReceiver.StartAsync(spec, live, cancellationToken);
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
            AnsiConsole.MarkupLineInterpolated($"receive_http listening on [bold]{receiver.BaseUri}[/] (conn_limit {settings.ConnLimit}, backlog {receiver.ListenBacklog}, max body {spec.MaxRequestBodyBytes} bytes)");
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
