using System.Diagnostics;
using PipelineSim.Core.Records;
using PipelineSim.Live.Metrics;
using PipelineSim.Live.Writer;
using PipelineSim.Live.Tests.Support;

namespace PipelineSim.Live.Tests.Metrics;

/// <summary>
/// The live <c>/metrics</c> exposition passes <c>promtool check metrics</c> (Prometheus' own linter: counters end in
/// <c>_total</c>, every family has help, names and labels are well formed), from Debian's prometheus package that
/// ./test.sh installs; a missing promtool fails the test.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class PromtoolLintTests
{
    [Fact]
    public void The_writer_and_receiver_series_pass_promtool_check_metrics()
    {
        var registry = new MetricRegistry();
        var write = new WriteMetrics(registry, "w1", "http://r:8080");
        write.SentProfiles.Add(4);
        write.PushEndpoint.Observe(0.3);
        var receiver = MetricLabels.Of(("component_id", "r"), ("protocol", "http"));
        foreach (string gauge in new[] { MetricNames.ReceiveTcpConnections, MetricNames.ReceiveTcpConnectionsLimit })
        {
            Assert.True(MetricFamilies.TryFind(gauge, out var family, out _));
            registry.Gauge(gauge, family.Help, receiver, () => 3);
        }
        string exposition = PrometheusText.Write(registry);

        var (exitCode, output) = Promtool(exposition, "check", "metrics");
        Assert.True(exitCode == 0, $"promtool check metrics found problems:\n{output}\nin:\n{exposition}");
        Assert.Contains("# TYPE pyroscope_write_latency histogram", exposition);
    }

    private static (int ExitCode, string Output) Promtool(string stdin, params string[] args)
    {
        string? promtool = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "promtool")).FirstOrDefault(File.Exists);
        Assert.True(promtool is not null, "promtool is not installed: ./test.sh installs Debian's prometheus package");
        var start = new ProcessStartInfo(promtool!)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "promtool did not finish in 30 s");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
