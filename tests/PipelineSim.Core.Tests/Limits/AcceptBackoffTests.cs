using PipelineSim.Core.Limits;

namespace PipelineSim.Core.Tests.Limits;

public class AcceptBackoffTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void Waits_double_from_5ms_and_stop_at_1s()
    {
        var backoff = new AcceptBackoff();
        var waits = Enumerable.Range(0, 10).Select(_ => backoff.OnFailure(AcceptFailure.DescriptorsExhausted)).ToArray();
        Assert.Equal(
            new TimeSpan?[] { Ms(5), Ms(10), Ms(20), Ms(40), Ms(80), Ms(160), Ms(320), Ms(640), Ms(1000), Ms(1000) },
            waits);
        Assert.Equal(10, backoff.ConsecutiveFailures);
    }

    [Fact]
    public void A_successful_accept_starts_over_at_5ms()
    {
        var backoff = new AcceptBackoff();
        backoff.OnFailure(AcceptFailure.DescriptorsExhausted);
        backoff.OnFailure(AcceptFailure.DescriptorsExhausted);
        backoff.OnFailure(AcceptFailure.DescriptorsExhausted);
        backoff.OnAccepted();
        Assert.Equal((TimeSpan.Zero, 0), (backoff.CurrentDelay, backoff.ConsecutiveFailures));
        Assert.Equal(Ms(5), backoff.OnFailure(AcceptFailure.Interrupted));
    }

    [Theory]
    [InlineData(AcceptFailure.DescriptorsExhausted, true)]
    [InlineData(AcceptFailure.Interrupted, true)]
    [InlineData(AcceptFailure.TimedOut, true)]
    [InlineData(AcceptFailure.ConnectionAborted, true)]
    [InlineData(AcceptFailure.Other, false)]
    public void Only_temporary_errors_are_retried(AcceptFailure failure, bool retried)
    {
        var backoff = new AcceptBackoff();
        Assert.Equal(retried, AcceptBackoff.IsTemporary(failure));
        Assert.Equal(retried, backoff.OnFailure(failure) is not null);
    }

    [Fact]
    public void A_fatal_error_does_not_disturb_the_running_delay()
    {
        var backoff = new AcceptBackoff();
        backoff.OnFailure(AcceptFailure.DescriptorsExhausted);
        Assert.Null(backoff.OnFailure(AcceptFailure.Other));
        Assert.Equal(Ms(10), backoff.OnFailure(AcceptFailure.DescriptorsExhausted));
    }

    [Fact]
    public void A_connection_aborted_in_the_backlog_is_retried_at_once_without_backing_off()
    {
        var backoff = new AcceptBackoff();
        backoff.OnFailure(AcceptFailure.DescriptorsExhausted);
        Assert.Equal(TimeSpan.Zero, backoff.OnFailure(AcceptFailure.ConnectionAborted));
        Assert.Equal((Ms(5), 1), (backoff.CurrentDelay, backoff.ConsecutiveFailures));
    }
}
