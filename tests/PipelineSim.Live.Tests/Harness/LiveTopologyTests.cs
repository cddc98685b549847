using PipelineSim.Analysis.Comparison;
using PipelineSim.Live.Harness;
using PipelineSim.Model;
using PipelineSim.Spec;
using PipelineSim.Scenarios;
using PipelineSim.Core.Records;
using PipelineSim.Live.Tests.Support;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Harness;

[Trait(LiveTrait.Name, LiveTrait.Value)]
public class LiveTopologyTests
{
    private static PipelineSpec Spec(string yaml)
    {
        var loaded = ScenarioLoader.Parse(yaml, "test.yaml");
        Assert.True(loaded.IsOk, loaded.IsOk ? "" : string.Join("\n", loaded.Error));
        return loaded.Value.Pipeline;
    }

    private const string Chain = """
        name: chain
        duration: 2m
        sources:
          agents: { count: 3, push_interval: 15s, to: w1 }
        components:
          w1: { kind: pyroscope.write, endpoints: [ { url: "http://r:8080" } ] }
          r: { kind: pyroscope.receive_http, forward_to: [w2], conn_limit: 100, accept_backlog: 64, handler_time: 5ms }
          w2: { kind: pyroscope.write, endpoints: [ { url: "http://pyroscope:4040", remote_timeout: 3s } ] }
          pyroscope:
            kind: backend
            latency: "uniform(50ms, 100ms)"
            concurrency: 4
            queue_capacity: 10
            errors: [ { code: unavailable, probability: 0.01 } ]
            rate_limit: { rate: 100 }
            outages: [ { start: 1m, duration: 10s, mode: hang } ]
        links:
          - { from: w2, to: pyroscope, rtt: 20ms, middlebox: { idle_timeout: 4m, mode: rst } }
        faults:
          - { at: 30s, kind: drop-idle-flows, link: w2->pyroscope }
          - { at: 90s, kind: backend-outage, backend: pyroscope, duration: 5s }
        """;

    [Fact]
    public void A_scenario_live_can_play_has_no_problems()
    {
        Assert.Empty(LiveTopology.Check(Spec(Chain)));
    }

    [Fact]
    public void Everything_live_cannot_do_is_refused_one_line_per_scenario_key()
    {
        var spec = Spec("""
            name: unsupported
            duration: 1m
            network: { syn_retries: 3 }
            sources:
              agents: { to: w1 }
            components:
              w1:
                kind: pyroscope.write
                endpoints:
                  - url: https://lb:443
                  - url: http://r:8080
                    proxy_from_environment: true
                    transport: { max_idle_conns: 10, max_idle_conns_per_host: 10, response_header_timeout: 5s }
              lb: { kind: load_balancer, targets: [r] }
              r: { kind: pyroscope.receive_http, forward_to: [w2], http2: { enabled: true } }
              w2: { kind: pyroscope.write, endpoints: [ { url: "http://pyroscope:4040" } ] }
              pyroscope: { kind: backend, outages: [ { start: 10s, duration: 5s, mode: refuse } ] }
            faults:
              - { at: 10s, kind: partition, link: w2->pyroscope, duration: 5s }
              - { at: 20s, kind: restart, component: r }
              - { kind: random-link-breaks, link: w2->pyroscope, rate_per_connection_hour: 1 }
              - { at: 30s, kind: backend-outage, backend: pyroscope, duration: 5s, mode: refuse }
            """);

        var problems = LiveTopology.Check(spec);

        Assert.Equal(
        [
            "network.syn_retries",
            "components.w1.endpoints[0].url",
            "components.w1.endpoints[1].proxy_from_environment",
            "components.w1.endpoints[1].transport.max_idle_conns",
            "components.w1.endpoints[1].transport.response_header_timeout",
            "components.lb.kind",
            "components.r.http2.enabled",
            "components.pyroscope.outages[0].mode",
            "faults[0].kind",
            "faults[1].kind",
            "faults[2].kind",
            "faults[3].mode",
        ], problems.Select(p => p.Path));
        Assert.All(problems, p => Assert.Contains("cannot run live", p.Message));
        Assert.Contains("load_balancer cannot run live", problems.Single(p => p.Path == "components.lb.kind").Message);
        var error = Assert.Throws<SpecException>(() => LiveTopology.FromSpec(spec, new LiveRunOptions()));
        Assert.Equal(problems, error.Problems);
    }

