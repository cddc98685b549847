using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Spec;
using static PipelineSim.Model.Tests.Pipelines;

namespace PipelineSim.Model.Tests;

/// <summary>The simulator drives Core's schedules: Poisson sources are open, push timeouts may be drawn per push.</summary>
public class ArrivalsTests
{
    /// <summary>One agent pushing about every 2 s to a backend that takes 5 s per push.</summary>
    private static PipelineSpec SlowBackend(ArrivalProcess arrivals, IDistribution? pushTimeout = null) => new()
    {
        Name = "arrivals",
        Duration = M(20),
        Seed = 3,
        Sources =
        [
            new SourceSpec { Name = "agent", PushInterval = S(2), Arrivals = arrivals, PushTimeout = pushTimeout, To = "w" },
        ],
        Components =
        [
            Writer("w", "http://pyroscope:4040", e => e with { RemoteTimeout = M(5), MaxBackoffRetries = 1 }),
            new BackendSpec { Name = "pyroscope", Latency = Distributions.Constant(5) },
        ],
    };

    private static int MostAtOnce(IEnumerable<PushRecord> pushes)
    {
        var edges = pushes.SelectMany(p => new[] { (p.Start.Ticks, 1), (p.End.Ticks, -1) }).OrderBy(e => e.Item1).ThenBy(e => e.Item2);
        int now = 0, most = 0;
        foreach (var (_, step) in edges) most = Math.Max(most, now += step);
        return most;
    }

    [Fact]
    public void A_ticker_agent_skips_the_ticks_its_slow_push_outlasts()
    {
        var sink = new RecordingSink();
        var result = SimulationRun.Execute(SlowBackend(ArrivalProcess.Ticker), sink);
        var source = Assert.Single(result.Sources);
        Assert.True(source.SkippedTicks > 0);
        Assert.Equal(1, MostAtOnce(sink.Pushes));
    }

    /// <summary>
    /// The open source pushes at every arrival however many of its pushes still run: about 600 arrivals in 20 min
    /// (Poisson: within 4 standard deviations, √600), two or three pushes at once on average, none skipped.
    /// </summary>
    [Fact]
    public void A_poisson_agent_pushes_at_every_arrival_while_earlier_pushes_run()
    {
        var sink = new RecordingSink();
        var result = SimulationRun.Execute(SlowBackend(ArrivalProcess.Poisson), sink);
        var source = Assert.Single(result.Sources);
        Assert.Equal(0, source.SkippedTicks);
        Assert.InRange(source.Pushes, 600 - 4 * Math.Sqrt(600), 600 + 4 * Math.Sqrt(600));
        Assert.True(MostAtOnce(sink.Pushes) >= 4, $"at most {MostAtOnce(sink.Pushes)} pushes ran at once");
        Assert.All(sink.Pushes.Where(p => p.Result != PushResult.InFlight), p => Assert.Equal(PushResult.Delivered, p.Result));
    }

    [Fact]
    public void The_same_seed_gives_the_same_arrivals_and_another_seed_others()
    {
        static List<long> Starts(ulong seed)
        {
            var sink = new RecordingSink();
            SimulationRun.Execute(SlowBackend(ArrivalProcess.Poisson), sink, new RunOptions { Seed = seed });
            return [.. sink.Pushes.Select(p => p.Start.Ticks).Order()];
        }
        Assert.Equal(Starts(5), Starts(5));
        Assert.NotEqual(Starts(5), Starts(6));
    }

    /// <summary>
    /// <c>push_timeout: exponential(4s)</c>: each push gets its own deadline, drawn once; the deadlines' mean is 4 s
    /// within 4 standard errors, and pushes whose deadline came before the 5 s service failed.
    /// </summary>
    [Fact]
    public void A_drawn_push_timeout_gives_each_push_its_own_deadline()
    {
        var sink = new RecordingSink();
        SimulationRun.Execute(SlowBackend(ArrivalProcess.Poisson, Distributions.Exponential(4)), sink);
        var finished = sink.Pushes.Where(p => p.Result != PushResult.InFlight).ToList();
        var timeouts = finished.Select(p => (p.ParentDeadline.When - p.Start).TotalSeconds).ToList();
        Assert.True(timeouts.Distinct().Count() > finished.Count / 2, "the deadlines are not drawn per push");
        Assert.InRange(timeouts.Average(), 4 - 4 * 4 / Math.Sqrt(timeouts.Count), 4 + 4 * 4 / Math.Sqrt(timeouts.Count));
        Assert.All(finished, p => Assert.Equal((p.ParentDeadline.When - p.Start).TotalSeconds < 5 ? PushResult.Failed : PushResult.Delivered, p.Result));
    }

    [Fact]
    public void A_constant_push_timeout_is_the_same_deadline_for_every_push()
    {
        var sink = new RecordingSink();
        SimulationRun.Execute(SlowBackend(ArrivalProcess.Ticker, Distributions.Constant(15)), sink);
        Assert.All(sink.Pushes, p => Assert.Equal(S(15), p.ParentDeadline.When - p.Start));
    }
}
