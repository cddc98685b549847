using PipelineSim.Alloy.Evaluation;
using PipelineSim.Alloy.Syntax;
using PipelineSim.Core.Options;

namespace PipelineSim.Alloy.Config;

/// <summary>
/// Reads the profile pipeline out of Alloy files: sources, writers (endpoints with Alloy's defaults from Core's
/// <see cref="WriteEndpointOptions"/>), receivers (<see cref="ReceiveHttpOptions"/>), the <c>forward_to</c> graph
/// (through relabel and enrich), and which receiver each endpoint reaches, joined by URL and listen address across
/// files. Also finds what Alloy would reject, what is incomplete, assumed or not modelled.
/// </summary>
public static class PipelineReader
{
    private const int MaxForwardDepth = 32;

    public static PyroscopePipeline Read(AlloyConfig config)
    {
        var pipeline = new PyroscopePipeline { Config = config };
        var writers = new Dictionary<string, WriterModel>(StringComparer.Ordinal);
        foreach (var node in config.Components.Where(c => c.Kind == Kinds.Write))
        {
            var writer = ReadWriter(pipeline, node);
            writers[node.Id] = writer;
            pipeline.Writers.Add(writer);
        }
        foreach (var node in config.Components)
        {
            if (node.Kind == Kinds.ReceiveHttp) pipeline.Receivers.Add(ReadReceiver(pipeline, node, writers));
            else if (Kinds.IsSource(node.Kind)) pipeline.Sources.Add(ReadSource(pipeline, node, writers));
            else if (Kinds.IsPassThrough(node.Kind))
            {
                pipeline.NotModelled.Add(new Unmodelled(node.At, node.Id,
                    $"{node.Kind} (changes labels only; profiles pass through unchanged in timing)"));
            }
        }
        JoinEndpointsToReceivers(pipeline);
        foreach (string key in config.Inputs.Settings.Keys.Where(k => !pipeline.SettingsUsed.Contains(k)).Order(StringComparer.Ordinal))
        {
            pipeline.Problems.Add(new ConfigProblem(new SourcePosition("--set", 1, 1), Severity.Error,
                $"--set {key}: no attribute PipelineSim reads has this path (like pyroscope.write.LABEL.endpoint.remote_timeout " +
                "or pyroscope.receive_http.LABEL.http.conn_limit)"));
        }
        ReportPlaceholders(pipeline);
        foreach (var writer in pipeline.Writers.Where(w => w.FedBy.Count == 0))
        {
            pipeline.Incomplete.Add(new IncompleteComponent(writer.Component, writer.Component.At,
                "nothing in these files forwards to it (no source or receiver lists its receiver)", AlloyRejects: false));
        }
        return pipeline;
    }

    private static WriterModel ReadWriter(PyroscopePipeline pipeline, ComponentNode node)
    {
        var writer = new WriterModel(node);
        var view = new BlockView(pipeline, node, node.Block, node.Id);
        view.CheckNames(KnownNames.Write);
        var endpoints = view.Blocks("endpoint");
        foreach (var block in endpoints) writer.Endpoints.Add(ReadEndpoint(pipeline, writer, new BlockView(pipeline, node, block, $"{node.Id}.endpoint")));
        if (endpoints.Count == 0)
        {
            pipeline.Incomplete.Add(new IncompleteComponent(node, node.At, "no endpoint block: it sends nowhere", AlloyRejects: false));
        }
        view.Single("tracing");
        return writer;
    }

