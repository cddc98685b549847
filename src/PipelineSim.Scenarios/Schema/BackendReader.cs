using PipelineSim.Core.Connect;
using PipelineSim.Spec;
using PipelineSim.Scenarios.Reading;
using PipelineSim.Scenarios.Values;

namespace PipelineSim.Scenarios.Schema;

/// <summary>
/// <c>kind: backend</c>: a Pyroscope server, with the model's defaults. The reader checks that each value is of its
/// kind; the ranges (an error rate's probability and a rate limit's rate and burst included) are
/// <see cref="BackendSpec.Validate"/>'s.
/// </summary>
internal static class BackendReader
{
    public static BackendSpec Read(ReadContext context, MappingReader m, string name)
    {
        var d = new BackendSpec { Name = name };
        var spec = d with
        {
            Latency = m.Optional("latency", d.Latency, Kinds.Distribution(Dimension.Time)),
            Concurrency = m.Optional("concurrency", d.Concurrency, Kinds.Int),
            QueueCapacity = m.Optional("queue_capacity", d.QueueCapacity, Kinds.Int),
            QueueFullCode = m.Optional("queue_full_code", d.QueueFullCode, SpecKinds.Code),
            Errors = context.ReadMappings(m.Sequence("errors")).Select(ReadErrorRate).ToList(),
            RateLimit = m.Mapping("rate_limit") is { } limit ? ReadRateLimit(limit) : d.RateLimit,
            Outages = context.ReadMappings(m.Sequence("outages")).Select(ReadOutage).ToList(),
            KeepAlive = KeepAliveReader.Read(m.Mapping("keep_alive"), d.KeepAlive),
            ServerIdleTimeout = m.Optional("server_idle_timeout", d.ServerIdleTimeout, Kinds.Duration),
            ServerWriteTimeout = m.Optional("server_write_timeout", d.ServerWriteTimeout, Kinds.Duration),
            ServerReadTimeout = m.Optional("server_read_timeout", d.ServerReadTimeout, Kinds.Duration),
            MaxRequestBodyBytes = (long)m.Optional("max_request_body", d.MaxRequestBodyBytes, SpecKinds.ByteAmount),
        };
        m.Finish();
        ModelChecks.ReportFor(m, spec.Validate());
        return spec;
    }

    private static ErrorRateSpec ReadErrorRate(MappingReader m)
    {
        var spec = new ErrorRateSpec(
            m.RequiredValue("code", SpecKinds.Code) ?? ConnectCode.Unknown,
            m.RequiredValue("probability", Kinds.Number) ?? 0);
        m.Finish();
        return spec;
    }

    private static RateLimitSpec ReadRateLimit(MappingReader m)
    {
        var unit = m.Optional("unit", RateLimitUnit.Requests, Kinds.OneOf(("requests", RateLimitUnit.Requests), ("bytes", RateLimitUnit.Bytes)));
        // A byte rate is written as a size per second (4MiB); a request rate as a plain number.
        ValueKind<double> amount = unit == RateLimitUnit.Bytes
            ? SpecKinds.ByteAmount
            : Kinds.Number;
        double rate = m.RequiredValue("rate", amount) ?? 1;
        var spec = new RateLimitSpec(rate, m.Optional("burst", rate, amount), unit);
        m.Finish();
        return spec;
    }

    private static OutageSpec ReadOutage(MappingReader m)
    {
        var spec = new OutageSpec(
            m.RequiredValue("start", Kinds.Duration) ?? TimeSpan.Zero,
            m.RequiredValue("duration", Kinds.Duration) ?? TimeSpan.Zero,
            m.Optional("mode", OutageMode.Unavailable, SpecKinds.OutageMode));
        m.Finish();
        return spec;
    }
}
