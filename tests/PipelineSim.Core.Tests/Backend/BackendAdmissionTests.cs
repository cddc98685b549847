using PipelineSim.Core.Backend;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Tests.Backend;

public class BackendAdmissionTests
{
    private static Instant S(double seconds) => Instant.FromSeconds(seconds);

    private static BackendAdmission<string> Admission(BackendRules rules) => new(rules);

    /// <summary>An outage from 10 s to 20 s: exactly at its start it applies, exactly at its end it no longer does.</summary>
    [Theory]
    [InlineData(9.9999999, OutageKind.Unavailable, BackendStep.Serve)]
    [InlineData(10, OutageKind.Unavailable, BackendStep.Reject)]
    [InlineData(19.9999999, OutageKind.Unavailable, BackendStep.Reject)]
    [InlineData(20, OutageKind.Unavailable, BackendStep.Serve)]
    [InlineData(10, OutageKind.Hang, BackendStep.Hang)]
    [InlineData(20, OutageKind.Hang, BackendStep.Serve)]
    [InlineData(15, OutageKind.Refuse, BackendStep.Serve)] // the driver refuses connections; a request that arrives is served
    public void Outage_windows_are_closed_at_the_start_and_open_at_the_end(double at, OutageKind kind, BackendStep expected)
    {
        var admission = Admission(new BackendRules { Outages = [new OutageWindow(S(10), S(20), kind)] });
        var verdict = admission.Arrive(S(at), "r", 100);
        Assert.Equal(expected, verdict.Step);
        if (expected == BackendStep.Reject) Assert.Equal(ConnectCode.Unavailable, verdict.Code);
    }

    [Fact]
    public void Overlapping_outages_are_decided_by_the_earliest_start()
    {
        var admission = Admission(new BackendRules
        {
            Outages = [new OutageWindow(S(0), S(10), OutageKind.Hang), new OutageWindow(S(5), S(15), OutageKind.Unavailable)],
        });
        Assert.Equal(BackendStep.Hang, admission.Arrive(S(7), "a", 1).Step);
        Assert.Equal(BackendStep.Reject, admission.Arrive(S(12), "b", 1).Step);
    }

    /// <summary>Rate 2/s, burst 2, one token a request: the bucket starts full and refills continuously.</summary>
    [Theory]
    [InlineData(new[] { 0.0, 0.0, 0.0 }, new[] { true, true, false })]
    [InlineData(new[] { 0.0, 0.0, 0.4999999 }, new[] { true, true, false })]
    [InlineData(new[] { 0.0, 0.0, 0.5 }, new[] { true, true, true })]
    [InlineData(new[] { 0.0, 0.0, 0.5, 0.5 }, new[] { true, true, true, false })]
    [InlineData(new[] { 0.0, 0.0, 10.0, 10.0, 10.0 }, new[] { true, true, true, true, false })] // refills only up to the burst
    public void The_token_bucket_admits_what_it_holds(double[] arrivals, bool[] admitted)
    {
        var admission = Admission(new BackendRules { RateLimit = new RateLimit(Rate: 2, Burst: 2, PerByte: false) });
        var answers = arrivals.Select((at, i) => admission.Arrive(S(at), $"r{i}", 1_000_000));
        Assert.Equal(admitted, answers.Select(v => v.Step == BackendStep.Serve));
        Assert.All(answers.Where(v => v.Step == BackendStep.Reject), v => Assert.Equal(ConnectCode.ResourceExhausted, v.Code));
    }

    [Fact]
    public void A_per_byte_rate_limit_charges_the_profile_bytes()
    {
        var admission = Admission(new BackendRules { RateLimit = new RateLimit(Rate: 1000, Burst: 1500, PerByte: true) });
        Assert.Equal(BackendStep.Serve, admission.Arrive(S(0), "a", 1000).Step);
        Assert.Equal(BackendStep.Reject, admission.Arrive(S(0), "b", 1000).Step); // 500 left
        Assert.Equal(BackendStep.Serve, admission.Arrive(S(0.5), "c", 1000).Step); // 500 + 500
    }

    [Fact]
    public void An_outage_answers_before_the_bucket_is_charged()
    {
        var admission = Admission(new BackendRules
        {
            RateLimit = new RateLimit(Rate: 1, Burst: 1, PerByte: false),
            Outages = [new OutageWindow(S(0), S(1), OutageKind.Unavailable)],
        });
        Assert.Equal(ConnectCode.Unavailable, admission.Arrive(S(0.5), "a", 1).Code);
        Assert.Equal(BackendStep.Serve, admission.Arrive(S(1), "b", 1).Step);
    }