    private static EndpointModel ReadEndpoint(PyroscopePipeline pipeline, WriterModel writer, BlockView view)
    {
        var node = writer.Component;
        view.CheckNames(KnownNames.WriteEndpoint);
        string? url = view.String("url", "no url");
        var d = new WriteEndpointOptions { Url = url ?? "" };
        var options = d with
        {
            Name = view.String("name", "\"\"") ?? d.Name,
            RemoteTimeout = view.Duration("remote_timeout", d.RemoteTimeout),
            MinBackoffPeriod = view.Duration("min_backoff_period", d.MinBackoffPeriod),
            MaxBackoffPeriod = view.Duration("max_backoff_period", d.MaxBackoffPeriod),
            MaxBackoffRetries = view.Int("max_backoff_retries", d.MaxBackoffRetries),
            RetryOnHttp429 = view.Bool("retry_on_http_429", d.RetryOnHttp429),
            EnableHttp2 = view.Bool("enable_http2", d.EnableHttp2),
            FollowRedirects = view.Bool("follow_redirects", d.FollowRedirects),
            ProxyFromEnvironment = view.Bool("proxy_from_environment", d.ProxyFromEnvironment),
        };
        var endpoint = new EndpointModel(writer, view.Block.At, options);
        foreach (string name in view.AttributeNames) endpoint.Given[name] = view.PositionOf(name)!.Value;

        if (!view.Has("url"))
        {
            pipeline.Incomplete.Add(new IncompleteComponent(node, view.Block.At, "missing required attribute \"url\" in endpoint", AlloyRejects: true));
            pipeline.Problems.Add(new ConfigProblem(view.Block.At, Severity.Error, "missing required attribute \"url\""));
        }
        else if (url is not null)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") endpoint.Url = uri;
            else view.Error(view.PositionOf("url") ?? view.Block.At, $"url: \"{url}\" is not an http:// or https:// URL");
        }

