using PipelineSim.Core.Limits;

namespace PipelineSim.Core.Tests.Limits;

public class AcceptQueueTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(64, 65)]
    [InlineData(4096, 4097)] // somaxconn, what Go listens with: peak 4097 seen on Linux
    [InlineData(int.MaxValue, int.MaxValue)] // unbounded stays unbounded
    public void Holds_the_backlog_plus_one(int backlog, int capacity) => Assert.Equal(capacity, AcceptQueue.Capacity(backlog));

    [Fact]
    public void A_negative_backlog_is_a_programming_error() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AcceptQueue.Capacity(-1));
}
