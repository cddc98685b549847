using PipelineSim.Core.Server;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Tests.Server;

public class RequestReadTests
{
    /// <summary>Instants in milliseconds from the start of a run.</summary>
    [Theory]
    [InlineData(10_000, 2_000, 10_000)]  // a keep-alive connection accepted long before: read on arrival
    [InlineData(10_000, 9_999, 10_000)]  // accepted a millisecond before the request came
    [InlineData(10_000, 10_000, 10_000)] // accepted as it came
    [InlineData(10_000, 10_001, 10_001)] // waited a millisecond in the backlog: read at the accept
    [InlineData(2_000, 30_000, 30_000)]  // waited 28 s behind conn_limit: the timeout counts from the accept
    public void A_request_is_read_on_arrival_but_never_before_its_connection_is_accepted(long arrivedMs, long acceptedMs, long readMs) =>
        Assert.Equal(Ms(readMs), RequestRead.At(Ms(arrivedMs), Ms(acceptedMs)));

    private static Instant Ms(long ms) => Instant.FromTimeSpan(TimeSpan.FromMilliseconds(ms));
}
