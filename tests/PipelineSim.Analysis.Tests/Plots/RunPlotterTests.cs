using System.Buffers.Binary;
using System.Xml.Linq;
using PipelineSim.Analysis.Plots;
using PipelineSim.Analysis.Records;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Tests.Plots;

public class RunPlotterTests
{
    private static readonly string[] EndpointPlots = ["latency-histogram", "latency-cdf", "attempts", "retries", "outcomes"];
    private static readonly string[] ReceiverPlots = ["connections", "backlog", "syn-drops"];

    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Fact]
    public void Renders_every_plot_of_a_run_directory_as_png_and_svg_of_the_requested_size()
    {
        using var dir = new TempDirectory();
        SyntheticRun.Standard().WriteCsv(dir.Path);

        var report = RunPlotter.RenderDirectory(dir.Path, new PlotOptions { Formats = PlotFormats.Both });

        string plots = Path.Combine(dir.Path, RunFiles.Plots);
        var expected = new[] { "endpoint_w1_http-r-4040", "endpoint_w2_http-pyroscope-4040" }
            .SelectMany(stem => EndpointPlots.Select(p => $"{stem}_{p}"))
            .Concat(ReceiverPlots.Select(p => $"receiver_r_{p}"))
            .SelectMany(name => new[] { name + ".png", name + ".svg" })
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, Directory.GetFiles(plots).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(26, report.Files.Count);
        Assert.Empty(report.Notes);

        foreach (string png in Directory.GetFiles(plots, "*.png")) Assert.Equal((1200, 800), PngSize(File.ReadAllBytes(png)));
        foreach (string svg in Directory.GetFiles(plots, "*.svg"))
        {
            var root = XDocument.Load(svg).Root!;
            Assert.Equal("svg", root.Name.LocalName);
            Assert.Equal(("1200", "800"), (root.Attribute("width")?.Value, root.Attribute("height")?.Value));
        }
        // The SVG carries the plot's words: title, axis label, legend.
        string cdf = File.ReadAllText(Path.Combine(plots, "endpoint_w1_http-r-4040_latency-cdf.svg"));
        Assert.Contains("push latency CDF", cdf);
        Assert.Contains("fraction of pushes", cdf);
        Assert.Contains("p99 30 s", cdf);
    }

    [Fact]
    public void The_same_records_give_byte_identical_plots()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        SyntheticRun.Standard().WriteCsv(a.Path);
        SyntheticRun.Standard().WriteCsv(b.Path);
        var options = new PlotOptions { Formats = PlotFormats.Both, Width = 640, Height = 480 };
        RunPlotter.RenderDirectory(a.Path, options);
        RunPlotter.RenderDirectory(b.Path, options);

        var first = Directory.GetFiles(Path.Combine(a.Path, RunFiles.Plots)).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(first);
        foreach (string file in first)
        {
            string twin = Path.Combine(b.Path, RunFiles.Plots, Path.GetFileName(file));
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(twin)), $"{Path.GetFileName(file)} differs");
        }
        Assert.Equal((640, 480), PngSize(File.ReadAllBytes(first.First(f => f.EndsWith(".png", StringComparison.Ordinal)))));
    }

    [Fact]
    public void Plots_of_an_earlier_run_are_replaced_not_mixed_in()
    {
        using var dir = new TempDirectory();
        string plots = Directory.CreateDirectory(Path.Combine(dir.Path, RunFiles.Plots)).FullName;
        File.WriteAllText(Path.Combine(plots, "endpoint_gone_http-x_latency-cdf.svg"), "<svg/>");
        File.WriteAllText(Path.Combine(plots, "notes.txt"), "mine");
        var run = new SyntheticRun();
        run.AddPush("w", "http://x", 0, 1, PushResult.Delivered);
        run.WriteCsv(dir.Path);

        RunPlotter.RenderDirectory(dir.Path, new PlotOptions { Formats = PlotFormats.Svg });

        Assert.False(File.Exists(Path.Combine(plots, "endpoint_gone_http-x_latency-cdf.svg")));
        Assert.True(File.Exists(Path.Combine(plots, "notes.txt"))); // not a plot: left alone
        Assert.Empty(Directory.GetFiles(plots, "*.png"));
        Assert.Empty(Directory.GetFiles(plots, "*.partial"));
    }

    [Fact]
    public void A_directory_with_only_pushes_plots_what_it_can_and_says_what_is_missing()
    {
        using var dir = new TempDirectory();
        SyntheticRun.Standard().WriteCsv(dir.Path);
        File.Delete(Path.Combine(dir.Path, RunFiles.Attempts));
        File.Delete(Path.Combine(dir.Path, RunFiles.Metrics));

        var report = RunPlotter.RenderDirectory(dir.Path, new PlotOptions { Formats = PlotFormats.Svg });

        Assert.Equal(
            ["attempts.csv not found: its plots are left out", "metrics.csv not found: its plots are left out",
             "no receiver series in the metrics: no receiver plots"],
            report.Notes);
        Assert.Equal(8, report.Files.Count); // no retries plot without the attempts, which the first note says
        Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, RunFiles.Plots), "*_retries.svg"));
    }

    [Fact]
    public void A_fleet_of_writers_is_capped_to_the_busiest_endpoints()
    {
        var run = new SyntheticRun();
        for (int w = 0; w < 5; w++)
        {
            for (int p = 0; p <= w; p++) run.AddPush($"agent-{w}", "http://r", p, 0.1, PushResult.Delivered);
        }
        var data = new RunPlotData();
        run.Replay(data);

        var (plots, notes) = RunPlotter.Plan(data, new PlotOptions { MaxEndpoints = 2 });

        Assert.Equal(["endpoint_agent-3_http-r", "endpoint_agent-4_http-r"], plots.Select(p => p.Name[..p.Name.LastIndexOf('_')]).Distinct());
        Assert.Equal(
            ["plotted the 2 writer endpoints with the most pushes, of 5",
             "agent-3 → http://r: no retries, so no retries plot", "agent-4 → http://r: no retries, so no retries plot",
             "no receiver series in the metrics: no receiver plots"],
            notes);
    }

    [Fact]
    public void Many_receivers_are_capped_to_the_busiest_and_the_note_says_how_many_were_left_out()
    {
        var data = new RunPlotData();
        // 300 receivers, r-0 to r-299, each peaking at its own number of connections.
        for (int r = 0; r < 300; r++)
            data.OnSample(new MetricSample(Instant.FromSeconds(15), MetricNames.ReceiveTcpConnections, $"component_id=\"r-{r}\"", r));

        var (plots, notes) = RunPlotter.Plan(data, new PlotOptions { MaxReceivers = 3 });

        Assert.Equal(["receiver_r-297", "receiver_r-298", "receiver_r-299"],
            plots.Where(p => p.Name.StartsWith("receiver_", StringComparison.Ordinal)).Select(p => p.Name[..p.Name.LastIndexOf('_')]).Distinct().Order());
        Assert.Contains("plotted the 3 receivers with the highest peak of accepted connections, of 300", notes);
    }

    [Theory]
    [InlineData("http://r:4040", "http-r-4040")]
    [InlineData("https://pyroscope.example.com/push/", "https-pyroscope.example.com-push")]
    [InlineData("w1", "w1")]
    [InlineData("://", "unnamed")]
    public void File_names_keep_letters_digits_dots_and_dashes(string text, string slug) => Assert.Equal(slug, RunPlotter.Slug(text));

    [Fact]
    public void Endpoints_whose_names_collide_get_distinct_files()
    {
        var run = new SyntheticRun();
        run.AddPush("w", "http://r:1", 0, 1, PushResult.Delivered);
        run.AddPush("w", "http-r-1", 0, 1, PushResult.Delivered);
        var data = new RunPlotData();
        run.Replay(data);
        var stems = RunPlotter.Plan(data, new PlotOptions()).Plots.Select(p => p.Name).Where(n => n.EndsWith("_attempts", StringComparison.Ordinal));
        Assert.Equal(["endpoint_w_http-r-1_attempts", "endpoint_w_http-r-1-2_attempts"], stems);
    }

    [Fact]
    public void Svg_clip_path_ids_are_numbered_per_file()
    {
        const string svg = "<clipPath id=\"cl_1e\"/><g clip-path=\"url(#cl_1e)\"/><clipPath id=\"cl_2f\"/><text>cl_1e</text>";
        Assert.Equal("<clipPath id=\"cl_0\"/><g clip-path=\"url(#cl_0)\"/><clipPath id=\"cl_1\"/><text>cl_1e</text>", RunPlotter.StableSvg(svg));
    }

    [Fact]
    public void Rejects_a_size_too_small_to_draw()
    {
        using var dir = new TempDirectory();
        Assert.Throws<ArgumentOutOfRangeException>(() => RunPlotter.Render(new RunPlotData(), dir.Path, new PlotOptions { Width = 10 }));
    }
}
