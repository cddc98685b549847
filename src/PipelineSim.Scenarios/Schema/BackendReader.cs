using PipelineSim.Core.Connect;
using PipelineSim.Spec;
using PipelineSim.Scenarios.Reading;
using PipelineSim.Scenarios.Values;

namespace PipelineSim.Scenarios.Schema;

/// <summary><c>kind: backend</c>: a Pyroscope server, with the model's defaults.</summary>
internal static class BackendReader
{
    public static BackendSpec Read(ReadContext context, MappingReader m, string name)
    {
        var d = new BackendSpec { Name = name };
        var spec = d with
        {
            Latency = m.Optional("latency", d.Latency, Kinds.Distribution(Dimension.Time)),
            Concurrency = m.Optional("concurrency", d.Concurrency, Kinds.Int, Check.AtLeast(0)),
            QueueCapacity = m.Optional("queue_capacity", d.QueueCapacity, Kinds.Int, Check.AtLeast(0)),
            QueueFullCode = m.Optional("queue_full_code", d.QueueFullCode, SpecKinds.Code),
            Errors = context.ReadMappings(m.Sequence("errors")).Select(ReadErrorRate).ToList(),
            RateLimit = m.Mapping("rate_limit") is { } limit ? ReadRateLimit(limit) : d.RateLimit,
            Outages = context.ReadMappings(m.Sequence("outages")).Select(ReadOutage).ToList(),
            KeepAlive = KeepAliveReader.Read(m.Mapping("keep_alive"), d.KeepAlive),
            ServerIdleTimeout = m.Optional("server_idle_timeout", d.ServerIdleTimeout, Kinds.Duration, Check.Positive),
            ServerWriteTimeout = m.Optional("server_write_timeout", d.ServerWriteTimeout, Kinds.Duration, Check.Positive),
            ServerReadTimeout = m.Optional("server_read_timeout", d.ServerReadTimeout, Kinds.Duration, Check.Positive),
            MaxRequestBodyBytes = (long)m.Optional("max_request_body", d.MaxRequestBodyBytes, SpecKinds.ByteAmount,
                v => v >= 1 ? null : "must be at least 1 byte"),
        };
        m.Finish();
        return spec;
    }

    private static ErrorRateSpec ReadErrorRate(MappingReader m)
    {
        var spec = new ErrorRateSpec(
            m.RequiredValue("code", SpecKinds.Code) ?? ConnectCode.Unknown,
            m.RequiredValue("probability", Kinds.Number, Check.Between(0, 1)) ?? 0);
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
        double rate = m.RequiredValue("rate", amount, v => v > 0 ? null : "must be greater than 0") ?? 1;
        var spec = new RateLimitSpec(rate, m.Optional("burst", rate, amount, Check.NonNegativeNumber), unit);
        m.Finish();
        return spec;
    }

    private static OutageSpec ReadOutage(MappingReader m)
    {
        var spec = new OutageSpec(
            m.RequiredValue("start", Kinds.Duration, Check.NonNegative) ?? TimeSpan.Zero,
            m.RequiredValue("duration", Kinds.Duration, Check.Positive) ?? TimeSpan.Zero,
            m.Optional("mode", OutageMode.Unavailable, SpecKinds.OutageMode));
        m.Finish();
        return spec;
    }
}
