using PipelineSim.Core.Options;
using PipelineSim.Scenarios.Reading;

namespace PipelineSim.Scenarios.Schema;

/// <summary><c>keep_alive:</c> TCP keep-alive probes, on a writer's transport or a server's accepted connections.</summary>
internal static class KeepAliveReader
{
    public static TcpKeepAliveOptions Read(MappingReader? m, TcpKeepAliveOptions d)
    {
        if (m is null) return d;
        var options = d with
        {
            Enabled = m.Optional("enabled", d.Enabled, Kinds.Bool),
            Idle = m.Optional("idle", d.Idle, Kinds.Duration, Check.Positive),
            Interval = m.Optional("interval", d.Interval, Kinds.Duration, Check.Positive),
            Count = m.Optional("count", d.Count, Kinds.Int, Check.AtLeast(1)),
        };
        m.Finish();
        return options;
    }
}
