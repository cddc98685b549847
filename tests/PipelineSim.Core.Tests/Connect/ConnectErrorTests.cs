using PipelineSim.Core.Connect;

namespace PipelineSim.Core.Tests.Connect;

public class ConnectErrorTests
{
    [Fact]
    public void Deadline_exceeded_prints_as_in_the_troubleshooting_guide()
    {
        Assert.Equal(ConnectCode.DeadlineExceeded, ConnectError.DeadlineExceeded.Code);
        Assert.Null(ConnectError.DeadlineExceeded.HttpStatus);
        Assert.Equal("deadline_exceeded: context deadline exceeded", ConnectError.DeadlineExceeded.ToString());
    }

    [Fact]
    public void An_empty_message_prints_only_the_code() =>
        Assert.Equal("unavailable", new ConnectError(ConnectCode.Unavailable, "").ToString());

    [Fact]
    public void An_ingest_error_keeps_its_status_and_prints_like_pyroscope_write_error()
    {
        var error = ConnectError.FromHttpStatus(503, "overloaded");
        Assert.Equal(503, error.HttpStatus);
        Assert.Equal(ConnectCode.Unavailable, error.Code);
        Assert.Equal("pyroscope write error: status=503 msg=overloaded", error.ToString());
    }

    [Fact]
    public void Errors_compare_by_value() =>
        Assert.Equal(new ConnectError(ConnectCode.Internal, "x"), new ConnectError(ConnectCode.Internal, "x"));
}
