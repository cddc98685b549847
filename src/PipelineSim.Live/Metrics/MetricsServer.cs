using System.Net;
using Microsoft.AspNetCore.Http;
using PipelineSim.Live.Hosting;

namespace PipelineSim.Live.Metrics;

/// <summary>
/// <c>GET /metrics</c> for a registry, on its own port like Alloy's main HTTP server (12345 by default), so a scrape
/// never competes with clients for a receiver's connection slots.
/// </summary>
public sealed class MetricsServer : IAsyncDisposable
{
    private readonly KestrelHost host;

    private MetricsServer(KestrelHost host) => this.host = host;

    public Uri MetricsUri => new(host.BaseUri, "/metrics");

    public IPEndPoint EndPoint => host.EndPoint;

    public static async Task<MetricsServer> StartAsync(MetricRegistry registry, IPEndPoint bind, CancellationToken cancellationToken = default)
    {
        var host = await KestrelHost.StartAsync(new KestrelHostSpec(bind), http =>
        {
            if (http.Request.Path != "/metrics" || !HttpMethods.IsGet(http.Request.Method))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            http.Response.ContentType = PrometheusText.ContentType;
            return http.Response.WriteAsync(PrometheusText.Write(registry));
        }, cancellationToken).ConfigureAwait(false);
        return new MetricsServer(host);
    }

    public ValueTask DisposeAsync() => host.DisposeAsync();
}
