using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PipelineSim.Core.Time;
using PipelineSim.Live.Hosting;

namespace PipelineSim.Live.Proxy;

/// <summary>
/// An HTTP control API for a <see cref="FaultProxy"/>, in the spirit of toxiproxy's, so a CI job or a notebook can
/// drive the faults: list the flows, break them (silently or with RST), change the latency, heal. Loopback only:
/// it has no authentication, so it refuses any other address. Every answer is JSON; errors are
/// <c>{"error":"…"}</c> with a 4xx status.
/// </summary>
/// <remarks>
/// Routes: <c>GET /flows</c>; <c>POST /break?mode=silent|reset&amp;idle=true</c>; <c>POST /reset</c>;
/// <c>POST /flows/{id}/break?mode=…</c>; <c>PUT|POST /latency?value=250ms</c>; <c>POST /heal</c>.
/// </remarks>
public sealed class FaultProxyControl : IAsyncDisposable
{
    private readonly FaultProxy proxy;
    private readonly KestrelHost host;

    private FaultProxyControl(FaultProxy proxy, KestrelHost host)
    {
        this.proxy = proxy;
        this.host = host;
    }

    public Uri BaseUri => host.BaseUri;

    public IPEndPoint EndPoint => host.EndPoint;

    public static async Task<FaultProxyControl> StartAsync(FaultProxy proxy, IPEndPoint bind, CancellationToken cancellationToken = default)
    {
        if (!IPAddress.IsLoopback(bind.Address))
            throw new ArgumentException($"the control API listens on loopback only, not {bind.Address}", nameof(bind));
        FaultProxyControl? control = null;
        var host = await KestrelHost.StartAsync(new KestrelHostSpec(bind) { Name = proxy.Name + " control" },
            http => control!.HandleAsync(http), cancellationToken).ConfigureAwait(false);
        control = new FaultProxyControl(proxy, host);
        return control;
    }

    public ValueTask DisposeAsync() => host.DisposeAsync();

    private Task HandleAsync(HttpContext http)
    {
        string path = (http.Request.Path.Value ?? "").TrimEnd('/');
        string method = http.Request.Method;
        var query = http.Request.Query;
        switch (path)
        {
            case "/flows":
                return HttpMethods.IsGet(method) ? WriteAsync(http, 200, Listing) : MethodNotAllowed(http, "GET");
            case "/break":
                if (!HttpMethods.IsPost(method)) return MethodNotAllowed(http, "POST");
                if (!TryMode(query["mode"], out var mode)) return ErrorAsync(http, 400, $"mode \"{query["mode"]}\" is neither silent nor reset");
                bool idleOnly = query["idle"].ToString() is "true" or "1";
                int broken = idleOnly ? proxy.BreakIdleFlows(mode) : proxy.BreakAllFlows(mode);
                return WriteAsync(http, 200, json => json.WriteNumber("broken", broken));
            case "/reset":
                if (!HttpMethods.IsPost(method)) return MethodNotAllowed(http, "POST");
                int reset = proxy.BreakAllFlows(FlowBreak.Reset);
                return WriteAsync(http, 200, json => json.WriteNumber("broken", reset));
            case "/latency":
                if (!HttpMethods.IsPut(method) && !HttpMethods.IsPost(method)) return MethodNotAllowed(http, "PUT, POST");
                return SetLatencyAsync(http);
            case "/heal":
                if (!HttpMethods.IsPost(method)) return MethodNotAllowed(http, "POST");
                proxy.Latency = proxy.ConfiguredLatency;
                return WriteAsync(http, 200, json => json.WriteString("latency", GoDuration.Format(proxy.Latency)));
        }
        if (path.StartsWith("/flows/", StringComparison.Ordinal) && path.EndsWith("/break", StringComparison.Ordinal))
        {
            if (!HttpMethods.IsPost(method)) return MethodNotAllowed(http, "POST");
            string idText = path["/flows/".Length..^"/break".Length];
            if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out long id))
                return ErrorAsync(http, 400, $"flow id \"{idText}\" is not a number");
            if (!TryMode(query["mode"], out var mode)) return ErrorAsync(http, 400, $"mode \"{query["mode"]}\" is neither silent nor reset");
            return proxy.BreakFlow(id, mode) is bool done
                ? WriteAsync(http, 200, json => json.WriteNumber("broken", done ? 1 : 0))
                : ErrorAsync(http, 404, $"no open flow {id}");
        }
        return ErrorAsync(http, 404, $"no route {method} {path}; see GET /flows, POST /break, /reset, /latency, /heal");
    }

    private async Task SetLatencyAsync(HttpContext http)
    {
        string text = http.Request.Query["value"].ToString();
        if (text.Length == 0)
        {
            // A small plain-text body ("250ms") works too; anything longer is not a duration.
            using var reader = new StreamReader(http.Request.Body);
            var buffer = new char[64];
            int read = await reader.ReadBlockAsync(buffer, http.RequestAborted).ConfigureAwait(false);
            text = new string(buffer, 0, read).Trim();
        }
        if (!GoDuration.TryParse(text, out var latency, out string error))
        {
            await ErrorAsync(http, 400, $"latency: {error}").ConfigureAwait(false);
            return;
        }
        if (latency < TimeSpan.Zero)
        {
            await ErrorAsync(http, 400, $"latency: {text} is negative").ConfigureAwait(false);
            return;
        }
        proxy.Latency = latency;
        await WriteAsync(http, 200, json => json.WriteString("latency", GoDuration.Format(latency))).ConfigureAwait(false);
    }

    private void Listing(Utf8JsonWriter json)
    {
        json.WriteString("latency", GoDuration.Format(proxy.Latency));
        json.WriteString("configured_latency", GoDuration.Format(proxy.ConfiguredLatency));
        json.WriteString("upstream", proxy.Upstream.ToString());
        json.WriteNumber("opened", proxy.FlowsOpened);
        json.WriteNumber("broken", proxy.FlowsBroken);
        json.WriteNumber("buffered_bytes", proxy.BufferedBytes);
        json.WriteStartArray("flows");
        foreach (var flow in proxy.Flows())
        {
            json.WriteStartObject();
            json.WriteNumber("id", flow.Id);
            json.WriteString("client", flow.Client);
            json.WriteNumber("opened_at_seconds", Math.Round(flow.OpenedAt.TotalSeconds, 3));
            json.WriteNumber("idle_seconds", Math.Round(flow.Idle.TotalSeconds, 3));
            json.WriteString("state", flow.State);
            json.WriteNumber("bytes_to_upstream", flow.BytesToUpstream);
            json.WriteNumber("bytes_to_client", flow.BytesToClient);
            json.WriteNumber("buffered_bytes", flow.BufferedBytes);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static bool TryMode(string? text, out FlowBreak mode)
    {
        mode = FlowBreak.Silent;
        switch (text?.ToLowerInvariant())
        {
            case null or "" or "silent":
                return true;
            case "reset":
                mode = FlowBreak.Reset;
                return true;
            default:
                return false;
        }
    }

    private static Task MethodNotAllowed(HttpContext http, string allow)
    {
        http.Response.Headers.Allow = allow;
        return ErrorAsync(http, 405, $"{http.Request.Method} is not allowed here; use {allow}");
    }

    private static Task ErrorAsync(HttpContext http, int status, string message) =>
        WriteAsync(http, status, json => json.WriteString("error", message));

    private static async Task WriteAsync(HttpContext http, int status, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        // Readable quotes and non-ASCII in messages, as the receiver's Connect errors write them.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        buffer.WriteByte((byte)'\n');
        await http.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length)).ConfigureAwait(false);
    }
}
