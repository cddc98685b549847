using PipelineSim.Analysis.Comparison;
using PipelineSim.Cli.Rendering;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Cli.Tests;

public class ComparisonViewTests
{
    private static readonly ComparisonOptions Options =
        ComparisonOptions.ForLiveRun(TimeSpan.FromMinutes(20), timeScale: 0.1, timerLateness: TimeSpan.FromMilliseconds(30));

    /// <summary>3,209 pushes to w2, the first <paramref name="failed"/> failing with deadline_exceeded after 10 s.</summary>
    private static List<PushOutcome> Pushes(int failed) =>
        [.. Enumerable.Range(0, 3209).Select(i => new PushOutcome("w2", "http://pyroscope:4040", $"agents-{i:D4}",
            Instant.FromTimeSpan(TimeSpan.FromSeconds(1)),
            i < failed ? PushResult.Failed : PushResult.Delivered, i < failed ? ConnectCode.DeadlineExceeded : ConnectCode.Ok, 1,
            TimeSpan.FromSeconds(i < failed ? 10 : 0.7)))];

    [Fact]
    public void Counts_that_differ_by_chance_show_their_p_values_and_the_verdict_states_its_bound()
    {
        var console = new TestConsole();

        ComparisonView.Render(console.Console, RunComparison.Compare(Pushes(10), Pushes(12), Options));

        string text = console.Output;
        Assert.Contains("w2 → http://pyroscope:4040: agree", text);
        Assert.Contains("failed deadline_exceeded after 1", text);
        Assert.Contains("+2 (p = 0.8315)", text);
        Assert.Contains("outcome counts differ by no more than chance allows", text);
        Assert.Contains("max: too few pushes beyond it to bound the simulated value from above", text);
        Assert.Contains("verdict: simulated and live agree (outcome shares by a two-proportion test (Fisher's exact) at level 1% per endpoint, " +
            "split over its outcome classes; latency quantiles within 10% + 0.900 s beyond what each sample pins down (99.75% order-statistic intervals))",
            text.Replace("\n", " ").Replace("  ", " "));
    }

    [Fact]
    public void Counts_further_apart_than_chance_allows_are_a_difference()
    {
        var console = new TestConsole();

        ComparisonView.Render(console.Console, RunComparison.Compare(Pushes(10), Pushes(40), Options));

        Assert.Contains("w2 → http://pyroscope:4040: DIFFER", console.Output);
        Assert.Contains("verdict: simulated and live differ at 1 of 1 endpoints", console.Output);
    }
}
