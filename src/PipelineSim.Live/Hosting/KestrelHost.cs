using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PipelineSim.Live.Time;

namespace PipelineSim.Live.Hosting;

/// <summary>How to start one Kestrel server: where it listens and what sits between the socket and HTTP.</summary>
internal sealed record KestrelHostSpec(IPEndPoint Bind)
{
    /// <summary>Kestrel limits and endpoint settings beyond the bind address.</summary>
    public Action<KestrelServerOptions>? Configure { get; init; }

    /// <summary>The <c>listen(2)</c> backlog: connections the kernel completes before the server accepts them.</summary>
    public int ListenBacklog { get; init; } = 512;

    /// <summary>Wraps the socket transport, e.g. to stop accepting at a connection limit.</summary>
    public Func<IConnectionListenerFactory, IConnectionListenerFactory>? DecorateTransport { get; init; }

    /// <summary>Runs around every accepted connection, below HTTP (to count open connections, say).</summary>
    public Func<ConnectionDelegate, ConnectionDelegate>? ConnectionMiddleware { get; init; }

    /// <summary>Names the server in what it reports (accept errors).</summary>
    public string Name { get; init; } = "server";

    /// <summary>Where a server reports trouble it rides out, such as running out of file descriptors.</summary>
    public Action<string>? Warn { get; init; }

    /// <summary>
    /// Go http.Server deadlines enforced on every connection (Core decides them); Kestrel's own keep-alive and
    /// request-header timeouts are then switched off. Null: Kestrel's defaults apply.
    /// </summary>
    public GoServerConnections? GoServer { get; init; }

    /// <summary>
    /// The run's clock: each accepted connection is stamped with its accept instant on it (<see cref="ConnectionAccept"/>),
    /// for a server that counts a request's timeout from its read. Null: no stamp.
    /// </summary>
    public LiveClock? Clock { get; init; }

    /// <summary>
    /// Whether a connection accepted after its client hung up shows Kestrel the FIN only once the handler has read the
    /// request body (<see cref="PeerHangUp.StartBackgroundRead"/>), as Go does, instead of aborting the request at once.
    /// </summary>
    public bool HoldHungUpClientFin { get; init; }

    /// <summary>How long a stop waits for requests in progress before their connections are aborted.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// A bare Kestrel server around one request delegate: no configuration files, no environment variables, no
/// logging, no console lifetime. Every live server (receiver, backend, metrics) starts through here.
/// </summary>
internal sealed class KestrelHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TimeSpan stopTimeout;
    private int stopped;

    private KestrelHost(WebApplication app, IPEndPoint endPoint, TimeSpan stopTimeout)
    {
        this.app = app;
        this.stopTimeout = stopTimeout;
        EndPoint = endPoint;
    }

    /// <summary>A Kestrel timeout that never fires during a run (Core's Go deadlines apply instead).</summary>
    private static readonly TimeSpan NotInTheWay = TimeSpan.FromDays(3650);

    /// <summary>The address actually bound (the port chosen by the kernel when the spec asked for port 0).</summary>
    public IPEndPoint EndPoint { get; }

    public Uri BaseUri => new($"http://{EndPoint}");

    public static async Task<KestrelHost> StartAsync(KestrelHostSpec spec, RequestDelegate handler, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, NoConsoleLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            spec.Configure?.Invoke(options);
            if (spec.GoServer is not null)
            {
                // Out of the way, not infinite: Kestrel adds these to a timestamp, and InfiniteTimeSpan (-1 ms) would
                // time a connection out at the next heartbeat.
                options.Limits.KeepAliveTimeout = NotInTheWay;
                options.Limits.RequestHeadersTimeout = NotInTheWay;
            }
            options.Listen(spec.Bind, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                if (spec.ConnectionMiddleware is { } middleware) listen.Use(middleware);
                if (spec.GoServer is { } goServer) listen.Use(goServer.Wrap);
            });
        });
        // Our own socket transport: its backlog is ours to set, its accept loop backs off as Go's does, and a
        // decorator can sit on top of it.
        builder.Services.RemoveAll<IConnectionListenerFactory>();
        builder.Services.AddSingleton<IConnectionListenerFactory>(_ =>
        {
            var sockets = new GoSocketTransport(spec.ListenBacklog, spec.Name, spec.Warn, spec.Clock, spec.HoldHungUpClientFin);
            return spec.DecorateTransport is null ? sockets : spec.DecorateTransport(sockets);
        });

        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("Kestrel reported no address.");
        var bound = new Uri(addresses.Addresses.Single());
        var endPoint = new IPEndPoint(IPAddress.Parse(bound.Host.Trim('[', ']')), bound.Port);
        return new KestrelHost(app, endPoint, spec.StopTimeout);
    }

    /// <summary>Stops listening, gives requests in progress <see cref="KestrelHostSpec.StopTimeout"/>, then aborts the rest.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0) return;
        using var timeout = new CancellationTokenSource(stopTimeout);
        await app.StopAsync(timeout.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The process owner (a test, the CLI) decides when to stop, not Ctrl+C handlers inside a library.</summary>
    private sealed class NoConsoleLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
