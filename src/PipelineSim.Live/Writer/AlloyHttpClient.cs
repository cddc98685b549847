using System.Net;
using System.Net.Http;
using PipelineSim.Core.Options;
using PipelineSim.Live.Time;

namespace PipelineSim.Live.Writer;

/// <summary>
/// The <c>HttpClient</c> of one <c>pyroscope.write</c> endpoint, set up like the Go <c>http.Transport</c> Alloy
/// builds (grafana/alloy internal/component/pyroscope/write/promhttp2/http_config.go): idle connections kept 5 min, no cap on connections per host, keep-alive probes on every
/// socket, no client timeout (each attempt's deadline is the only one), HTTP/1.1 for <c>http://</c>. The handler
/// never closes an idle connection itself: which idle connections stay open (IdleConnTimeout, MaxIdleConnsPerHost) is
/// Core's pool's decision, carried out by <see cref="ConnectionTracker"/> on the run's clock.
/// </summary>
internal static class AlloyHttpClient
{
    public static HttpClient Create(HttpTransportOptions transport, ConnectionTracker tracker, LiveClock clock) =>
        Create(transport, tracker.ConnectAsync, clock);

    /// <summary>The same, dialling with <paramref name="connect"/>.</summary>
    public static HttpClient Create(HttpTransportOptions transport,
        Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> connect, LiveClock clock)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = transport.MaxConnsPerHost > 0 ? transport.MaxConnsPerHost : int.MaxValue,
            ConnectTimeout = transport.DialTimeout is TimeSpan dial ? clock.ToWall(dial) : Timeout.InfiniteTimeSpan,
            Expect100ContinueTimeout = clock.ToWall(transport.ExpectContinueTimeout),
            ResponseDrainTimeout = clock.ToWall(TimeSpan.FromSeconds(2)),
            // connect-go asks for gzip itself, the transport's own decompression stays off (DisableCompression).
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectCallback = connect,
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
