using PipelineSim.Core.Connect;
using PipelineSim.Core.Retry;

namespace PipelineSim.Core.Tests.Retry;

public class RetryPolicyTests
{
    [Theory]
    [InlineData(ConnectCode.DeadlineExceeded, true)]
    [InlineData(ConnectCode.Unknown, true)]
    [InlineData(ConnectCode.Internal, true)]
    [InlineData(ConnectCode.Unavailable, true)]
    [InlineData(ConnectCode.DataLoss, true)]
    [InlineData(ConnectCode.Aborted, true)]
    [InlineData(ConnectCode.Canceled, false)]
    [InlineData(ConnectCode.InvalidArgument, false)]
    [InlineData(ConnectCode.NotFound, false)]
    [InlineData(ConnectCode.AlreadyExists, false)]
    [InlineData(ConnectCode.PermissionDenied, false)]
    [InlineData(ConnectCode.FailedPrecondition, false)]
    [InlineData(ConnectCode.OutOfRange, false)]
    [InlineData(ConnectCode.Unimplemented, false)]
    [InlineData(ConnectCode.Unauthenticated, false)]
    public void Connect_codes_retry_regardless_of_the_429_flag(ConnectCode code, bool retried)
    {
        var error = new ConnectError(code, "x");
        Assert.Equal(retried, RetryPolicy.ShouldRetry(error, retryOnHttp429: true));
        Assert.Equal(retried, RetryPolicy.ShouldRetry(error, retryOnHttp429: false));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Resource_exhausted_follows_the_429_flag(bool flag) =>
        Assert.Equal(flag, RetryPolicy.ShouldRetry(new ConnectError(ConnectCode.ResourceExhausted, "slow down"), flag));

    [Fact]
    public void The_context_deadline_is_retried() =>
        Assert.True(RetryPolicy.ShouldRetry(ConnectError.DeadlineExceeded, retryOnHttp429: false));

    [Theory]
    [InlineData(408, false, true)]
    [InlineData(429, true, true)]
    [InlineData(429, false, false)]
    [InlineData(500, false, true)]
    [InlineData(502, false, true)]
    [InlineData(503, false, true)]
    [InlineData(504, false, true)]
    [InlineData(599, false, true)]
    [InlineData(400, true, false)]
    [InlineData(401, true, false)]
    [InlineData(404, true, false)]
    [InlineData(413, true, false)]
    [InlineData(302, true, false)]
    public void Ingest_statuses_retry_on_408_5xx_and_429_by_flag(int status, bool flag, bool retried) =>
        Assert.Equal(retried, RetryPolicy.ShouldRetry(ConnectError.FromHttpStatus(status, "body"), flag));

    [Fact]
    public void An_ingest_404_is_judged_by_status_not_by_its_inferred_code()
    {
        // 404 infers unimplemented and 400 infers internal; only the status decides on the ingest path.
        Assert.False(RetryPolicy.ShouldRetry(ConnectError.FromHttpStatus(400, ""), true));
        Assert.Equal(ConnectCode.Internal, ConnectError.FromHttpStatus(400, "").Code);
    }
}
