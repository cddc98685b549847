using PipelineSim.Core.Options;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Tests.Options;

/// <summary>Pins every default to the value Alloy's sources give (pyroscope/write/write.go, promhttp2/http_config.go, common/net/config.go), written in Go syntax.</summary>
public class AlloyDefaultsTests
{
    private static TimeSpan Go(string text) => GoDuration.Parse(text);

    [Fact]
    public void Write_endpoint()
    {
        var e = new WriteEndpointOptions { Url = "http://pyroscope:4040" };
        Assert.Equal("", e.Name);
        Assert.Equal(Go("10s"), e.RemoteTimeout);
        Assert.Equal(Go("500ms"), e.MinBackoffPeriod);
        Assert.Equal(Go("5m"), e.MaxBackoffPeriod);
        Assert.Equal(10, e.MaxBackoffRetries);
        Assert.True(e.RetryOnHttp429);
        Assert.Equal(Go("2m"), e.DebugInfoUploadTimeout);
        Assert.Empty(e.Headers);
        Assert.True(e.EnableHttp2);
        Assert.True(e.FollowRedirects);
        Assert.False(e.ProxyFromEnvironment);
        Assert.False(e.UsesHttp2); // plain http:// speaks HTTP/1.1
        Assert.True((e with { Url = "https://pyroscope" }).UsesHttp2);
    }

    [Fact]
    public void Write_component()
    {
        var w = new WriteOptions();
        Assert.Empty(w.Endpoints);
        Assert.Empty(w.ExternalLabels);
        Assert.True(w.JaegerPropagator);
        Assert.True(w.TraceContextPropagator);
    }

    [Fact]
    public void Write_transport()
    {
        var t = HttpTransportOptions.AlloyDefault;
        Assert.Equal(20000, t.MaxIdleConns);
        Assert.Equal(1000, t.MaxIdleConnsPerHost);
        Assert.Equal(Go("5m"), t.IdleConnTimeout);
        Assert.Null(t.DialTimeout);
        Assert.Equal(Go("1m"), t.Http2ReadIdleTimeout);
        Assert.Equal(Go("15s"), t.Http2PingTimeout);
        Assert.Equal(Go("10s"), t.TlsHandshakeTimeout);
        Assert.False(t.DisableKeepAlives);
        Assert.Equal(0, t.MaxConnsPerHost);
        Assert.Null(t.ResponseHeaderTimeout);
        Assert.True(t.DisableCompression);
        Assert.Equal(Go("1s"), t.ExpectContinueTimeout);
    }

    [Fact]
    public void Go_dialer_keep_alive()
    {
        var k = TcpKeepAliveOptions.GoDefault;
        Assert.True(k.Enabled);
        Assert.Equal((Go("15s"), Go("15s"), 9), (k.Idle, k.Interval, k.Count));
        Assert.Equal(Go("2m30s"), k.DeadPeerDetection);
    }

    [Fact]
    public void Receive_http()
    {
        var r = new ReceiveHttpOptions();
        Assert.Equal("", r.ListenAddress);
        Assert.Equal(8080, r.ListenPort);
        Assert.Equal(16384, r.ConnLimit);
        Assert.Equal(Go("30s"), r.ServerReadTimeout);
        Assert.Equal(Go("30s"), r.ServerWriteTimeout);
        Assert.Equal(Go("2m"), r.ServerIdleTimeout);
        Assert.Equal(Go("30s"), r.GracefulShutdownTimeout);
        Assert.False(r.Http2Enabled);
        Assert.Equal(100, r.Http2MaxConcurrentStreams);
        Assert.Equal(Go("15s"), r.Http2PingTimeout);
        Assert.Equal(TimeSpan.Zero, r.Http2ReadIdleTimeout);
        Assert.Equal(Go("2m"), r.DebugInfoUploadTimeout);
    }

    [Theory]
    [InlineData(ProfileSourceKind.Ebpf, "15s", "15s")]
    [InlineData(ProfileSourceKind.Scrape, "15s", null)]
    [InlineData(ProfileSourceKind.Java, "60s", null)]
    public void Profile_sources_push_at_their_default_interval_and_only_ebpf_under_a_deadline(ProfileSourceKind kind, string interval, string? deadline)
    {
        var source = ProfileSourceOptions.Default(kind);
        Assert.Equal(Go(interval), source.Interval);
        Assert.Equal(deadline is null ? null : Go(deadline), source.PushDeadline);
    }

    [Fact]
    public void An_ebpf_push_deadline_follows_its_collect_interval()
    {
        Assert.Equal(Go("30s"), new ProfileSourceOptions(ProfileSourceKind.Ebpf, Go("30s")).PushDeadline);
    }
}
