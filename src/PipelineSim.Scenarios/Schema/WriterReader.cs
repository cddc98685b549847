using PipelineSim.Core.Options;
using PipelineSim.Spec;
using PipelineSim.Scenarios.Reading;
using PipelineSim.Scenarios.Yaml;

namespace PipelineSim.Scenarios.Schema;

/// <summary>
/// <c>kind: pyroscope.write</c>: Alloy's arguments with Alloy's defaults (taken from Core's option records, never
/// restated here), plus a <c>transport</c> block for the Go <c>http.Transport</c> settings Alloy does not expose.
/// Kinds only: the values are checked by <see cref="WriterSpec.Validate"/>, as for a writer read from config.alloy.
/// </summary>
internal static class WriterReader
{
    public static WriterSpec Read(ReadContext context, MappingReader m, string name)
    {
        var d = new WriteOptions();
        var endpoints = new List<WriteEndpointOptions>();
        var items = m.Sequence("endpoints", required: true);
        if (items.Count == 0 && m.Has("endpoints")) m.Report("endpoints", "needs at least one endpoint");
        foreach (var endpoint in context.ReadMappings(items)) endpoints.Add(ReadEndpoint(context, endpoint, name));

        var tracing = m.Mapping("tracing");
        var options = d with
        {
            Endpoints = endpoints,
            ExternalLabels = m.StringMap("external_labels"),
            JaegerPropagator = tracing?.Optional("jaeger_propagator", d.JaegerPropagator, Kinds.Bool) ?? d.JaegerPropagator,
            TraceContextPropagator =
                tracing?.Optional("trace_context_propagator", d.TraceContextPropagator, Kinds.Bool) ?? d.TraceContextPropagator,
        };
        tracing?.Finish();
        m.Finish();
        var spec = new WriterSpec { Name = name, Options = options };
        ModelChecks.ReportFor(m, spec.Validate());
        return spec;
    }

    private static WriteEndpointOptions ReadEndpoint(ReadContext context, MappingReader m, string writer)
    {
        string url = ReadUrl(context, m, writer);
        var d = new WriteEndpointOptions { Url = url };
        var transport = m.Mapping("transport");
        var endpoint = d with
        {
            Name = m.Optional("name", d.Name, Kinds.String),
            RemoteTimeout = m.Optional("remote_timeout", d.RemoteTimeout, Kinds.Duration),
            MinBackoffPeriod = m.Optional("min_backoff_period", d.MinBackoffPeriod, Kinds.Duration),
            MaxBackoffPeriod = m.Optional("max_backoff_period", d.MaxBackoffPeriod, Kinds.Duration),
            MaxBackoffRetries = m.Optional("max_backoff_retries", d.MaxBackoffRetries, Kinds.Int),
            RetryOnHttp429 = m.Optional("retry_on_http_429", d.RetryOnHttp429, Kinds.Bool),
            DebugInfoUploadTimeout = m.Optional("debug_info_upload_timeout", d.DebugInfoUploadTimeout, Kinds.Duration),
            Headers = m.StringMap("headers"),
            EnableHttp2 = m.Optional("enable_http2", d.EnableHttp2, Kinds.Bool),
            FollowRedirects = m.Optional("follow_redirects", d.FollowRedirects, Kinds.Bool),
            ProxyFromEnvironment = m.Optional("proxy_from_environment", d.ProxyFromEnvironment, Kinds.Bool),
            Transport = transport is null ? d.Transport : ReadTransport(transport, d.Transport),
        };
        m.Finish();
        return endpoint;
    }

    /// <summary>
    /// <c>url</c> names the component it talks to: <c>r</c>, <c>http://r</c>, <c>https://r:4040/base</c>. A bare
    /// name becomes <c>http://name</c>, the URL Alloy would label its metrics with.
    /// </summary>
    private static string ReadUrl(ReadContext context, MappingReader m, string writer)
    {
        string? url = m.Required("url", Kinds.String);
        if (url is null || m.Node("url") is not YamlScalar scalar) return "";
        int schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        string scheme = schemeEnd < 0 ? "http" : url[..schemeEnd];
        if (scheme is not ("http" or "https"))
        {
            context.Problems.Add(scalar.Start, m.ChildPath("url"), $"unsupported scheme \"{scheme}\" in \"{url}\" (expected http:// or https://)");
            return url;
        }
        int hostStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
        string host = EndpointUrl.TargetName(url);
        string rest = url[(hostStart + host.Length)..];
        var at = scalar.PositionAt(hostStart);
        if (!IsPortAndPath(rest))
        {
            context.Problems.Add(scalar.PositionAt(hostStart + host.Length), m.ChildPath("url"),
                $"malformed URL \"{url}\" (expected [http[s]://]component[:port][/path])");
        }
        else if (MappingReader.ReadValue(new YamlScalar(at, host, ScalarQuoting.Plain), m.ChildPath("url"), Kinds.Name, null, context.Problems, out _))
        {
            context.Graph.Refer(writer, host, at, m.ChildPath("url"), "url", ComponentKinds.Servers, carriesPushes: true);
        }
        return schemeEnd < 0 ? "http://" + url : url;
    }

    private static bool IsPortAndPath(string rest)
    {
        if (rest.StartsWith(':'))
        {
            int digits = 1;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits])) digits++;
            if (digits == 1) return false;
            rest = rest[digits..];
        }
        return rest.Length == 0 || rest[0] == '/';
    }

    private static HttpTransportOptions ReadTransport(MappingReader m, HttpTransportOptions d)
    {
        var transport = d with
        {
            MaxIdleConns = m.Optional("max_idle_conns", d.MaxIdleConns, Kinds.Int, Check.AtLeast(0)),
            MaxIdleConnsPerHost = m.Optional("max_idle_conns_per_host", d.MaxIdleConnsPerHost, Kinds.Int, Check.AtLeast(0)),
            IdleConnTimeout = m.Optional("idle_conn_timeout", d.IdleConnTimeout, Kinds.Duration, Check.Positive),
            DialTimeout = m.OptionalValue("dial_timeout", Kinds.Duration, Check.Positive) ?? d.DialTimeout,
            KeepAlive = KeepAliveReader.Read(m.Mapping("keep_alive"), d.KeepAlive),
            Http2ReadIdleTimeout = m.Optional("http2_read_idle_timeout", d.Http2ReadIdleTimeout, Kinds.Duration, Check.NonNegative),
            Http2PingTimeout = m.Optional("http2_ping_timeout", d.Http2PingTimeout, Kinds.Duration, Check.Positive),
            TlsHandshakeTimeout = m.Optional("tls_handshake_timeout", d.TlsHandshakeTimeout, Kinds.Duration, Check.Positive),
            DisableKeepAlives = m.Optional("disable_keep_alives", d.DisableKeepAlives, Kinds.Bool),
            MaxConnsPerHost = m.Optional("max_conns_per_host", d.MaxConnsPerHost, Kinds.Int, Check.AtLeast(0)),
            ResponseHeaderTimeout = m.OptionalValue("response_header_timeout", Kinds.Duration, Check.Positive) ?? d.ResponseHeaderTimeout,
            ExpectContinueTimeout = m.Optional("expect_continue_timeout", d.ExpectContinueTimeout, Kinds.Duration, Check.Positive),
        };
        m.Finish();
        return transport;
    }
}
