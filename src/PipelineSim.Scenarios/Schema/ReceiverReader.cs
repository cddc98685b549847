using PipelineSim.Core.Options;
using PipelineSim.Spec;
using PipelineSim.Scenarios.Reading;
using PipelineSim.Scenarios.Values;

namespace PipelineSim.Scenarios.Schema;

/// <summary>
/// <c>kind: pyroscope.receive_http</c>. Alloy's <c>http</c> block settings are written flat on the component
/// (<c>conn_limit: 16384</c>), with Alloy's defaults from Core's <see cref="ReceiveHttpOptions"/>; the
/// <c>http2</c> block stays nested as in Alloy. The reader checks only that each value is of its kind (a duration, a
/// whole number, a size); whether it is in range is <see cref="ReceiverSpec.Validate"/>'s to say, for the file and
/// the live receiver alike.
/// </summary>
internal static class ReceiverReader
{
    public static ReceiverSpec Read(ReadContext context, MappingReader m, string name)
    {
        var d = new ReceiverSpec { Name = name };
        var h = d.Http;
        var http2 = m.Mapping("http2");
        var spec = d with
        {
            ForwardTo = context.ReadReferences(m, "forward_to", name, [ComponentKinds.Write], carriesPushes: true),
            Http = h with
            {
                ConnLimit = m.Optional("conn_limit", h.ConnLimit, Kinds.Int),
                ServerReadTimeout = m.Optional("server_read_timeout", h.ServerReadTimeout, Kinds.Duration),
                ServerWriteTimeout = m.Optional("server_write_timeout", h.ServerWriteTimeout, Kinds.Duration),
                ServerIdleTimeout = m.Optional("server_idle_timeout", h.ServerIdleTimeout, Kinds.Duration),
                GracefulShutdownTimeout =
                    m.Optional("graceful_shutdown_timeout", h.GracefulShutdownTimeout, Kinds.Duration),
                Http2Enabled = http2?.Optional("enabled", h.Http2Enabled, Kinds.Bool) ?? h.Http2Enabled,
                Http2MaxConcurrentStreams =
                    http2?.Optional("max_concurrent_streams", h.Http2MaxConcurrentStreams, Kinds.Int)
                    ?? h.Http2MaxConcurrentStreams,
                Http2PingTimeout = http2?.Optional("ping_timeout", h.Http2PingTimeout, Kinds.Duration)
                    ?? h.Http2PingTimeout,
                Http2ReadIdleTimeout = http2?.Optional("read_idle_timeout", h.Http2ReadIdleTimeout, Kinds.Duration)
                    ?? h.Http2ReadIdleTimeout,
            },
            AcceptBacklog = m.Optional("accept_backlog", d.AcceptBacklog, Kinds.Int),
            KeepAlive = KeepAliveReader.Read(m.Mapping("keep_alive"), d.KeepAlive),
            HandlerTime = m.OptionalRef("handler_time", Kinds.Distribution(Dimension.Time)) ?? d.HandlerTime,
            MaxRequestBodyBytes = (long)m.Optional("max_request_body", d.MaxRequestBodyBytes, SpecKinds.ByteAmount),
        };
        http2?.Finish();
        m.Finish();
        ModelChecks.ReportFor(m, spec.Validate());
        return spec;
    }
}
