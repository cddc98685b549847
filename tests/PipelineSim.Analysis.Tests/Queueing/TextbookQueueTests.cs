using PipelineSim.Analysis.Queueing;
using PipelineSim.Analysis.Statistics;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;
using PipelineSim.Model;
using PipelineSim.Spec;
using Xunit.Abstractions;

namespace PipelineSim.Analysis.Tests.Queueing;

/// <summary>
/// The model against the queueing formulas, through the real simulator: a Poisson source (<c>arrivals: poisson</c>)
/// pushes through one shared <c>pyroscope.write</c> (one attempt, no retries, a remote timeout that never fires) straight
/// to a backend whose <c>concurrency</c> is the c servers, whose <c>latency</c> is exponential service and whose
/// <c>queue_capacity</c> is K − c; the network has no delay. Each figure is estimated over independent replications
/// (seeds 1..n), after a warm-up, and the closed form must lie inside the replications' 99% Student t interval.
/// </summary>
public class TextbookQueueTests(ITestOutputHelper output)
{
    private const string Backend = "pyroscope";
    private static readonly TimeSpan Service = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Duration = TimeSpan.FromHours(2);
    private static readonly TimeSpan WarmUp = TimeSpan.FromMinutes(1);
    private const int Replications = 10;
    private const double Level = 0.99;

    /// <summary>λ pushes per second: λ·<paramref name="gap"/> agents, each pushing at gaps of mean <paramref name="gap"/> seconds.</summary>
    private static PipelineSpec Queue(int lambda, int servers, int queueCapacity = int.MaxValue, IDistribution? patience = null,
        ArrivalProcess arrivals = ArrivalProcess.Poisson, int gap = 1, TimeSpan? duration = null) => new()
    {
        Name = "textbook",
        Duration = duration ?? Duration,
        SampleStep = TimeSpan.FromMilliseconds(500),
        Network = new NetworkSpec { DefaultRtt = TimeSpan.Zero },
        Sources =
        [
            new SourceSpec
            {
                Name = "arrivals", Count = lambda * gap, PushInterval = TimeSpan.FromSeconds(gap), Arrivals = arrivals,
                Writer = WriterSharing.Shared, PushTimeout = patience, To = "w",
            },
        ],
        Components =
        [
            new WriterSpec
            {
                Name = "w",
                Options = new WriteOptions
                {
                    Endpoints = [new WriteEndpointOptions { Url = "http://pyroscope:4040", RemoteTimeout = TimeSpan.FromHours(10), MaxBackoffRetries = 1 }],
                },
            },
            new BackendSpec
            {
                Name = Backend, Latency = Distributions.Exponential(Service.TotalSeconds), Concurrency = servers,
                QueueCapacity = queueCapacity, ServerWriteTimeout = TimeSpan.FromHours(10),
            },
        ],
    };

    /// <summary>What one replication measured after the warm-up.</summary>
    private sealed record Replication(SimulationResult Result, List<PushRecord> Pushes, List<MetricSample> Serving);

    private sealed class Sink : IRecordSink
    {
        public List<PushRecord> Pushes { get; } = [];

        public List<MetricSample> Serving { get; } = [];

        public void OnPush(in PushRecord push)
        {
            if (push.Start >= Instant.FromTimeSpan(WarmUp) && push.Result != PushResult.InFlight) Pushes.Add(push);
        }

        public void OnAttempt(in AttemptRecord attempt) { }

        public void OnSample(in MetricSample sample)
        {
            if (sample.Name == MetricNames.BackendRequests && sample.Labels.Contains("serving", StringComparison.Ordinal)
                && sample.Time >= Instant.FromTimeSpan(WarmUp))
                Serving.Add(sample);
        }
    }

    private static List<Replication> Run(PipelineSpec spec) => [.. Enumerable.Range(1, Replications).Select(seed =>
    {
        var sink = new Sink();
        var result = SimulationRun.Execute(spec, sink, new RunOptions { Seed = (ulong)seed });
        return new Replication(result, sink.Pushes, sink.Serving);
    })];

    private ConfidenceInterval Estimate(string what, IEnumerable<double> replications, double expected)
    {
        var interval = Estimates.Mean([.. replications], Level);
        output.WriteLine($"{what}: closed form {expected:G6}, simulated {interval.Estimate:G6} [{interval.Lower:G6}, {interval.Upper:G6}]");
        return interval;
    }

