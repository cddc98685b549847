using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Spec;
using static PipelineSim.Model.Tests.Pipelines;

namespace PipelineSim.Model.Tests;

/// <summary>
/// The guide's "timeout chain": one deadline travels w1 -> r -> w2 in Connect-Timeout-Ms, so a w2 request stuck on
/// a silently broken idle connection eats the whole budget. Every w2 idle flow is dropped at 10 min.
/// </summary>
public class TimeoutChainTests
{
    private static (SimulationResult Result, RecordingSink Sink) Run(double? w1 = null, double? w2 = null, int? retries = null)
    {
        var sink = new RecordingSink();
        var spec = TimeoutChain(w1 is null ? null : S(w1.Value), w2 is null ? null : S(w2.Value), retries);
        return (SimulationRun.Execute(spec, sink), sink);
    }

    /// <summary>The w2 attempts that rode a connection broken by the fault: reused, and hanging until their deadline.</summary>
    private static List<AttemptRecord> HungOnBrokenConnections(RecordingSink sink) =>
        [.. sink.AttemptsOf("w2").Where(a => a.Code == ConnectCode.DeadlineExceeded && a.Reused && a.Start >= Core.Time.Instant.FromSeconds(600))];

    [Fact]
    public void With_defaults_w1_sees_deadline_exceeded_and_w2_never_gets_a_second_attempt()
    {
        var (result, sink) = Run();

        var hung = HungOnBrokenConnections(sink);
        Assert.NotEmpty(hung);
        // Each hung for exactly its deadline, which is the upstream one: w2 has no time of its own left.
        Assert.All(hung, a => Assert.Equal(a.Deadline.When, a.End));
        foreach (var attempt in hung)
        {
            var w2Push = sink.Pushes.Single(p => p.PushId == attempt.PushId);
            var w1Push = sink.Pushes.Single(p => p.PushId == w2Push.ParentPushId);
            var w1Attempt = sink.Attempts.Single(a => a.PushId == w1Push.PushId && a.Number == 1);
            // w2's deadline is w1's to within a millisecond: sent truncated to whole ms (9999), decoded by r when its
            // handler starts, half a round trip later.
            Assert.InRange((attempt.Deadline.When - w1Attempt.Deadline.When).TotalMilliseconds, -1, 1);
            Assert.Equal(ConnectCode.DeadlineExceeded, w1Attempt.Code);
        }

        var w2 = result.Writer("w2");
        Assert.Equal(1, w2.MaxAttempts);
        Assert.All(sink.PushesOf("w2").Where(p => p.Result == PushResult.Failed), p =>
        {
            Assert.Equal(1, p.Attempts);
            Assert.Equal(ConnectCode.DeadlineExceeded, p.Code);
            Assert.EndsWith("(1 retries): deadline_exceeded: context deadline exceeded", p.Error);
        });
        // The receiver answered 500 for those requests, but w1 had already given up.
        Assert.True(result.Receiver("r").RequestsFailed > 0);
        Assert.True(result.Writer("w1").Endpoints[0].AttemptsByCode["deadline_exceeded"] > 0);
        // w1 itself has no parent deadline and retries: the profiles still arrive, late.
        Assert.Equal(0, result.Writer("w1").Failed);
    }

    [Theory]
    [InlineData(30.0, null, null)] // raise the upstream timeout
    [InlineData(null, 3.0, null)]  // lower the downstream one
    [InlineData(25.0, 5.0, 3)]     // both, with max_backoff_retries 3
    public void Each_fix_delivers_through_a_w2_retry_without_a_w1_failure(double? w1, double? w2, int? retries)
    {
        var (result, sink) = Run(w1, w2, retries);

        var hung = HungOnBrokenConnections(sink);
        Assert.NotEmpty(hung);
        foreach (var attempt in hung)
        {
            var w2Push = sink.Pushes.Single(p => p.PushId == attempt.PushId);
            Assert.Equal(PushResult.Delivered, w2Push.Result);
            Assert.True(w2Push.Attempts >= 2);
            // The hung attempt ended at w2's own remote_timeout, well before the upstream deadline.
            Assert.Equal(attempt.Start + S(w2 ?? 10), attempt.End);
        }
        Assert.Equal(0, result.Writer("w1").Attempts - result.Writer("w1").Pushes + result.Writer("w1").InFlight);
        Assert.Equal(0, result.Writer("w1").Failed);
        Assert.Equal(0, result.Receiver("r").RequestsFailed);
        Assert.Equal(0, result.Conservation.Dropped);
    }

    [Fact]
    public void The_header_carries_the_time_left_when_the_attempt_starts_not_after_its_dial()
    {
        // connect-go writes Connect-Timeout-Ms before the transport dials (connectClient.NewConn), so a slow dial does
        // not come off the receiver's deadline. One agent over a fresh connection to r across a 1 s round trip: the
        // request reaches r's handler 1.5 s after the attempt started, with 9999 ms in its header.
        var spec = TimeoutChain(agents: 1, duration: S(20)) with
        {
            Links = [new LinkSpec { From = "w1", To = "r", Rtt = S(1) }],
            Faults = [],
        };
        var sink = new RecordingSink();
        SimulationRun.Execute(spec, sink);

        var w1Attempt = sink.AttemptsOf("w1").First();
        Assert.False(w1Attempt.Reused);
        var forwarded = sink.PushesOf("w2").Where(p => p.ParentPushId == w1Attempt.PushId).ToList();
        Assert.NotEmpty(forwarded);
        Assert.All(forwarded, p => Assert.Equal(w1Attempt.Start + S(1.5) + TimeSpan.FromMilliseconds(9999), p.ParentDeadline.When));
    }

    [Fact]
    public void Without_the_fault_nothing_fails()
    {
        var result = SimulationRun.Execute(TimeoutChain(dropAt: M(100)), new RecordingSink());
        Assert.Equal(0, result.Writer("w1").Failed + result.Writer("w2").Failed);
        Assert.Equal(result.Writer("w1").Pushes, result.Writer("w1").Attempts + result.Writer("w1").InFlight);
        Assert.Equal(result.Conservation.Created, result.Conservation.Delivered + result.Conservation.InFlight);
    }
}
