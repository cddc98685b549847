using PipelineSim.Core.Backend;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Retry;

namespace PipelineSim.Core.Tests.Backend;

public class RequestFaultsTests
{
    [Theory]
    [InlineData(RequestFault.BodyTooLarge, 413, ConnectCode.InvalidArgument)]
    [InlineData(RequestFault.BrokenFraming, 400, ConnectCode.InvalidArgument)]
    public void A_request_that_cannot_be_read_is_answered_invalid_argument_which_no_client_retries(RequestFault fault, int status, ConnectCode code)
    {
        var answer = RequestFaults.Answer(fault);
        Assert.Equal((status, code, false), (answer.HttpStatus, answer.Code, answer.CloseWithoutAnswer));
        // Neither the Connect code (Push) nor the bare status (/ingest) is retried, whatever retry_on_http_429 says.
        Assert.False(RetryPolicy.ShouldRetry(new ConnectError(code, ""), retryOnHttp429: true));
        Assert.False(RetryPolicy.ShouldRetry(ConnectError.FromHttpStatus(status, ""), retryOnHttp429: true));
    }

    [Fact]
    public void An_unknown_content_type_gets_a_bare_415()
    {
        var answer = RequestFaults.Answer(RequestFault.UnsupportedMediaType);
        Assert.Equal((415, (ConnectCode?)null, false), (answer.HttpStatus, answer.Code, answer.CloseWithoutAnswer));
    }

    [Fact]
    public void A_body_read_past_the_read_deadline_closes_the_connection_without_an_answer() =>
        Assert.True(RequestFaults.Answer(RequestFault.BodyReadTimedOut).CloseWithoutAnswer);

    [Fact]
    public void Every_fault_has_an_answer() =>
        Assert.All(Enum.GetValues<RequestFault>(), f => RequestFaults.Answer(f));
}
