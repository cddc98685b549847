using PipelineSim.Core.Connect;
using PipelineSim.Core.Server;

namespace PipelineSim.Core.Tests.Server;

public class RequestBodyLimitTests
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(4095, true)]
    [InlineData(4096, true)] // exactly at the bound: read
    [InlineData(4097, false)] // one byte over: refused
    [InlineData(long.MaxValue, false)]
    public void A_body_is_admitted_up_to_and_including_the_bound(long bytes, bool admitted) =>
        Assert.Equal(admitted, new RequestBodyLimit(4096).Admits(bytes));

    [Fact]
    public void The_refusal_is_413_resource_exhausted_naming_the_bound_and_what_passed_it()
    {
        var limit = new RequestBodyLimit(4096);
        Assert.Equal(413, RequestBodyLimit.HttpStatus);
        Assert.Equal(new ConnectError(ConnectCode.ResourceExhausted, "request body larger than 4096 bytes"), limit.Refusal());
        Assert.Equal("resource_exhausted: decompressed body larger than 4096 bytes", limit.Refusal("decompressed body").ToString());
    }
}
