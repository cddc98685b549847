using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace PipelineSim.Cli.Tests.Prometheus;

/// <summary>
/// The real Prometheus tools from Debian's <c>prometheus</c> package (./test.sh installs it): <c>promtool</c> to
/// import an OpenMetrics file into TSDB blocks, and the server, started on loopback over those blocks, answering
/// PromQL over its HTTP API. Missing tools fail the test: a skipped check would hide that the export was never loaded.
/// </summary>
internal sealed class PrometheusServer : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private readonly Process process;
    private readonly HttpClient http;

    private PrometheusServer(Process process, int port)
    {
        this.process = process;
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public static string Tool(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Fail($"{name} is not installed: these tests need Debian's prometheus package (./test.sh installs it: apt-get install prometheus)");
        return "";
    }

    /// <summary>Runs <c>promtool tsdb create-blocks-from openmetrics FILE DIR</c>; fails the test with promtool's output if it fails.</summary>
    public static string ImportOpenMetrics(string file, string blocksDirectory)
    {
        var result = Run(Tool("promtool"), "tsdb", "create-blocks-from", "openmetrics", file, blocksDirectory);
        Assert.True(result.ExitCode == 0, $"promtool could not import {file}:\n{result.Output}");
        return result.Output;
    }

    public static (int ExitCode, string Output) Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} {string.Join(' ', args)} did not finish in a minute");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Starts Prometheus over <paramref name="blocksDirectory"/> on a free loopback port and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(string blocksDirectory)
    {
        int port = FreePort();
        var start = new ProcessStartInfo(Tool("prometheus"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string config = Path.Combine(blocksDirectory, "..", "prometheus.yml");
        File.WriteAllText(config, "global: {}\n"); // no scrape targets: the blocks are the only data
        foreach (string arg in (string[])[
            $"--config.file={config}",
            $"--storage.tsdb.path={blocksDirectory}",
            // Imported samples lie in the past; keep them whatever their age.
            "--storage.tsdb.retention.time=100y",
            $"--web.listen-address=127.0.0.1:{port}",
        ])
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start)!;
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new PrometheusServer(process, port);
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var ready = await server.http.GetAsync("-/ready");
                if (ready.StatusCode == HttpStatusCode.OK) return server;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        server.Dispose();
        string output;
        lock (log) output = log.ToString();
        Assert.Fail($"prometheus did not become ready within {ReadyTimeout.TotalSeconds} s:\n{output}");
        return null!;
    }

    /// <summary>An instant query at <paramref name="time"/>: each result series' labels and value.</summary>
    public async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> QueryAsync(string promql, DateTimeOffset time)
    {
        string uri = $"api/v1/query?query={Uri.EscapeDataString(promql)}&time={time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
        using var response = await http.GetAsync(uri);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{promql}: HTTP {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        var result = json.RootElement.GetProperty("data").GetProperty("result");
        return [.. result.EnumerateArray().Select(series => (
            series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
    }

    /// <summary>The one value of a query that must answer one series.</summary>
    public async Task<double> ScalarAsync(string promql, DateTimeOffset time)
    {
        var result = await QueryAsync(promql, time);
        Assert.True(result.Count == 1, $"{promql}: expected one series, got {result.Count}");
        return result[0].Value;
    }

    public void Dispose()
    {
        http.Dispose();
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        finally
        {
            process.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
