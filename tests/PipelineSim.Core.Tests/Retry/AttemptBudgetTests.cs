using PipelineSim.Core.Options;
using PipelineSim.Core.Retry;

namespace PipelineSim.Core.Tests.Retry;

/// <summary>
/// How many downstream attempts fit in an upstream deadline when each hangs until its own deadline and dskit draws
/// the longest waits: the arithmetic behind the timeout chain. Default backoff: the first wait is under 1 s, the
/// second under 2 s.
/// </summary>
public class AttemptBudgetTests
{
    private static WriteEndpointOptions Downstream(double remoteTimeoutSeconds, int retries = 10) =>
        new() { Url = "http://pyroscope:4040", RemoteTimeout = TimeSpan.FromSeconds(remoteTimeoutSeconds), MaxBackoffRetries = retries };

    [Theory]
    [InlineData(10, 10, 1)] // the guide's failure: one hanging attempt eats the whole budget
    [InlineData(10, 30, 2)] // option A: 10 + <1 + 10 = 21 s, a third would start after 23 s with 7 s left
    [InlineData(3, 10, 2)] // option B: 3 + <1 + 3 = 7 s, a third would start after 9 s with 1 s left
    [InlineData(3, 30, 5)] // both: 3 + <1 + 3 + <2 + 3 + <4 + 3 + <8 + 3 ends just before 30 s; no time for a sixth
    [InlineData(10, 9.9999999, 0)] // the first attempt alone is cut short by the parent
    public void Full_attempts_when_every_attempt_hangs(double downstream, double upstream, int expected)
    {
        Assert.Equal(expected, AttemptBudget.FullAttemptsWhenHanging(Downstream(downstream), TimeSpan.FromSeconds(upstream)));
    }

    [Fact]
    public void Max_backoff_retries_caps_the_attempts_whatever_the_budget()
    {
        Assert.Equal(1, AttemptBudget.FullAttemptsWhenHanging(Downstream(3, retries: 1), TimeSpan.FromSeconds(60)));
        Assert.Equal(3, AttemptBudget.FullAttemptsWhenHanging(Downstream(3, retries: 3), TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void The_guide_s_two_fixes_are_the_edges_of_one_retry()
    {
        // Raise upstream: two 10 s attempts and a wait of almost 1 s need 21 s in whole seconds.
        var raise = AttemptBudget.UpstreamForOneRetry(Downstream(10));
        Assert.Equal(TimeSpan.FromSeconds(21), raise);
        Assert.Equal(2, AttemptBudget.FullAttemptsWhenHanging(Downstream(10), raise));
        Assert.Equal(1, AttemptBudget.FullAttemptsWhenHanging(Downstream(10), raise - TimeSpan.FromSeconds(1)));

        // Lower downstream: the longest timeout in 100 ms steps whose two attempts and a wait fit in 10 s.
        var lower = AttemptBudget.DownstreamForOneRetry(Downstream(10), TimeSpan.FromSeconds(10))!.Value;
        Assert.Equal(2, AttemptBudget.FullAttemptsWhenHanging(Downstream(lower.TotalSeconds), TimeSpan.FromSeconds(10)));
        Assert.Equal(1, AttemptBudget.FullAttemptsWhenHanging(Downstream(lower.TotalSeconds + 0.1), TimeSpan.FromSeconds(10)));
    }
}