    [Fact]
    public void Poisson_arrivals_and_drawn_push_timeouts_are_the_simulators_alone()
    {
        var spec = Spec(Chain.Replace("{ count: 3, push_interval: 15s, to: w1 }",
            "{ count: 3, push_interval: 15s, to: w1, arrivals: poisson, push_timeout: \"exponential(10s)\" }"));

        var problems = LiveTopology.Check(spec);

        Assert.Equal(["sources.agents.arrivals", "sources.agents.push_timeout"], problems.Select(p => p.Path));
        Assert.Equal("poisson cannot run live: live agents push on Go's ticker, one push at a time (ticker can)", problems[0].Message);
        Assert.Equal("exponential(mean: 10) cannot run live: live agents push with one fixed deadline (a duration can)", problems[1].Message);
        Assert.Empty(LiveTopology.Check(Spec(Chain.Replace("push_interval: 15s, to: w1", "push_interval: 15s, to: w1, push_timeout: 10s"))));
    }

    [Fact]
    public void A_middlebox_only_some_writers_keep_open_with_probes_cannot_be_one_proxy()
    {
        var spec = Spec("""
            name: mixed
            duration: 1m
            sources:
              agents: { to: w }
            components:
              w:
                kind: pyroscope.write
                endpoints:
                  - url: http://b:4040/a
                  - url: http://b:4040/b
                    transport: { keep_alive: { enabled: false } }
              b: { kind: backend, keep_alive: { enabled: false } }
            links:
              - { from: w, to: b, middlebox: { idle_timeout: 4m } }
            """);

        var problem = Assert.Single(LiveTopology.Check(spec));
        Assert.Equal("links[0].middlebox", problem.Path);
    }

    [Fact]
    public async Task The_topology_starts_with_a_proxy_only_where_the_spec_needs_one()
    {
        await using var pipeline = await LiveTopology.FromSpec(Spec(Chain), new LiveRunOptions()).StartAsync();

        Assert.Equal(["r"], pipeline.Receivers.Keys);
        Assert.Equal(100, pipeline.Receivers["r"].ConnLimit);
        Assert.Equal(64, pipeline.Receivers["r"].ListenBacklog);
        Assert.Equal(["pyroscope"], pipeline.Backends.Keys);
        // The faulted, slower-than-loopback link has its proxy; w1 -> r (1 ms) goes straight to the receiver.
        Assert.NotEqual(pipeline.Backends["pyroscope"].EndPoint, pipeline.Link("w2", "pyroscope").EndPoint);
        Assert.Throws<KeyNotFoundException>(() => pipeline.Link("w1", "r"));
        Assert.Equal(["w2"], pipeline.Writers.Keys); // w1 exists once per agent instead
    }

    private const string Phases = """
        name: phases
        duration: 20s
        seed: 5
        sources:
          fleet: { count: 12, push_interval: 60s, phase_jitter: 15s, to: w1 }
        components:
          w1: { kind: pyroscope.write, endpoints: [ { url: "http://pyroscope:4040" } ] }
          pyroscope: { kind: backend, latency: 10ms }
        """;

    [Fact]
    public async Task Agents_are_phased_with_the_simulators_draws()
    {
        var spec = Spec(Phases);
        var simulated = new PushOutcomes();
        SimulationRun.Execute(spec, simulated);
        await using var pipeline = await LiveTopology.FromSpec(spec, new LiveRunOptions { Seed = spec.Seed }).StartAsync();

        // Each agent's first push is due at the instant the model pushes: the same random stream, the same draws.
        // (That the live clock then waits until each instant, never less, is LiveClock's, tested on its own.)
        var simulatedStarts = simulated.Pushes.OrderBy(p => p.Source, StringComparer.Ordinal).Select(p => p.Start.SinceStart);
        Assert.Equal(simulatedStarts, pipeline.Fleets["fleet"].FirstPushes);
    }

