using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Server;
using PipelineSim.Spec;
using static PipelineSim.Model.Tests.Pipelines;

namespace PipelineSim.Model.Tests;

/// <summary>
/// Requests read from connections accepted after their client hung up: the simulator asks Core's
/// <see cref="HungUpClientRace"/> whether the handler forwards before Go cancels its context, and counts the duplicates.
/// </summary>
public class HungUpClientTests
{
    /// <summary>
    /// 200 agents against conn_limit 20 with a 5 s server idle timeout: connections wait in the backlog longer than w1's
    /// 10 s remote_timeout, their clients close, and slots that free up later accept them with the request and the FIN
    /// queued. w1 makes one attempt per push, so a w2 push that starts after its parent's only attempt ended was read
    /// after the client had hung up.
    /// </summary>
    private static PipelineSpec Overloaded(IDistribution? handlerTime = null)
    {
        var spec = ConnLimit(agents: 200, connLimit: 20, interval: S(15), serverIdle: S(5), duration: M(5));
        return spec with
        {
            Components =
            [
                .. spec.Components.Select(c => c switch
                {
                    WriterSpec { Name: "w1" } => Writer("w1", "http://r:8080", e => e with { MaxBackoffRetries = 1 }),
                    ReceiverSpec r => r with { HandlerTime = handlerTime },
                    _ => c,
                }),
            ],
        };
    }

    private static (List<PushRecord> Orphans, SimulationResult Result, RecordingSink Sink) Run(PipelineSpec spec)
    {
        var sink = new RecordingSink();
        var result = SimulationRun.Execute(spec, sink);
        var attemptOf = sink.AttemptsOf("w1").ToDictionary(a => a.PushId);
        // A parent whose attempt was still running at the end has no attempt record yet: its client had not hung up.
        var orphans = sink.PushesOf("w2")
            .Where(p => attemptOf.TryGetValue(p.ParentPushId!.Value, out var parent) && p.Start > parent.End).ToList();
        return (orphans, result, sink);
    }

    [Fact]
    public void Every_request_read_after_its_client_hung_up_is_counted_and_the_forwarded_ones_reach_the_backend()
    {
        var (orphans, result, _) = Run(Overloaded());
        var r = result.Receiver("r");

        Assert.True(r.RequestsAfterHangUp >= 100, $"only {r.RequestsAfterHangUp} requests read after a hang-up");
        Assert.Equal(r.RequestsAfterHangUp, orphans.Count);
        // Canceled ones fail at once with the context's code; the forwarded ones were sent and answered by pyroscope.
        var forwarded = orphans.Where(p => p.Code != ConnectCode.Canceled).ToList();
        Assert.Equal(r.DuplicateForwards, forwarded.Count);
        Assert.NotEmpty(forwarded);
        Assert.All(forwarded, p => Assert.Equal(1, p.Attempts));
        Assert.All(forwarded, p => Assert.NotEqual(PushResult.Failed, p.Result));
        Assert.All(orphans.Except(forwarded), p => Assert.Equal(p.Start, p.End));
    }

    [Fact]
    public void The_forwarded_share_follows_the_calibrated_chance()
    {
        var r = Run(Overloaded()).Result.Receiver("r");
        double p = HungUpClientRace.Go.EscapeProbability;
        double sigma = Math.Sqrt(p * (1 - p) / r.RequestsAfterHangUp);
        Assert.InRange(r.DuplicateForwards / (double)r.RequestsAfterHangUp, p - 4 * sigma, p + 4 * sigma);
    }

    [Fact]
    public void A_handler_that_decodes_for_milliseconds_is_always_canceled_first()
    {
        var (orphans, result, _) = Run(Overloaded(Distributions.Constant(0.005)));
        var r = result.Receiver("r");
        Assert.True(r.RequestsAfterHangUp > 0);
        Assert.Equal(0, r.DuplicateForwards);
        Assert.All(orphans, p => Assert.Equal(ConnectCode.Canceled, p.Code));
    }

    [Fact]
    public void The_metric_series_and_the_receiver_figures_agree_and_a_rerun_draws_the_same_race()
    {
        var (_, result, sink) = Run(Overloaded());
        var r = result.Receiver("r");
        double Last(string outcome) =>
            sink.Series(MetricNames.HungUpRequests, $"component_id=\"r\",outcome=\"{outcome}\"").Last().Value;
        Assert.Equal(r.DuplicateForwards, Last("forwarded"));
        Assert.Equal(r.RequestsAfterHangUp - r.DuplicateForwards, Last("canceled"));

        var again = Run(Overloaded()).Result.Receiver("r");
        Assert.Equal((r.RequestsAfterHangUp, r.DuplicateForwards), (again.RequestsAfterHangUp, again.DuplicateForwards));
    }
}