    [Fact]
    public void Requests_beyond_the_concurrency_queue_in_arrival_order_until_the_queue_is_full()
    {
        var admission = Admission(new BackendRules { Concurrency = 2, QueueCapacity = 2, QueueFullCode = ConnectCode.ResourceExhausted });
        var steps = new[] { "a", "b", "c", "d", "e" }.Select(r => admission.Arrive(S(0), r, 1)).ToList();
        Assert.Equal([BackendStep.Serve, BackendStep.Serve, BackendStep.Queue, BackendStep.Queue, BackendStep.Reject], steps.Select(v => v.Step));
        Assert.Equal(ConnectCode.ResourceExhausted, steps[4].Code);
        Assert.Equal((2, 2), (admission.Serving, admission.Queued));

        Assert.True(admission.Finish(out var next));
        Assert.Equal("c", next);
        Assert.True(admission.Finish(out next));
        Assert.Equal("d", next);
        Assert.Equal((2, 0), (admission.Serving, admission.Queued));
        Assert.False(admission.Finish(out _));
        Assert.False(admission.Finish(out _));
        Assert.Equal(0, admission.Serving);
        Assert.Throws<InvalidOperationException>(() => admission.Finish(out _));
    }

    [Fact]
    public void Concurrency_zero_serves_everything_at_once()
    {
        var admission = Admission(new BackendRules { Concurrency = 0, QueueCapacity = 0 });
        Assert.All(Enumerable.Range(0, 100), i => Assert.Equal(BackendStep.Serve, admission.Arrive(S(0), $"r{i}", 1).Step));
        Assert.Equal(100, admission.Serving);
    }

    /// <summary>
    /// The fidelity fix: a request that gives up while queued frees its queue_capacity place at once and no longer
    /// counts as queued, so the next arrival waits instead of being answered the queue-full code.
    /// </summary>
    [Fact]
    public void A_request_that_gives_up_while_queued_frees_its_place()
    {
        var admission = Admission(new BackendRules { Concurrency = 1, QueueCapacity = 1 });
        Assert.Equal(BackendStep.Serve, admission.Arrive(S(0), "serving", 1).Step);
        Assert.Equal(BackendStep.Queue, admission.Arrive(S(0), "gives-up", 1).Step);

        Assert.True(admission.Withdraw("gives-up"));
        Assert.Equal(0, admission.Queued);
        Assert.Equal(BackendStep.Queue, admission.Arrive(S(1), "next", 1).Step);

        Assert.True(admission.Finish(out var next));
        Assert.Equal("next", next); // the one that gave up is never handed the slot
    }

    [Fact]
    public void Withdrawing_a_request_that_holds_a_slot_or_was_never_queued_is_refused()
    {
        var admission = Admission(new BackendRules { Concurrency = 1 });
        admission.Arrive(S(0), "a", 1);
        admission.Arrive(S(0), "b", 1);
        Assert.False(admission.Withdraw("a")); // serving
        Assert.False(admission.Withdraw("z")); // unknown
        Assert.True(admission.Finish(out _)); // b now holds the slot
        Assert.False(admission.Withdraw("b")); // so its driver must Finish it
        Assert.False(admission.Finish(out _));
        Assert.Equal(0, admission.Serving);
    }

    [Fact]
    public void A_reset_forgets_serving_and_queued_requests()
    {
        var admission = Admission(new BackendRules { Concurrency = 1 });
        admission.Arrive(S(0), "a", 1);
        admission.Arrive(S(0), "b", 1);
        admission.Reset();
        Assert.Equal((0, 0), (admission.Serving, admission.Queued));
        Assert.Equal(BackendStep.Serve, admission.Arrive(S(1), "b", 1).Step);
    }

    [Theory]
    [InlineData(0.0, ConnectCode.Unavailable)]
    [InlineData(0.2499999, ConnectCode.Unavailable)]
    [InlineData(0.25, ConnectCode.Internal)]
    [InlineData(0.4999999, ConnectCode.Internal)]
    [InlineData(0.5, ConnectCode.Ok)]
    [InlineData(0.9999999, ConnectCode.Ok)]
    public void The_error_draw_picks_the_first_share_whose_running_sum_exceeds_it(double u, ConnectCode expected)
    {
        var admission = Admission(new BackendRules
        {
            Errors = [new ErrorShare(ConnectCode.Unavailable, 0.25), new ErrorShare(ConnectCode.Internal, 0.25)],
        });
        Assert.Equal(expected, admission.DrawAnswer(() => u));
    }

    [Fact]
    public void Without_error_shares_no_randomness_is_drawn()
    {
        var admission = Admission(new BackendRules());
        Assert.Equal(ConnectCode.Ok, admission.DrawAnswer(() => throw new InvalidOperationException("drawn")));
    }
}
