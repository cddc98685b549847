using PipelineSim.Core.Options;
using PipelineSim.Spec;
using static PipelineSim.Model.Tests.Pipelines;

namespace PipelineSim.Model.Tests;

/// <summary>Connection rules checked against what Go does (the fidelity fixes of issue 9).</summary>
public class ConnectionFidelityTests
{
    /// <summary>
    /// One agent straight to pyroscope over a 3 s round trip with a 2 s remote_timeout: every attempt gives up before
    /// its dial completes, and the dial goes on (Go ≥ 1.23 detached dials), finishing after its request is gone.
    /// </summary>
    private static PipelineSpec LateDials(bool disableKeepAlives) => new()
    {
        Name = "late-dials",
        Duration = M(2),
        Seed = 3,
        Sources = [new SourceSpec { Name = "agents", Count = 1, ProfilesPerPush = 1, To = "w1" }],
        Components =
        [
            Writer("w1", "http://pyroscope:4040", e => e with
            {
                RemoteTimeout = S(2),
                Transport = e.Transport with { DisableKeepAlives = disableKeepAlives },
            }),
            Pyroscope(),
        ],
        Links = [new LinkSpec { From = "w1", To = "pyroscope", Rtt = S(3) }],
    };

    [Fact]
    public void With_keep_alives_a_dial_that_completes_after_its_request_gave_up_serves_a_later_attempt()
    {
        var sink = new RecordingSink();
        SimulationRun.Execute(LateDials(disableKeepAlives: false), sink);
        Assert.Contains(sink.AttemptsOf("w1"), a => a.Reused);
    }

    [Fact]
    public void Without_keep_alives_such_a_connection_is_closed_never_handed_on_or_pooled()
    {
        var sink = new RecordingSink();
        SimulationRun.Execute(LateDials(disableKeepAlives: true), sink);
        var attempts = sink.AttemptsOf("w1").ToList();
        Assert.NotEmpty(attempts);
        Assert.DoesNotContain(attempts, a => a.Reused);
        // Each connection carries at most one request.
        var used = attempts.Where(a => a.ConnectionId >= 0).Select(a => a.ConnectionId).ToList();
        Assert.Equal(used.Count, used.Distinct().Count());
    }
}