    [Fact]
    public async Task Agents_are_named_as_the_simulator_names_them()
    {
        var spec = Spec(Phases);
        var simulated = new PushOutcomes();
        SimulationRun.Execute(spec, simulated);
        // Each agent pushes once (every 60 s, for 20 s), at its phase; the backend answers in 10 ms.
        var live = await PlayAsync(spec, fleet => [.. fleet.FirstPushes.Select(WholeMillisecondsUp)], service: Ms(10));

        var simulatedSources = simulated.Pushes.Select(p => p.Source).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(12, simulatedSources.Count);
        Assert.Equal("fleet-00", simulatedSources[0]); // fleet-00 ... fleet-11
        Assert.Equal(simulatedSources, live.Records.Pushes.Select(p => p.Source).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_push_longer_than_the_interval_is_followed_at_once_and_skips_the_ticks_the_model_skips()
    {
        // Each push takes 15 s against a 10 s interval. Go's ticker holds the first tick that comes meanwhile, so the
        // next push starts as soon as one ends, and drops the rest: pushes at p, p+15, p+30, p+45 (in flight at the
        // end); the tick at p+30 is dropped (p+20's was held), p+50's is held by the push still running at the end.
        var spec = Spec("""
            name: slow
            duration: 60s
            seed: 2
            sources:
              agents: { count: 2, push_interval: 10s, phase_jitter: 4s, to: w1 }
            components:
              w1: { kind: pyroscope.write, endpoints: [ { url: "http://pyroscope:4040", remote_timeout: 30s } ] }
              pyroscope: { kind: backend, latency: 15s }
            """);
        var simulation = SimulationRun.Execute(spec, new PushOutcomes());
        // Live, each agent pushes back to back from its phase, every push taking the backend's 15 s exactly.
        var live = await PlayAsync(spec, fleet => [.. fleet.FirstPushes.SelectMany(first =>
            Enumerable.Range(0, 4).Select(k => WholeMillisecondsUp(first) + k * TimeSpan.FromSeconds(15)))], service: TimeSpan.FromSeconds(15));

        var (expected, actual) = (simulation.Sources.Single(), live.Sources.Single());
        Assert.Equal((8L, 2L), (expected.Pushes, expected.SkippedTicks));
        Assert.Equal((expected.Pushes, expected.ProfilesCreated, expected.SkippedTicks), (actual.Pushes, actual.ProfilesCreated, actual.SkippedTicks));
        Assert.Equal(2, live.Records.Pushes.Count(p => p.Result == PushResult.InFlight)); // each agent's fourth push
    }

    /// <summary>
    /// Runs <paramref name="spec"/> live on a manual clock, timer by timer (<see cref="ClockDriver"/>), along the story
    /// the test expects: the instants pushes start (<paramref name="starts"/>, from the pipeline's only fleet), each
    /// served by the backend in <paramref name="service"/>. Before time moves, every push due by then has started, every
    /// push still running waits on its backend timer, and every push served has its record: a run that strays from the
    /// story stops the test there. (A live agent's wait ends at the first whole millisecond at or after its instant:
    /// .NET's timers count whole milliseconds.)
    /// </summary>
    private static async Task<(IReadOnlyList<SourceResult> Sources, RecordingSink Records)> PlayAsync(PipelineSpec spec,
        Func<AgentFleet, IReadOnlyList<TimeSpan>> starts, TimeSpan service)
    {
        await Warmup.EnsureAsync();
        var time = new ManualTimeProvider();
        var records = new RecordingSink();
        var pipeline = await LiveTopology.FromSpec(spec, new LiveRunOptions { Time = time, Seed = spec.Seed, SampleStep = TimeSpan.Zero }, records)
            .StartAsync();
        try
        {
            var fleet = pipeline.Fleets.Values.Single();
            var pushes = starts(fleet).Where(s => s < spec.Duration).ToList();
            var clock = new ClockDriver(time, now => now >= spec.Duration // the end: the run stops its writers itself
                || (fleet.Pushes == pushes.Count(s => s <= now)
                    && records.Pushes.Count == pushes.Count(s => s + service <= now)
                    && pushes.Where(s => s <= now && now < s + service).All(s => time.HasTimerAt(s + service))));
            var run = pipeline.RunAsync(spec.Duration);
            await clock.AdvanceTo(spec.Duration);
            await run.WaitAsync(TimeSpan.FromSeconds(20));
            return (pipeline.SourceResults(), records); // read before the pipeline is disposed
        }
        finally
        {
            await pipeline.DisposeAsync();
        }
    }

    private static TimeSpan WholeMillisecondsUp(TimeSpan t) =>
        TimeSpan.FromTicks((t.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond);
}