    /// <summary>
    /// The closed form lies in the interval, and the interval is narrow enough (a half-width within
    /// <paramref name="precision"/> of the value) that a model off by more would have been caught.
    /// </summary>
    private void Check(string what, IEnumerable<double> replications, double expected, double precision = 0.1)
    {
        var interval = Estimate(what, replications, expected);
        Assert.True(interval.Contains(expected), $"{what}: {expected} is outside the {Level:P0} interval [{interval.Lower}, {interval.Upper}]");
        Assert.True(interval.HalfWidth <= precision * expected, $"{what}: the interval ±{interval.HalfWidth} is too wide to check {expected}");
    }

    [Fact]
    public void With_servers_to_spare_a_push_takes_its_service_time()
    {
        var runs = Run(Queue(lambda: 3, servers: 1000));
        Check("mean latency", runs.Select(r => r.Pushes.Average(p => p.Latency.TotalSeconds)), Service.TotalSeconds);
        Assert.All(runs, r => Assert.All(r.Pushes, p => Assert.Equal(PushResult.Delivered, p.Result)));
    }

    /// <summary>M/M/4 at A = 3: Erlang C gives P(wait) = 0.5094 and W_q = C·S/(c − A) = 0.5094 s.</summary>
    [Fact]
    public void An_unbounded_queue_matches_erlang_c()
    {
        var runs = Run(Queue(lambda: 3, servers: 4));
        // PASTA: the share of time all four servers are busy is the share of arrivals that wait.
        Check("P(wait)", runs.Select(r => r.Serving.Count(s => s.Value >= 4) / (double)r.Serving.Count), Erlang.C(4, 3));
        Check("W_q", runs.Select(r => r.Pushes.Average(p => p.Latency.TotalSeconds) - Service.TotalSeconds),
            Erlang.MeanWait(4, 3, Service).TotalSeconds, precision: 0.15);
    }

    /// <summary>
    /// The same load from Go-ticker agents (30 agents, one push every 10 s each at fixed phases) is far smoother than
    /// Poisson: the pattern of arrivals repeats every 10 s, and the waits are about half what Erlang C gives. That is why the
    /// formula needs <c>arrivals: poisson</c> to be checked, and why Erlang figures overstate waiting for ticker fleets.
    /// </summary>
    [Fact]
    public void Ticker_agents_wait_less_than_erlang_c_says()
    {
        var runs = Run(Queue(lambda: 3, servers: 4, arrivals: ArrivalProcess.Ticker, gap: 10));
        var waits = Estimate("W_q (ticker)", runs.Select(r => r.Pushes.Average(p => p.Latency.TotalSeconds) - Service.TotalSeconds),
            Erlang.MeanWait(4, 3, Service).TotalSeconds);
        // About half (0.27 s against 0.51 s at seed 1..10); the whole interval is below three quarters.
        Assert.True(waits.Upper < 0.75 * Erlang.MeanWait(4, 3, Service).TotalSeconds, $"ticker waits {waits.Estimate} s are not well below Erlang C");
    }

    /// <summary>M/M/4/8 at A = 4: the backend answers a push that finds its queue full with unavailable at once.</summary>
    [Fact]
    public void A_bounded_queue_matches_the_finite_queue_blocking()
    {
        var runs = Run(Queue(lambda: 4, servers: 4, queueCapacity: 4));
        var closed = FiniteQueue.Solve(4, 8, 4, Service);
        Check("P(block)", runs.Select(r => r.Pushes.Count(p => p.Code == Core.Connect.ConnectCode.Unavailable) / (double)r.Pushes.Count),
            closed.BlockingProbability);
        Check("W_q of admitted", runs.Select(r => r.Pushes.Where(p => p.Result == PushResult.Delivered).Average(p => p.Latency.TotalSeconds) - Service.TotalSeconds),
            closed.MeanWait.TotalSeconds);
    }

    /// <summary>M/M/4+M at A = 5 (overloaded) with exponential patience of mean 1 s, the push timeout.</summary>
    [Fact]
    public void Exponential_push_timeouts_match_erlang_a()
    {
        var patience = TimeSpan.FromSeconds(1);
        var runs = Run(Queue(lambda: 5, servers: 4, patience: Distributions.Exponential(patience.TotalSeconds),
            duration: TimeSpan.FromHours(1)));
        var closed = ErlangA.Solve(4, 5, Service, patience);
        // The backend's side: a push it never served was withdrawn from its queue when the client gave up.
        Check("P(abandon)", runs.Select(r => 1 - r.Result.Backend(Backend).Ingested / (double)r.Result.Backend(Backend).Requests),
            closed.AbandonmentProbability);
        // The client's side: it also gives up on pushes whose deadline passes while they are served.
        Check("P(deadline missed)", runs.Select(r => r.Pushes.Count(p => p.Result == PushResult.Failed) / (double)r.Pushes.Count),
            closed.DeadlineMissProbability(Service, patience));
    }
}
