using PipelineSim.Core.Options;
using PipelineSim.Core.Pooling;

namespace PipelineSim.Core.Tests.Pooling;

public class FreeConnectionTests
{
    [Theory]
    [InlineData(false, 1000, true)]
    [InlineData(false, 0, true)] // 0 means Go's default of 2
    [InlineData(true, 1000, false)] // errKeepAlivesDisabled
    [InlineData(false, -1, false)] // a negative per-host cap disables idle connections too
    public void Go_reuses_a_free_connection_only_with_keep_alives(bool disableKeepAlives, int maxIdlePerHost, bool reused) =>
        Assert.Equal(reused, FreeConnection.MayBeReused(HttpTransportOptions.AlloyDefault with
        {
            DisableKeepAlives = disableKeepAlives,
            MaxIdleConnsPerHost = maxIdlePerHost,
        }));
}
