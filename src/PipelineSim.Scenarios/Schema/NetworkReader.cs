using PipelineSim.Spec;
using PipelineSim.Scenarios.Reading;

namespace PipelineSim.Scenarios.Schema;

/// <summary><c>network:</c> the hosts' kernel TCP constants (Linux defaults).</summary>
internal static class NetworkReader
{
    public static NetworkSpec Read(MappingReader? m)
    {
        var d = NetworkSpec.Linux;
        if (m is null) return d;
        var initialRto = m.Optional("initial_rto", d.InitialRto, Kinds.Duration, Check.Positive);
        var spec = d with
        {
            DefaultRtt = m.Optional("default_rtt", d.DefaultRtt, Kinds.Duration, Check.NonNegative),
            InitialSynRto = m.Optional("initial_syn_rto", d.InitialSynRto, Kinds.Duration, Check.Positive),
            SynRetries = m.Optional("syn_retries", d.SynRetries, Kinds.Int, Check.AtLeast(0)),
            InitialRto = initialRto,
            MaxRto = m.Optional("max_rto", d.MaxRto, Kinds.Duration,
                value => value >= initialRto ? null : "must be at least initial_rto"),
            DataRetries = m.Optional("data_retries", d.DataRetries, Kinds.Int, Check.AtLeast(0)),
        };
        m.Finish();
        return spec;
    }
}