        // prometheus/common HTTPClientConfig.Validate: one way to authenticate at most.
        string[] auth = ["basic_auth", "authorization", "oauth2", "bearer_token", "bearer_token_file"];
        var used = auth.Where(a => view.Has(a) || view.Blocks(a).Count > 0).ToList();
        if (used.Count > 1)
        {
            view.Error(view.Block.At, "at most one of basic_auth, authorization, oauth2, bearer_token & bearer_token_file must be configured");
        }
        foreach (string single in new[] { "basic_auth", "authorization", "oauth2", "tls_config" }) view.Single(single);
        foreach (string a in used)
        {
            pipeline.NotModelled.Add(new Unmodelled(view.PositionOf(a) ?? view.Blocks(a)[0].At, node.Id, $"authentication ({a})"));
        }
        foreach (var tls in view.Blocks("tls_config")) pipeline.NotModelled.Add(new Unmodelled(tls.At, node.Id, "TLS settings (tls_config)"));
        foreach (string proxy in new[] { "proxy_url", "no_proxy", "proxy_from_environment", "proxy_connect_header" }.Where(view.Has))
        {
            pipeline.NotModelled.Add(new Unmodelled(view.PositionOf(proxy)!.Value, node.Id, $"an HTTP proxy ({proxy}): the model connects directly"));
        }
        return endpoint;
    }

    private static ReceiverModel ReadReceiver(PyroscopePipeline pipeline, ComponentNode node, Dictionary<string, WriterModel> writers)
    {
        var view = new BlockView(pipeline, node, node.Block, node.Id);
        view.CheckNames(KnownNames.ReceiveHttp);
        var http = view.SingleOrEmpty("http");
        http.CheckNames(KnownNames.ServerHttp);
        var http2 = http.SingleOrEmpty("http2");
        var d = new ReceiveHttpOptions();
        var options = d with
        {
            ListenAddress = http.String("listen_address", "all interfaces") ?? d.ListenAddress,
            ListenPort = http.Int("listen_port", d.ListenPort),
            ConnLimit = http.Int("conn_limit", d.ConnLimit),
            ServerReadTimeout = http.Duration("server_read_timeout", d.ServerReadTimeout),
            ServerWriteTimeout = http.Duration("server_write_timeout", d.ServerWriteTimeout),
            ServerIdleTimeout = http.Duration("server_idle_timeout", d.ServerIdleTimeout),
            GracefulShutdownTimeout = view.Duration("graceful_shutdown_timeout", d.GracefulShutdownTimeout),
            Http2Enabled = http2.Bool("enabled", d.Http2Enabled),
            DebugInfoUploadTimeout = view.Duration("debug_info_upload_timeout", d.DebugInfoUploadTimeout),
        };
        var receiver = new ReceiverModel(node, options);
        foreach (string name in http.AttributeNames) receiver.Given[name] = http.PositionOf(name)!.Value;
        foreach (string name in new[] { "conn_limit", "listen_port", "server_idle_timeout" }.Where(n => http.Has(n) && !receiver.Given.ContainsKey(n)))
        {
            receiver.Given[name] = node.At; // set with --set
        }
        foreach (var tls in http.Blocks("tls")) pipeline.NotModelled.Add(new Unmodelled(tls.At, node.Id, "TLS on the server (http.tls)"));
        foreach (var grpc in view.Blocks("grpc")) pipeline.NotModelled.Add(new Unmodelled(grpc.At, node.Id, "the gRPC server (grpc): receive_http serves pushes over HTTP"));

        var targets = ForwardTo(pipeline, node, view, writers, receiver.Through, depth: 0);
        if (targets is not null)
        {
            foreach (var writer in targets)
            {
                receiver.ForwardTo.Add(writer);
                writer.FedBy.Add(node);
            }
        }
        return receiver;
    }

    private static SourceModel ReadSource(PyroscopePipeline pipeline, ComponentNode node, Dictionary<string, WriterModel> writers)
    {
        var view = new BlockView(pipeline, node, node.Block, node.Id);
        var kind = node.Kind switch
        {
            Kinds.Ebpf => ProfileSourceKind.Ebpf,
            Kinds.Java => ProfileSourceKind.Java,
            _ => ProfileSourceKind.Scrape,
        };
        var fallback = ProfileSourceOptions.DefaultInterval(kind);
        TimeSpan interval;
        SourcePosition? at;
        if (node.Kind == Kinds.Java)
        {
            var profiling = view.SingleOrEmpty("profiling_config");
            interval = profiling.Duration("interval", fallback);
            at = profiling.PositionOf("interval");
        }
        else
        {
            string name = node.Kind == Kinds.Ebpf ? "collect_interval" : "scrape_interval";
            interval = view.Duration(name, fallback);
            at = view.PositionOf(name);
        }
        if (interval <= TimeSpan.Zero)
        {
            view.Error(at ?? node.At, "the interval must be greater than 0");
            interval = fallback;
        }
        var source = new SourceModel(node, new ProfileSourceOptions(kind, interval), at);
        if (!view.Has("targets"))
        {
            pipeline.Incomplete.Add(new IncompleteComponent(node, node.At, "missing required attribute \"targets\"", AlloyRejects: true));
        }
        var targets = ForwardTo(pipeline, node, view, writers, source.Through, depth: 0);
        if (targets is not null)
        {
            foreach (var writer in targets)
            {
                source.ForwardTo.Add(writer);
                writer.FedBy.Add(node);
            }
        }
        return source;
    }

    /// <summary>
    /// The writers a component's <c>forward_to</c> reaches, following relabel and enrich components on the way
    /// (recorded in <paramref name="through"/>). Null when forward_to is missing (reported).
    /// </summary>
    private static List<WriterModel>? ForwardTo(PyroscopePipeline pipeline, ComponentNode node, BlockView view,
        Dictionary<string, WriterModel> writers, List<ComponentNode> through, int depth)
    {
        if (!view.Has("forward_to"))
        {
            if (depth == 0)
            {
                pipeline.Incomplete.Add(new IncompleteComponent(node, node.At, "missing required attribute \"forward_to\"", AlloyRejects: true));
                pipeline.Problems.Add(new ConfigProblem(node.At, Severity.Error, $"{node.Title}: missing required attribute \"forward_to\""));
            }
            return null;
        }
        var at = view.PositionOf("forward_to") ?? node.At;
        var value = view.Value("forward_to");
        var elements = value switch
        {
            ArrayValue array => array.Elements,
            _ => [value!],
        };
        var found = new List<WriterModel>();
        foreach (var element in elements)
        {
            switch (element)
            {
                case ExportValue export when writers.TryGetValue(export.ComponentId, out var writer):
                    found.Add(writer);
                    break;
                case ExportValue export when pipeline.Config.Find(export.ComponentId) is { } next && Kinds.IsPassThrough(next.Kind):
                    if (depth >= MaxForwardDepth || through.Contains(next))
                    {
                        pipeline.Problems.Add(new ConfigProblem(at, Severity.Error, $"forward_to loops through {next.Title}"));
                        break;
                    }
                    through.Add(next);
                    var nextView = new BlockView(pipeline, next, next.Block, next.Id);
                    found.AddRange(ForwardTo(pipeline, next, nextView, writers, through, depth + 1) ?? []);
                    break;
                case ExportValue export:
                    pipeline.Problems.Add(new ConfigProblem(at, Severity.Note,
                        $"{node.Title}: forward_to {export.Describe()} is not a pyroscope.write, relabel or enrich; not followed"));
                    break;
                case UnknownValue unknown:
                    pipeline.Incomplete.Add(new IncompleteComponent(node, unknown.At,
                        $"forward_to refers to {unknown.What}", AlloyRejects: false));
                    break;
                default:
                    pipeline.Problems.Add(new ConfigProblem(at, Severity.Error,
                        $"{node.Title}: forward_to expects a list of receivers, got {element.Describe()}"));
                    break;
            }
        }
        return found;
    }

    /// <summary>
    /// Which receiver each endpoint pushes to: same port, and a host the receiver can be reached at. Within one file
    /// (one Alloy process) that is a loopback address or the receiver's own listen address; another host name there
    /// is another machine. Across files (an agents' config and a receiver tier's) any host name reaches a receiver
    /// listening on all interfaces, since names cannot be resolved here. A writer never counts as pushing to a
    /// receiver that forwards to it (that would be a loop). The same file is preferred.
    /// </summary>
    private static void JoinEndpointsToReceivers(PyroscopePipeline pipeline)
    {
        foreach (var endpoint in pipeline.Endpoints.Where(e => e.Url is not null))
        {
            var url = endpoint.Url!;
            var candidates = pipeline.Receivers
                .Where(r => r.Options.ListenPort == url.Port && !r.ForwardTo.Contains(endpoint.Writer)
                            && Reaches(r, url, sameFile: r.Component.File == endpoint.Writer.Component.File))
                .OrderBy(r => r.Component.File == endpoint.Writer.Component.File ? 0 : 1)
                .ToList();
            endpoint.Target = candidates.FirstOrDefault();
            if (candidates.Count > 1)
            {
                pipeline.Assumptions.Add(new Assumption(endpoint.PositionOf("url"),
                    $"{url} could be any of {string.Join(", ", candidates.Select(c => c.Component.Title))}; took {candidates[0].Component.Title}"));
            }
        }
    }

    private static bool Reaches(ReceiverModel receiver, Uri url, bool sameFile)
    {
        string listen = receiver.Options.ListenAddress;
        bool all = listen is "" or "0.0.0.0" or "::" or "[::]";
        bool loopback = url.IsLoopback;
        if (listen == url.Host) return true;
        if (sameFile) return loopback && (all || listen is "127.0.0.1" or "localhost" or "::1");
        return all;
    }

    /// <summary><c>// ...</c> comments inside a component mark an excerpt (as in the troubleshooting guide's snippets).</summary>
    private static void ReportPlaceholders(PyroscopePipeline pipeline)
    {
        foreach (var file in pipeline.Config.Files)
        {
            foreach (var comment in file.Comments.Where(IsPlaceholder))
            {
                var owner = pipeline.Config.Components
                    .Where(c => c.File == file.Name && Contains(c.Block, comment.At))
                    .OrderByDescending(c => c.At.Line)
                    .FirstOrDefault();
                if (owner is null) continue;
                pipeline.Incomplete.Add(new IncompleteComponent(owner, comment.At,
                    $"placeholder \"{comment.Text.Trim()}\": the block is an excerpt, the rest of its configuration is not in the file",
                    AlloyRejects: false));
            }
        }
    }

    private static bool IsPlaceholder(Comment comment)
    {
        string text = comment.Text.TrimStart('/', '*').TrimEnd('/', '*').Trim();
        return text.StartsWith("...", StringComparison.Ordinal);
    }

    private static bool Contains(BlockStatement block, SourcePosition at) =>
        (at.Line > block.At.Line || (at.Line == block.At.Line && at.Column > block.At.Column)) &&
        (at.Line < block.End.Line || (at.Line == block.End.Line && at.Column < block.End.Column));
}
